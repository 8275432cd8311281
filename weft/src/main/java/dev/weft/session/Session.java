package dev.weft.session;

import dev.weft.json.JsonCodec;
import java.lang.reflect.Type;
import java.security.SecureRandom;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The session of one request: typed attributes kept between the requests of one browser, taken
 * with {@link Sessions#session()} under a {@link Sessions} layer.
 *
 * <p>Values are stored as JSON, written and read with the router's {@link JsonCodec}: a record,
 * a list, a number or a string. A value that no longer reads as the type asked for (the class
 * changed since it was stored) reads as absent rather than failing the request.
 *
 * <p><b>Lazy.</b> Nothing is loaded until the session is first read, and no cookie is set and
 * nothing stored until something is put in it. {@link #rotate()} gives the session a new id
 * (call it on login, against session fixation); {@link #invalidate()} ends it (logout).
 *
 * <p>Confined to the request's thread. Two requests of one session each have their own copy;
 * when both change it, the one that finishes last wins (whole session, not per attribute), and
 * neither can bring back a session the other invalidated or rotated away.
 *
 * {@snippet class=dev.weft.session.SessionExamples region=login}
 */
public final class Session {
    /** Keys Weft keeps in the session itself (the CSRF token) start with this; applications may not use it. */
    public static final String RESERVED_PREFIX = "weft.";
    static final String CSRF_KEY = "weft.csrf";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Loads the session the request's cookie names, or returns null if there is none that is live. */
    interface Loader {
        SessionData load();
    }

    private final Loader loader;
    private final JsonCodec codec;
    private final int maxBytes;
    private final String tooLargeHint;
    private final long nowMillis;

    private boolean loaded;
    /** The live session that was loaded; null if none. */
    private SessionData original;
    private byte[] id;
    private long created;
    private long lastAccess;
    private Map<String, byte[]> attributes = new LinkedHashMap<>();
    private boolean changed;
    /** Ids to delete from the store when the request ends (invalidated or rotated away). */
    private byte[] retiredId;

    Session(Loader loader, JsonCodec codec, int maxBytes, String tooLargeHint, long nowMillis) {
        this.loader = loader;
        this.codec = codec;
        this.maxBytes = maxBytes;
        this.tooLargeHint = tooLargeHint;
        this.nowMillis = nowMillis;
    }

    /** The value under {@code key} read as {@code type} (a class or a parameterized type); empty if absent. */
    public <T> Optional<T> get(String key, Type type) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(type, "type");
        byte[] json = attributes().get(key);
        if (json == null) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(codec.read(json, type));
        } catch (RuntimeException e) {
            return Optional.empty(); // stored by an older version of the type: as if absent
        }
    }

    /** The value under {@code key} read as {@code type}; empty if absent. */
    public <T> Optional<T> get(String key, Class<T> type) {
        return get(key, (Type) type);
    }

    /** The string under {@code key}; empty if absent or not a string. */
    public Optional<String> getString(String key) {
        return get(key, String.class);
    }

    /**
     * Stores {@code value} (written as JSON) under {@code key}, replacing any value there, and
     * creates the session if it is new.
     *
     * @throws IllegalArgumentException if {@code key} is empty or starts with {@value #RESERVED_PREFIX}
     * @throws SessionTooLargeException if the session would no longer fit (a cookie session: its
     *     cookie's 4096 bytes; a stored one: {@code maxBytes}); the session is left as it was
     */
    public Session put(String key, Object value) {
        checkKey(key);
        Objects.requireNonNull(value, "value (use remove to delete)");
        store(key, codec.write(value));
        return this;
    }

    /** Removes the value under {@code key}, if any. */
    public Session remove(String key) {
        checkKey(key);
        if (attributes().remove(key) != null) {
            changed = true;
        }
        return this;
    }

    /** Whether a value is stored under {@code key}. */
    public boolean contains(String key) {
        return attributes().containsKey(key);
    }

    /** The keys stored, in the order they were first put (Weft's own reserved keys left out). */
    public Set<String> keys() {
        Set<String> keys = new java.util.LinkedHashSet<>(attributes().keySet());
        keys.removeIf(k -> k.startsWith(RESERVED_PREFIX));
        return Collections.unmodifiableSet(keys);
    }

    /** Whether this request's session holds nothing (a new session, or one emptied). */
    public boolean isEmpty() {
        return keys().isEmpty();
    }

    /** Whether this request arrived with a live session (false for one created by this request). */
    public boolean existed() {
        attributes();
        return original != null;
    }

    /**
     * Gives the session a new id and a new CSRF token, keeping its values; the old id stops
     * working (for a store; a cookie session's old cookie stays readable until it expires, see
     * {@code docs/sessions.md}). Call it when the user logs in or gains rights.
     */
    public Session rotate() {
        attributes();
        if (id != null) {
            if (original != null && retiredId == null) {
                retiredId = original.id();
            }
            id = newId();
        }
        if (attributes.containsKey(CSRF_KEY)) {
            attributes.put(CSRF_KEY, codec.write(java.util.Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(dev.weft.middleware.CrossOriginProtection.newRawToken())));
        }
        changed = true;
        return this;
    }

    /**
     * Ends the session: its values are dropped, the store forgets it and the browser is told to
     * delete its cookie. A value put afterwards starts a new session with a new id.
     */
    public Session invalidate() {
        attributes();
        if (original != null && retiredId == null) {
            retiredId = original.id();
        }
        id = null;
        attributes = new LinkedHashMap<>();
        changed = true;
        return this;
    }

    // ---- for Sessions ----

    /** The attributes, loading the session on first use. */
    private Map<String, byte[]> attributes() {
        if (!loaded) {
            loaded = true;
            original = loader.load();
            if (original != null) {
                id = original.id();
                created = original.createdMillis();
                lastAccess = original.lastAccessMillis();
                attributes = new LinkedHashMap<>(original.attributes());
            }
        }
        return attributes;
    }

    private void store(String key, byte[] json) {
        Map<String, byte[]> next = new LinkedHashMap<>(attributes());
        next.put(key, json);
        int size = SessionData.size(next);
        if (size > maxBytes || next.size() > SessionData.MAX_ATTRIBUTES) {
            throw new SessionTooLargeException("putting '" + key + "' would make the session " + size
                    + " bytes, over its limit of " + maxBytes + "; " + tooLargeHint);
        }
        attributes = next;
        if (id == null) {
            id = newId();
            created = nowMillis;
        }
        changed = true;
    }

    private static void checkKey(String key) {
        Objects.requireNonNull(key, "key");
        if (key.isEmpty() || key.startsWith(RESERVED_PREFIX)) {
            throw new IllegalArgumentException("session key '" + key + "' is empty or starts with the reserved '"
                    + RESERVED_PREFIX + "'");
        }
    }

    static byte[] newId() {
        byte[] id = new byte[SessionData.ID_BYTES];
        RANDOM.nextBytes(id);
        return id;
    }

    /** The CSRF token, if the session has one. */
    Optional<byte[]> csrfToken() {
        return getString(CSRF_KEY).map(Session::decodeToken);
    }

    /** The CSRF token, created if the session has none. */
    byte[] csrfTokenOrCreate() {
        Optional<byte[]> existing = csrfToken();
        if (existing.isPresent()) {
            return existing.get();
        }
        byte[] raw = dev.weft.middleware.CrossOriginProtection.newRawToken();
        store(CSRF_KEY, codec.write(java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(raw)));
        return raw;
    }

    private static byte[] decodeToken(String text) {
        try {
            return java.util.Base64.getUrlDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            return new byte[0]; // never equal to a 32-byte token
        }
    }

    boolean wasLoaded() {
        return loaded;
    }

    boolean changed() {
        return changed;
    }

    SessionData original() {
        return original;
    }

    byte[] retiredId() {
        return retiredId;
    }

    /** The session to keep, its last access set to now; null if there is nothing to keep. */
    SessionData toKeep(long now) {
        if (id == null || attributes.isEmpty()) {
            return null;
        }
        return new SessionData(id, created, Math.max(now, created), new LinkedHashMap<>(attributes));
    }

    /** Whether the id changed from the one loaded (rotation): the old entry goes, a new one is made. */
    boolean idChanged() {
        return original != null && id != null && !java.util.Arrays.equals(id, original.id());
    }

    @Override
    public String toString() {
        return "Session[" + (loaded ? attributes.size() + " attributes" : "not loaded") + "]"; // never the id
    }
}
