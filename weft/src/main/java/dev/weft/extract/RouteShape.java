package dev.weft.extract;

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

    /** {@code "GET /todos/{id}"}: how error messages name the route. */
    default String describe() {
        return method() + " " + pattern();
    }
}
