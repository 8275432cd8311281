package dev.weft.extract;

import dev.weft.middleware.Middleware;
import java.util.List;
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
     * layers. A layer renamed with {@link Middleware#named} counts with the kind of the one it
     * wraps. The authentication extractors of {@code dev.weft.auth} use it to refuse a route that
     * asks for a principal no layer can provide.
     */
    boolean hasLayer(Middleware.Kind kind);

    /**
     * The layers wrapping this route (in the places {@link #hasLayer(Middleware.Kind)} looks)
     * that are instances of {@code type}, outermost first; a layer renamed with
     * {@link Middleware#named} counts as the one it wraps. Extractors that read what a layer
     * attached to the request ({@code Sessions.session()}, {@code RequestId.extractor()}) use it
     * to refuse, at {@code build()}, a route no such layer wraps.
     */
    <T> List<T> layers(Class<T> type);

    /** {@code "GET /todos/{id}"}: how error messages name the route. */
    default String describe() {
        return method() + " " + pattern();
    }
}
