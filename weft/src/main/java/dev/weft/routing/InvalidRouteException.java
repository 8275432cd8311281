package dev.weft.routing;

import dev.weft.WeftException;

/** A route pattern, nest prefix or extractor does not fit: the message names the route and says how to fix it. Thrown by {@link Router.Builder#build()}. */
public final class InvalidRouteException extends WeftException {
    private static final long serialVersionUID = 1L;

    public InvalidRouteException(String message) {
        super(message);
    }
}
