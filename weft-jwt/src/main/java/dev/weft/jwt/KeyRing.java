package dev.weft.jwt;

import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The verification keys, as one immutable snapshot that requests read without waiting, and, for a
 * JWKS URL, one background virtual thread that replaces the snapshot.
 *
 * <p>Why not nimbus' own caching sources: when their refresh-ahead fetch fails, the cache expires
 * and the next request fetches under a lock, so requests wait on the JWKS endpoint during an
 * outage. Here a request never waits once keys were fetched: the refresher fetches every
 * {@code refreshInterval} and keeps the last good set through failures (an empty set counts as a
 * failure); a token with an unknown key id asks for an early fetch (at most one per
 * {@code minRefreshInterval}) and is refused meanwhile. Only while no key set was ever fetched does
 * a request wait, at most {@code startupWait}, for the fetch under way, then get
 * {@link KeysUnavailableException} (503).
 *
 * <p>Thread-safety: {@link #keys} is volatile; the schedule is guarded by {@code this}.
 */
final class KeyRing implements JWKSource<SecurityContext>, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KeyRing.class);
    private static final JWKSelector ALL = new JWKSelector(new JWKMatcher.Builder().build());

    private final JWKSource<SecurityContext> remote;
    private final String where;
    private final long refreshNanos;
    private final long minRefreshNanos;
    private final long startupWaitNanos;
    private volatile JWKSet keys;
    private volatile boolean closed;
    private final Thread refresher;

    // Guarded by this.
    private boolean wanted;
    private boolean fetching;
    private long attempts;
    private long lastStart;
    private long lastSuccess;
    private boolean failing;

    private KeyRing(JWKSet fixed) {
        this.remote = null;
        this.where = "static keys";
        this.keys = fixed;
        this.refreshNanos = this.minRefreshNanos = this.startupWaitNanos = 0;
        this.refresher = null;
    }

    private KeyRing(JWKSource<SecurityContext> remote, String where, Duration refresh, Duration minRefresh,
            Duration startupWait) {
        this.remote = remote;
        this.where = where;
        this.refreshNanos = refresh.toNanos();
        this.minRefreshNanos = minRefresh.toNanos();
        this.startupWaitNanos = startupWait.toNanos();
        this.lastStart = System.nanoTime() - minRefreshNanos; // the first fetch is due at once
        this.refresher = Thread.ofVirtual().name("weft-jwks-refresher").start(this::refreshLoop);
    }

    static KeyRing fixed(JWKSet keys) {
        return new KeyRing(keys);
    }

    static KeyRing remote(JWKSource<SecurityContext> remote, String where, Duration refresh, Duration minRefresh,
            Duration startupWait) {
        return new KeyRing(remote, where, refresh, minRefresh, startupWait);
    }

    @Override
    public List<JWK> get(JWKSelector selector, SecurityContext context) throws KeySourceException {
        JWKSet current = keys;
        if (current == null) {
            current = awaitFirstKeys();
        }
        List<JWK> selected = selector.select(current);
        if (selected.isEmpty() && remote != null) {
            refreshSoon(); // perhaps a rotation: a new key id the snapshot does not have yet
        }
        return selected;
    }

    /** Waits for the fetch under way (or starts one if allowed), at most startupWait. */
    private JWKSet awaitFirstKeys() throws KeysUnavailableException {
        long deadline = System.nanoTime() + startupWaitNanos;
        synchronized (this) {
            if (!fetching && !wanted && System.nanoTime() - lastStart >= minRefreshNanos) {
                wanted = true;
                notifyAll();
            }
            long target = fetching || wanted ? attempts + 1 : attempts;
            try {
                while (keys == null && attempts < target && !closed) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        break;
                    }
                    wait(Math.max(1, left / 1_000_000));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            JWKSet current = keys;
            if (current != null) {
                return current;
            }
            long untilNext = lastStart + minRefreshNanos - System.nanoTime();
            throw new KeysUnavailableException("no verification keys fetched yet from " + where,
                    Duration.ofNanos(Math.max(0, untilNext)));
        }
    }

    private synchronized void refreshSoon() {
        if (!fetching && !wanted && System.nanoTime() - lastStart >= minRefreshNanos) {
            wanted = true;
            notifyAll();
        }
    }

    private void refreshLoop() {
        while (!closed) {
            synchronized (this) {
                try {
                    while (!closed && !wanted) {
                        long due = keys == null ? lastStart + minRefreshNanos : lastSuccess + refreshNanos;
                        // After a failure, retry no sooner than the rate limit allows.
                        due = Math.max(due, lastStart + minRefreshNanos);
                        long left = due - System.nanoTime();
                        if (left <= 0) {
                            break;
                        }
                        wait(Math.max(1, left / 1_000_000));
                    }
                } catch (InterruptedException e) {
                    return; // closed
                }
                if (closed) {
                    return;
                }
                wanted = false;
                fetching = true;
                lastStart = System.nanoTime();
            }
            JWKSet fetched = null;
            Exception failure = null;
            try {
                List<JWK> all = remote.get(ALL, null);
                if (all.isEmpty()) {
                    failure = new KeySourceException("the key set is empty");
                } else {
                    fetched = new JWKSet(all);
                }
            } catch (Exception e) {
                failure = e;
            }
            synchronized (this) {
                if (fetched != null) {
                    keys = fetched;
                    lastSuccess = System.nanoTime();
                    if (failing) {
                        LOG.info("JWKS {} reachable again; {} keys", where, fetched.getKeys().size());
                    }
                    failing = false;
                } else {
                    // One line per attempt; attempts are at least minRefreshInterval apart.
                    LOG.warn("JWKS {} could not be fetched ({}); {}", where, failure.getMessage(),
                            keys == null ? "no keys yet: requests answer 503" : "keeping the last key set");
                    failing = true;
                }
                fetching = false;
                attempts++;
                notifyAll();
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        if (refresher != null) {
            refresher.interrupt();
        }
    }

    /** No key set was ever fetched; {@link #retryAfter} says when the next attempt is due. */
    static final class KeysUnavailableException extends KeySourceException {
        private static final long serialVersionUID = 1L;
        private final transient Duration retryAfter;

        KeysUnavailableException(String message, Duration retryAfter) {
            super(message);
            this.retryAfter = retryAfter;
        }

        Duration retryAfter() {
            return retryAfter;
        }
    }
}
