package dev.weft.routing;

import dev.weft.internal.routing.PathPattern;
import dev.weft.middleware.Middleware;
import java.util.List;
import java.util.Map;

/**
 * One router of the tree once flattened: where it is mounted, the layers that wrap the answers
 * it gives for paths it owns but cannot serve (404, 405, OPTIONS), and its settings.
 *
 * @param prefix the full mount prefix; {@code null} for the root and routers merged into it
 * @param depth nesting depth, the root being 0
 * @param fallback the router's own fallback, or {@code null}
 * @param missLayers the layers around its 404/405/OPTIONS answers, outermost first, excluding the
 *     root's own layers (those wrap everything)
 */
record Scope(
        PathPattern prefix,
        int depth,
        Handler fallback,
        List<Middleware> missLayers,
        Map<Class<?>, Object> states,
        Map<Class<? extends Throwable>, ExceptionMapper<?>> mappers,
        long bodyLimit) {

    boolean owns(String path) {
        return prefix == null || prefix.isPrefixOf(path);
    }
}
