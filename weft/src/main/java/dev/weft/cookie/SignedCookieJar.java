package dev.weft.cookie;

import dev.weft.http.Request;
import java.util.Objects;
import java.util.Optional;

/**
 * Cookies the client can read but not change: each value carries an HMAC-SHA256 of the cookie's
 * name and value under the current key of a {@link CookieKeys} ring. A cookie that does not verify
 * under any key of the ring (changed, forged, truncated, moved from another cookie, signed by a
 * key no longer in the ring) reads as absent; it never fails the request.
 *
 * <p>Changes reach the response as {@link CookieJar}'s do. Confined to the request's thread.
 *
 * {@snippet class=dev.weft.cookie.CookieExamples region=signed}
 */
public final class SignedCookieJar {
    private final JarState state;
    private final CookieKeys keys;

    private SignedCookieJar(JarState state, CookieKeys keys) {
        this.state = state;
        this.keys = keys;
    }

    /** The signed jar of {@code request}, for middleware (handlers take {@link Cookies#signed}). */
    public static SignedCookieJar of(Request request, CookieKeys keys) {
        return new SignedCookieJar(JarState.of(Objects.requireNonNull(request, "request")),
                Objects.requireNonNull(keys, "keys"));
    }

    /** The verified value of cookie {@code name}, or empty if it is absent or does not verify. */
    public Optional<String> get(String name) {
        return state.get(name).flatMap(raw -> keys.verify(name, raw));
    }

    /**
     * Sets {@code cookie}, its value signed.
     *
     * @throws IllegalArgumentException if the signed value (43 characters longer) is past the cookie size limit
     */
    public SignedCookieJar add(Cookie cookie) {
        state.add(keys.sign(Objects.requireNonNull(cookie, "cookie")));
        return this;
    }

    /** Deletes cookie {@code name} (set with {@code Path=/} and no domain) in the browser. */
    public SignedCookieJar remove(String name) {
        state.add(Cookie.builder(name, "").build().removal());
        return this;
    }

    /** Deletes {@code cookie} (same name, path and domain) in the browser. */
    public SignedCookieJar remove(Cookie cookie) {
        state.add(cookie.removal());
        return this;
    }
}
