package dev.weft.cookie;

import dev.weft.http.Request;
import dev.weft.internal.http.ServerRequest;
import dev.weft.response.Response;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The cookies of one request, shared by every jar view of it: those it carried (parsed once) and
 * those the handler set or removed, in order. Registered once as a response decorator on the
 * request, so the {@code set-cookie} lines reach the response the handler returns without the
 * jar being returned. Confined to the request's thread.
 */
final class JarState {
    private final Request request;
    private Map<String, String> incoming;
    /** Keyed by name, path and domain: what identifies a cookie in the browser; a later add replaces. */
    private final Map<String, Cookie> outgoing = new LinkedHashMap<>();
    private boolean applied;

    private JarState(Request request) {
        this.request = request;
    }

    static JarState of(Request request) {
        Optional<JarState> existing = request.extension(JarState.class);
        if (existing.isPresent()) {
            return existing.get();
        }
        JarState state = new JarState(request);
        request.putExtension(JarState.class, state);
        ((ServerRequest) request).addResponseDecorator(state::apply); // Request is sealed
        return state;
    }

    Map<String, String> incoming() {
        if (incoming == null) {
            incoming = Collections.unmodifiableMap(CookieParser.parse(request.headers().all("cookie")));
        }
        return incoming;
    }

    /** The raw value a jar reads: the last cookie of that name set on this response, else the request's. */
    Optional<String> get(String name) {
        List<Cookie> set = new ArrayList<>(outgoing.values());
        for (int i = set.size() - 1; i >= 0; i--) {
            Cookie cookie = set.get(i);
            if (cookie.name().equals(name)) {
                boolean removed = cookie.maxAge().map(java.time.Duration::isZero).orElse(false);
                return removed ? Optional.empty() : Optional.of(cookie.value());
            }
        }
        return Optional.ofNullable(incoming().get(name));
    }

    void add(Cookie cookie) {
        if (applied) {
            throw new IllegalStateException("cookie '" + cookie.name() + "' was added to the jar after the handler"
                    + " returned, too late to reach the response; on the way out, use Cookies.set(request, response, cookie)");
        }
        String key = cookie.name() + '\0' + cookie.path() + '\0' + cookie.domain().orElse("");
        outgoing.remove(key);
        outgoing.put(key, cookie);
    }

    private Response apply(Response response) {
        applied = true;
        Response out = response;
        for (Cookie cookie : outgoing.values()) {
            out = out.withAddedHeader("set-cookie", cookie.toHeaderValue(request));
        }
        return out;
    }
}
