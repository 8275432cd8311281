package dev.weft.routing;

import dev.weft.http.Method;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The methods registered on one path shape, and the scope that answers 405 and OPTIONS for it. */
final class PathEntry {
    private static final List<Method> ORDER = List.of(
            Method.GET, Method.HEAD, Method.POST, Method.PUT, Method.PATCH, Method.DELETE, Method.OPTIONS);

    private final Scope scope;
    private final Map<Method, Endpoint> byMethod = new LinkedHashMap<>();
    /** The GET and HEAD (else GET) endpoints, set by {@link #seal}: the lookups met most skip the map. */
    private Endpoint get;
    private Endpoint head;
    private String allow;

    PathEntry(Scope scope) {
        this.scope = scope;
    }

    /** Adds {@code endpoint}; returns the endpoint already registered for its method, if any. */
    Endpoint add(Endpoint endpoint) {
        return byMethod.putIfAbsent(endpoint.method(), endpoint);
    }

    /** Computes the {@code Allow} value once all routes are in. */
    void seal() {
        List<String> methods = new ArrayList<>();
        for (Method m : ORDER) {
            boolean present = byMethod.containsKey(m)
                    || (m.equals(Method.HEAD) && byMethod.containsKey(Method.GET))
                    || m.equals(Method.OPTIONS);
            if (present) {
                methods.add(m.name());
            }
        }
        for (Method m : byMethod.keySet()) {
            if (!ORDER.contains(m)) {
                methods.add(m.name());
            }
        }
        allow = String.join(", ", methods);
        get = byMethod.get(Method.GET);
        head = byMethod.getOrDefault(Method.HEAD, get);
    }

    /** The endpoint for {@code method}; HEAD falls back to GET. */
    Endpoint find(Method method) {
        // Method.of returns the constants, so the request methods met most are an identity check.
        if (method == Method.GET) {
            return get;
        }
        if (method == Method.HEAD) {
            return head;
        }
        Endpoint endpoint = byMethod.get(method);
        if (endpoint == null && method.equals(Method.HEAD)) {
            endpoint = byMethod.get(Method.GET);
        }
        return endpoint;
    }

    Scope scope() {
        return scope;
    }

    String allow() {
        return allow;
    }

    Iterable<Endpoint> endpoints() {
        return byMethod.values();
    }
}
