package dev.weft.routing;

import dev.weft.WeftException;

/** Two routes of an app claim the same method and path shape, or two merged routers both set a fallback. Thrown by {@link Router.Builder#build()}. */
public final class RouteConflictException extends WeftException {
    private static final long serialVersionUID = 1L;

    public RouteConflictException(String message) {
        super(message);
    }
}
