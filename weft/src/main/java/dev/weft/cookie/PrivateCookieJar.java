package dev.weft.cookie;

import dev.weft.http.Request;
import java.util.Objects;
import java.util.Optional;

/**
 * Cookies the client can neither read nor change: each value is encrypted with AES-256-GCM under
 * the current key of a {@link CookieKeys} ring, the cookie's name bound as associated data. A
 * cookie that does not decrypt under any key of the ring (changed, forged, truncated, moved from
 * another cookie, not base64url, encrypted by a key no longer in the ring) reads as absent; it
 * never fails the request.
 *
 * <p>Changes reach the response as {@link CookieJar}'s do. Confined to the request's thread.
 *
 * {@snippet class=dev.weft.cookie.CookieExamples region=private}
 */
public final class PrivateCookieJar {
    private final JarState state;
    private final CookieKeys keys;

    private PrivateCookieJar(JarState state, CookieKeys keys) {
        this.state = state;
        this.keys = keys;
    }

    /** The private jar of {@code request}, for middleware (handlers take {@link Cookies#encrypted}). */
    public static PrivateCookieJar of(Request request, CookieKeys keys) {
        return new PrivateCookieJar(JarState.of(Objects.requireNonNull(request, "request")),
                Objects.requireNonNull(keys, "keys"));
    }

    /** The decrypted value of cookie {@code name}, or empty if it is absent or does not decrypt. */
    public Optional<String> get(String name) {
        return state.get(name).flatMap(raw -> keys.decrypt(name, raw));
    }

    /**
     * Sets {@code cookie}, its value encrypted.
     *
     * @throws IllegalArgumentException if the encrypted value (about 4/3 of the value plus 38 characters) is past the cookie size limit
     */
    public PrivateCookieJar add(Cookie cookie) {
        state.add(keys.encrypt(Objects.requireNonNull(cookie, "cookie")));
        return this;
    }

    /** Deletes cookie {@code name} (set with {@code Path=/} and no domain) in the browser. */
    public PrivateCookieJar remove(String name) {
        state.add(Cookie.builder(name, "").build().removal());
        return this;
    }

    /** Deletes {@code cookie} (same name, path and domain) in the browser. */
    public PrivateCookieJar remove(Cookie cookie) {
        state.add(cookie.removal());
        return this;
    }
}
