package dev.weft.routing;

import java.util.List;

/**
 * One row of the route table: a method and pattern with the middleware that wraps it, outermost
 * first. The router's own {@code layer}s are included.
 *
 * @param method the method, e.g. {@code GET}; {@code *} for a fallback
 * @param pattern the full pattern, including nest prefixes
 * @param middleware the names of the effective middleware, outermost first
 * @param bodyLimitBytes the body limit that applies to the route
 */
public record RouteInfo(String method, String pattern, List<String> middleware, long bodyLimitBytes) {
    public RouteInfo {
        middleware = List.copyOf(middleware);
    }
}
