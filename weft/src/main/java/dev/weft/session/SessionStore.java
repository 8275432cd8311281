package dev.weft.session;

import java.time.Duration;
import java.util.Optional;

/**
 * Where server-side sessions live: opaque bytes under a key, each with a time to live, so that a
 * key-value store with expiry (Redis: {@code GET}, {@code SET PX}, {@code SET XX PX},
 * {@code PEXPIRE}, {@code DEL}) implements it directly. {@link MemorySessionStore} is the
 * in-memory one.
 *
 * <p>Keys are not session ids: {@code Sessions} passes the SHA-256 of the id (base64url), so
 * whoever reads the store cannot replay its keys as cookies. The bytes are the session's
 * attributes and timestamps; the store need not understand them. The time to live is the idle
 * timeout, shortened near the absolute timeout; a store must not return an entry past it.
 *
 * <p>Implementations must be thread-safe: requests of one session may run at the same time. Each
 * operation on its own must be atomic; {@code Sessions} relies on nothing more (last write wins).
 *
 * <p><b>Failures.</b> A store that cannot answer for now (a remote store unreachable or slower
 * than its timeout) throws {@link SessionStoreUnavailableException}; every operation of a remote
 * store should be bounded in time. {@code Sessions} then answers {@code 503} problem+json with
 * {@code retry-after}: for a request carrying a session cookie, before its handler runs (the
 * session is loaded first); for a request whose new or changed session cannot be kept, after it.
 * A failed {@link #touch} is tolerated (the session keeps its previous expiry). Any other
 * exception fails the request with 500 and a log line.
 */
public interface SessionStore {

    /** The bytes under {@code key}, if present and not expired. */
    Optional<byte[]> load(String key);

    /** Creates or replaces the entry under {@code key}, to expire after {@code ttl}. */
    void save(String key, byte[] data, Duration ttl);

    /**
     * Replaces the entry under {@code key} only if it is there (Redis {@code SET XX}), so a write
     * from a request that began before the session was invalidated or rotated cannot bring it back.
     *
     * @return whether the entry was there and was replaced
     */
    boolean update(String key, byte[] data, Duration ttl);

    /**
     * Sets the entry's time to live to {@code ttl} without changing its bytes.
     *
     * @return whether the entry was there
     */
    boolean touch(String key, Duration ttl);

    /** Removes the entry under {@code key}, if any. */
    void delete(String key);
}
