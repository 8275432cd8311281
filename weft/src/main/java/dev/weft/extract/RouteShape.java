package dev.weft.extract;

import dev.weft.middleware.Middleware;
import java.util.Set;

/** What an extractor may check about its route when the router is built. */
public interface RouteShape {

    /** The method, e.g. {@code GET}. */
    String method();

    /** The full pattern, including the prefixes of enclosing {@code nest} calls. */
    String pattern();

    /** The names of the pattern's parameters, including a catch-all. */
    Set<String> pathParams();

    /** Whether state of exactly {@code type} was given to the router that declares the route. */
    boolean hasState(Class<?> type);

    /**
     * Whether a layer of {@code kind} wraps this route: a layer of the outermost router, a route
     * layer of this router or of a router it is nested or merged into, or one of the handler's own
     * layers. The authentication extractors of {@code dev.weft.auth} use it to refuse a route that
     * asks for a principal no layer can provide.
     */
    boolean hasLayer(Middleware.Kind kind);

    /** {@code "GET /todos/{id}"}: how error messages name the route. */
    default String describe() {
        return method() + " " + pattern();
    }
}
