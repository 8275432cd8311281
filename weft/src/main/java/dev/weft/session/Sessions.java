package dev.weft.session;

import dev.weft.WeftException;
import dev.weft.cookie.Cookie;
import dev.weft.cookie.CookieJar;
import dev.weft.cookie.CookieKeys;
import dev.weft.extract.Extractor;
import dev.weft.extract.RouteShape;
import dev.weft.http.Request;
import dev.weft.internal.extract.LayerChecks;
import dev.weft.internal.extract.Requests;
import dev.weft.internal.http.CsrfTokenVault;
import dev.weft.internal.routing.RouteChecked;
import dev.weft.middleware.CrossOriginProtection;
import dev.weft.middleware.Middleware;
import dev.weft.middleware.Next;
import dev.weft.response.Problem;
import dev.weft.response.Response;
import dev.weft.response.Status;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The session layer: gives every request it wraps a lazy {@link Session}, and protects them from
 * cross-site requests with a {@link CrossOriginProtection} it holds (on unless
 * {@link Builder#withoutCrossOriginProtection()} says otherwise; the route table shows
 * {@code Sessions+CrossOriginProtection} or {@code Sessions(no CSRF protection)}). Install it with
 * {@code layer(..)} inside {@code Cors}: it is a {@link Kind#CSRF} layer while protection is on.
 *
 * {@snippet class=dev.weft.session.SessionExamples region=cookie}
 *
 * <p><b>Two kinds.</b> {@link #cookies(CookieKeys)}: the session itself, encrypted with AES-256-GCM
 * under the key ring's current key (read with every key of the ring), in one cookie of at most
 * 4096 bytes, so about 3000 bytes of values. {@link #store(SessionStore)}: the cookie holds a
 * 128-bit random id, the session lives in the store under the SHA-256 of that id.
 *
 * <p><b>Expiry.</b> A session ends {@code idleTimeout} after its last request and
 * {@code absoluteTimeout} after it was created, whatever the activity. The times are inside the
 * encrypted cookie, or the store's time to live and the stored creation time; the clock is
 * injectable. A cookie session's cookie is re-issued (its idle time restarted) when a tenth of the
 * idle timeout has passed since it was last issued.
 *
 * <p><b>Never fails a request.</b> A cookie that is tampered with, truncated, moved from another
 * cookie name, garbage, oversized, expired, or sealed by a key no longer in the ring reads as no
 * session: the request gets a fresh empty one, and the browser is told to delete the cookie.
 *
 * <p><b>When the store is unavailable</b> ({@link SessionStoreUnavailableException}, e.g. Redis
 * unreachable): a request carrying a session cookie is answered {@code 503} problem+json with
 * {@code retry-after} before its handler runs, rather than treated as logged out; a request whose
 * new or changed session cannot be saved gets the same 503 after its handler. A failed expiry
 * refresh is ignored. Requests that neither carry nor create a session never touch the store.
 *
 * <table class="striped">
 * <caption>Options and defaults</caption>
 * <thead><tr><th>option</th><th>default</th><th>meaning</th></tr></thead>
 * <tbody>
 * <tr><td>{@code cookieName}</td><td>{@code session}</td><td>the cookie; {@code __Host-session} when the client uses https ({@code Request.client().secure()})</td></tr>
 * <tr><td>{@code idleTimeout}</td><td>30 min</td><td>a session unused this long ends</td></tr>
 * <tr><td>{@code absoluteTimeout}</td><td>12 h</td><td>a session this old ends, however active</td></tr>
 * <tr><td>{@code maxBytes}</td><td>cookie: what fits in 4096; store: 64 KiB</td><td>the largest session; {@link SessionTooLargeException} past it</td></tr>
 * <tr><td>{@code crossOriginProtection}</td><td>{@link CrossOriginProtection#create()}</td><td>the CSRF check run before the handler</td></tr>
 * <tr><td>{@code withoutCrossOriginProtection}</td><td>-</td><td>no CSRF check (e.g. the app installs its own)</td></tr>
 * <tr><td>{@code clock}</td><td>the system clock</td><td>what expiry is measured with</td></tr>
 * </tbody>
 * </table>
 *
 * <p>The cookie is {@code HttpOnly}, {@code SameSite=Lax}, {@code Path=/}, without
 * {@code Max-Age} (it ends with the browser session; the server ends it earlier), and
 * {@code Secure} with the {@code __Host-} prefix when the client uses https. Thread-safe; one
 * instance serves every request.
 */
public final class Sessions implements Middleware, RouteChecked, CsrfTokenVault.Provider {
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
    /** The id in a store session's cookie: 16 bytes as base64url. */
    private static final int ID_CHARS = 22;
    private static final int DEFAULT_STORE_MAX_BYTES = 64 * 1024;

    private final CookieKeys keys;
    private final SessionStore store;
    private final String cookieName;
    private final Duration idle;
    private final Duration absolute;
    private final long refreshMillis;
    private final int storeMaxBytes;
    private final Clock clock;
    private final CrossOriginProtection csrf;

    private Sessions(Builder b) {
        this.keys = b.keys;
        this.store = b.store;
        this.cookieName = b.cookieName;
        this.idle = b.idle;
        this.absolute = b.absolute;
        this.refreshMillis = Math.max(1, b.idle.toMillis() / 10);
        this.storeMaxBytes = b.maxBytes;
        this.clock = b.clock;
        this.csrf = b.withoutCsrf ? null : b.csrf != null ? b.csrf : CrossOriginProtection.create();
    }

    /** Cookie sessions: the whole session, encrypted under {@code keys}, in the cookie. */
    public static Builder cookies(CookieKeys keys) {
        return new Builder(Objects.requireNonNull(keys, "keys"), null);
    }

    /** Server-side sessions in {@code store}; the cookie holds the id. */
    public static Builder store(SessionStore store) {
        return new Builder(null, Objects.requireNonNull(store, "store"));
    }

    /**
     * The request's session. Needs a {@code Sessions} layer around the route: without one the
     * router's {@code build()} fails, naming the route. (Called by hand where no build can check
     * it, e.g. from a middleware outside the layer, it fails that request with 500 and an ERROR
     * log line naming the missing layer.)
     */
    public static Extractor<Session> session() {
        return new Extractor<>() {
            @Override
            public Session extract(Request request) {
                return request.extension(Session.class).orElseThrow(() -> new IllegalStateException(
                        "Sessions.session() needs a Sessions layer around " + request.method() + " "
                                + request.matchedPath().orElse(request.path())
                                + "; add .layer(...) or .routeLayer(...) with Sessions outside the code calling it"));
            }

            @Override
            public void verify(RouteShape route) {
                LayerChecks.sessions(route, "the session (Sessions.session())");
            }
        };
    }

    @Override
    public String name() {
        return csrf == null ? "Sessions(no CSRF protection)" : "Sessions+" + csrf.name();
    }

    @Override
    public Kind kind() {
        return csrf == null ? Kind.OTHER : Kind.CSRF;
    }

    /** The cross-origin protection this layer runs, if any. */
    public Optional<CrossOriginProtection> crossOriginProtection() {
        return Optional.ofNullable(csrf);
    }

    @Override
    public Check startCheck() {
        if (csrf == null) {
            return new Check() {
                @Override public void route(String method, String pattern, List<Middleware> stack) {}
                @Override public List<String> problems() { return List.of(); }
            };
        }
        return csrf.startCheck();
    }

    @Override
    public Response handle(Request request, Next next) throws Exception {
        boolean secure = request.client().secure();
        String name = secure ? "__Host-" + cookieName : cookieName;
        Optional<String> incoming = CookieJar.of(request).get(name);
        long now = clock.millis();
        Session.Loader loader = () -> incoming.map(value -> load(name, value, now)).orElse(null);
        if (store != null && incoming.isPresent()) {
            // Loaded before the handler (the end of the request would load it anyway, to slide its
            // expiry): a store that cannot answer then stops the request before anything happens.
            SessionData loaded;
            try {
                loaded = loader.load();
            } catch (SessionStoreUnavailableException e) {
                return unavailable(e);
            }
            loader = () -> loaded;
        }
        Session session = new Session(loader,
                Requests.json(request), maxBytes(name), keys != null
                        ? "keep less in a cookie session, or use Sessions.store(..)"
                        : "keep less in the session, or raise Sessions.Builder.maxBytes", now);
        request.putExtension(Session.class, session);
        request.putExtension(CsrfTokenVault.class, new CsrfTokenVault() {
            @Override
            public Optional<byte[]> csrfToken() {
                return session.csrfToken();
            }

            @Override
            public byte[] csrfTokenOrCreate() {
                return session.csrfTokenOrCreate();
            }
        });
        Response response = csrf == null ? next.run(request) : csrf.handle(request, next);
        try {
            return commit(request, response, session, incoming.isPresent(), name, secure, now);
        } catch (SessionStoreUnavailableException e) {
            // The handler ran but its session could not be kept (a login not saved, a logout not
            // forgotten): answering its success would be a lie the client acts on.
            return unavailable(e);
        }
    }

    /** The answer when the store cannot answer: 503 problem+json with retry-after. */
    private static Response unavailable(SessionStoreUnavailableException e) {
        long seconds = Math.max(1, (e.retryAfter().toMillis() + 999) / 1000);
        return Problem.of(Status.SERVICE_UNAVAILABLE, "the session store is unavailable; retry later")
                .toResponse()
                .withHeader("retry-after", Long.toString(seconds));
    }

    /** The largest session encoding that fits. */
    private int maxBytes(String name) {
        if (keys == null) {
            return storeMaxBytes;
        }
        int room = Cookie.MAX_NAME_VALUE_BYTES - name.length();
        int plain = room * 3 / 4 - 28; // base64url of nonce(12) || ciphertext || tag(16)
        while (plain > 0 && CookieKeys.sealedLength(plain) > room) {
            plain--;
        }
        return Math.min(plain, storeMaxBytes);
    }

    /** The live session a cookie value names, or null: never an exception for what a client sent. */
    private SessionData load(String name, String value, long now) {
        SessionData data;
        if (keys != null) {
            if (value.length() > Cookie.MAX_NAME_VALUE_BYTES) {
                return null;
            }
            data = keys.open(name, value).map(SessionData::decode).orElse(null);
            if (data == null || now - data.lastAccessMillis() >= idle.toMillis()) {
                return null;
            }
        } else {
            byte[] id = decodeId(value);
            if (id == null) {
                return null;
            }
            data = store.load(storeKey(id)).map(SessionData::decode).orElse(null);
            // The stored id must be the cookie's: bytes under another key are not this session.
            if (data == null || !MessageDigest.isEqual(data.id(), id)) {
                return null;
            }
        }
        if (now - data.createdMillis() >= absolute.toMillis() || data.createdMillis() > now + 60_000) {
            return null; // past the absolute timeout, or created in the future (a clock gone back far)
        }
        return data;
    }

    private Response commit(Request request, Response response, Session session, boolean hadCookie, String name,
            boolean secure, long now) {
        if (!session.wasLoaded() && !hadCookie) {
            return response; // never touched, nothing to keep: lazy
        }
        session.existed(); // load it if only the cookie was there: expiry slides on every request
        SessionData original = session.original();
        SessionData keep = session.toKeep(now);
        if (keep == null) {
            retire(session);
            return hadCookie ? withCookie(request, response, removal(name, secure)) : response;
        }
        Duration ttl = ttl(keep, now);
        if (ttl.isZero() || ttl.isNegative()) {
            retire(session);
            return hadCookie ? withCookie(request, response, removal(name, secure)) : response;
        }
        if (keys != null) {
            boolean stale = original == null || now - original.lastAccessMillis() >= refreshMillis;
            if (!session.changed() && !stale) {
                return response;
            }
            return withCookie(request, response, cookie(name, keys.seal(name, keep.encode()), secure));
        }
        String key = storeKey(keep.id());
        if (original == null || session.idChanged()) {
            store.save(key, keep.encode(), ttl);
            // After the save: if the store fails in between, the old session is still there.
            retire(session);
            return withCookie(request, response, cookie(name, ENCODER.encodeToString(keep.id()), secure));
        }
        if (session.changed()) {
            // Only if still there: a concurrent logout or rotation wins over this request's changes.
            store.update(key, keep.encode(), ttl);
        } else {
            try {
                store.touch(key, ttl);
            } catch (SessionStoreUnavailableException e) {
                // Tolerated: the session is intact and only keeps its previous expiry; the store
                // counts and logs its own failures.
            }
        }
        return response;
    }

    /** Forgets the id the session was rotated or invalidated away from, if any. */
    private void retire(Session session) {
        if (store != null && session.retiredId() != null) {
            store.delete(storeKey(session.retiredId()));
        }
    }

    private Duration ttl(SessionData data, long now) {
        long left = data.createdMillis() + absolute.toMillis() - now;
        return Duration.ofMillis(Math.min(idle.toMillis(), left));
    }

    private static Cookie cookie(String name, String value, boolean secure) {
        Cookie.Builder b = Cookie.builder(name, value).path("/").httpOnly(true).sameSite(Cookie.SameSite.LAX);
        if (secure) {
            b.secure(true);
        }
        return b.build();
    }

    private static Cookie removal(String name, boolean secure) {
        return cookie(name, "", secure).removal();
    }

    private static Response withCookie(Request request, Response response, Cookie cookie) {
        return dev.weft.cookie.Cookies.set(request, response, cookie);
    }

    private static byte[] decodeId(String value) {
        if (value.length() != ID_CHARS) {
            return null;
        }
        try {
            byte[] id = DECODER.decode(value);
            return ENCODER.encodeToString(id).equals(value) ? id : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** What the store is keyed by: the id's SHA-256, so the store's keys are not cookies. */
    static String storeKey(byte[] id) {
        try {
            return ENCODER.encodeToString(MessageDigest.getInstance("SHA-256").digest(id));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    @Override
    public String toString() {
        return name() + "[" + (keys != null ? "cookie" : store.toString()) + ", idle " + idle + ", absolute "
                + absolute + "]";
    }

    /** Configures {@link Sessions}; {@link #build()} reports every problem at once. Not thread-safe. */
    public static final class Builder {
        private final CookieKeys keys;
        private final SessionStore store;
        private String cookieName = "session";
        private Duration idle = Duration.ofMinutes(30);
        private Duration absolute = Duration.ofHours(12);
        private int maxBytes = DEFAULT_STORE_MAX_BYTES;
        private Clock clock = Clock.systemUTC();
        private CrossOriginProtection csrf;
        private boolean withoutCsrf;

        private Builder(CookieKeys keys, SessionStore store) {
            this.keys = keys;
            this.store = store;
        }

        /** The cookie's name, without prefix; {@code session} by default. */
        public Builder cookieName(String name) {
            this.cookieName = Objects.requireNonNull(name, "name");
            return this;
        }

        /** How long an unused session lives; 30 minutes by default. */
        public Builder idleTimeout(Duration timeout) {
            this.idle = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** How long a session lives however active it is; 12 hours by default. */
        public Builder absoluteTimeout(Duration timeout) {
            this.absolute = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** The largest session, in encoded bytes; a cookie session is also capped by its cookie. 64 KiB by default. */
        public Builder maxBytes(int bytes) {
            this.maxBytes = bytes;
            return this;
        }

        /** The clock expiry is measured with; the system clock by default. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The CSRF check to run (trusted origins, exempt routes, token mode); {@code create()} by default. */
        public Builder crossOriginProtection(CrossOriginProtection protection) {
            this.csrf = Objects.requireNonNull(protection, "protection");
            return this;
        }

        /**
         * Runs no CSRF check: only for apps that protect their cookie-authenticated routes another
         * way. The route table then shows {@code Sessions(no CSRF protection)}.
         */
        public Builder withoutCrossOriginProtection() {
            this.withoutCsrf = true;
            return this;
        }

        /**
         * The layer.
         *
         * @throws WeftException listing every problem: a cookie name that is not a token or has a
         *     prefix, a non-positive timeout, an absolute timeout shorter than the idle one, a
         *     maxBytes too small for a session, both crossOriginProtection and its removal
         */
        public Sessions build() {
            List<String> problems = new ArrayList<>();
            if (cookieName.isEmpty() || !cookieName.chars().allMatch(c -> c > 32 && c < 127
                    && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0)) {
                problems.add("cookieName '" + cookieName + "' is not a cookie name (a token)");
            } else if (cookieName.regionMatches(true, 0, "__Host-", 0, 7)
                    || cookieName.regionMatches(true, 0, "__Secure-", 0, 9)) {
                problems.add("cookieName '" + cookieName + "' has a prefix; give it without one: __Host- is added"
                        + " when the client uses https");
            }
            if (idle.isZero() || idle.isNegative()) {
                problems.add("idleTimeout must be positive, got " + idle);
            }
            if (absolute.isZero() || absolute.isNegative()) {
                problems.add("absoluteTimeout must be positive, got " + absolute);
            } else if (absolute.compareTo(idle) < 0) {
                problems.add("absoluteTimeout (" + absolute + ") is shorter than idleTimeout (" + idle + ")");
            }
            if (maxBytes < 256) {
                problems.add("maxBytes must be at least 256, got " + maxBytes);
            }
            if (csrf != null && withoutCsrf) {
                problems.add("crossOriginProtection(..) and withoutCrossOriginProtection() were both given; keep one");
            }
            if (!problems.isEmpty()) {
                throw new WeftException("invalid Sessions:\n  " + String.join("\n  ", problems));
            }
            return new Sessions(this);
        }
    }
}
