package dev.weft.cookie;

import dev.weft.extract.Extractor;
import dev.weft.http.Request;
import dev.weft.response.Response;
import java.util.Objects;

/**
 * Cookie extractors for handlers, and the {@code Set-Cookie} helper for middleware.
 *
 * <p>None of the extractors rejects a request: a missing, malformed or tampered cookie reads as
 * absent. They run on the request's thread and parse the {@code Cookie} headers once per request.
 *
 * {@snippet class=dev.weft.cookie.CookieExamples region=jar}
 */
public final class Cookies {
    private Cookies() {}

    /** The request's {@link CookieJar}: plain cookies, read and set. */
    public static Extractor<CookieJar> jar() {
        return CookieJar::of;
    }

    /** The request's {@link SignedCookieJar} under {@code keys}. */
    public static Extractor<SignedCookieJar> signed(CookieKeys keys) {
        Objects.requireNonNull(keys, "keys");
        return request -> SignedCookieJar.of(request, keys);
    }

    /** The request's {@link PrivateCookieJar} (encrypted cookies) under {@code keys}. */
    public static Extractor<PrivateCookieJar> encrypted(CookieKeys keys) {
        Objects.requireNonNull(keys, "keys");
        return request -> PrivateCookieJar.of(request, keys);
    }

    /**
     * {@code response} with one more {@code set-cookie} line for {@code cookie}, its
     * {@code Secure} decided by {@code request} where the cookie leaves it open. For middleware
     * on the way out, after the jar was applied; sign or encrypt first with
     * {@link CookieKeys#sign} or {@link CookieKeys#encrypt}.
     */
    public static Response set(Request request, Response response, Cookie cookie) {
        return response.withAddedHeader("set-cookie", cookie.toHeaderValue(request));
    }
}
