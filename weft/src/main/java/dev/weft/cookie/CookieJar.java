package dev.weft.cookie;

import dev.weft.http.Request;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The cookies of one request: read the ones it carried, add or remove cookies for the response.
 *
 * <p>Changes reach the client without returning the jar: they are added as {@code set-cookie}
 * lines to the response the handler returns (whatever its status), before middleware sees it on
 * the way out. If the handler throws or an extractor rejects the request, they are dropped: the
 * work they belonged to did not finish. A change made after the handler returned (by middleware on
 * the way out) throws {@link IllegalStateException}; middleware there uses
 * {@link Cookies#set(Request, dev.weft.response.Response, Cookie)}.
 *
 * <p>Every jar of a request ({@link #of}, {@link SignedCookieJar}, {@link PrivateCookieJar})
 * shares the same changes, in order. Confined to the request's thread.
 *
 * {@snippet class=dev.weft.cookie.CookieExamples region=jar}
 */
public final class CookieJar {
    private final JarState state;

    private CookieJar(JarState state) {
        this.state = state;
    }

    /** The jar of {@code request}, for middleware (handlers take {@link Cookies#jar()}). */
    public static CookieJar of(Request request) {
        return new CookieJar(JarState.of(Objects.requireNonNull(request, "request")));
    }

    /**
     * The value of cookie {@code name}: the one this response sets, if any (empty if it removes
     * it), else the first one the request carried.
     */
    public Optional<String> get(String name) {
        return state.get(name);
    }

    /**
     * The cookies the request carried, by name, in the order they came (the first of each name;
     * pairs that are not valid cookies are skipped).
     */
    public Map<String, String> all() {
        return state.incoming();
    }

    /** Sets {@code cookie} on the response, replacing an earlier one of the same name, path and domain. */
    public CookieJar add(Cookie cookie) {
        state.add(Objects.requireNonNull(cookie, "cookie"));
        return this;
    }

    /** Deletes cookie {@code name} (set with {@code Path=/} and no domain) in the browser. */
    public CookieJar remove(String name) {
        return add(Cookie.builder(name, "").build().removal());
    }

    /** Deletes {@code cookie} (same name, path and domain) in the browser. */
    public CookieJar remove(Cookie cookie) {
        return add(cookie.removal());
    }
}
