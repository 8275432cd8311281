package dev.weft.internal.routing;

/**
 * What a layer of the outermost router may ask of that router before it routes the request:
 * which methods a path has. The router puts itself on every request it handles
 * ({@code ServerRequest.routeLookup()}); {@code Cors} reads it for its default allowed methods and
 * {@code NormalizePath} to redirect or rewrite only to a path that has a route.
 *
 * <p>Thread-safe; allocates one match object for a path with parameters, nothing for a static one.
 */
public interface RouteLookup {
    /** Knows no routes: for requests that no router handles (a layer called directly in a test). */
    RouteLookup NONE = new RouteLookup() {
        @Override
        public String allow(String path) {
            return null;
        }

        @Override
        public String route(dev.weft.http.Method method, String path) {
            return null;
        }
    };

    /**
     * The {@code Allow} value of the routes at raw path {@code path} (e.g. {@code GET, HEAD,
     * OPTIONS}; GET implies HEAD, OPTIONS is always answered), or {@code null} if no route matches
     * it (a fallback may still answer it).
     */
    String allow(String path);

    /**
     * The full pattern of the route that serves {@code method} at raw path {@code path}, exactly as
     * the router would dispatch it (e.g. {@code /hooks/{id}}), or {@code null} if none does. A
     * {@code HEAD} is served by the {@code GET} route.
     */
    String route(dev.weft.http.Method method, String path);
}
