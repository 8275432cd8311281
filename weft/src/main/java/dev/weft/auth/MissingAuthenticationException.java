package dev.weft.auth;

import dev.weft.WeftException;

/**
 * A route asks for a principal or a role, but no authentication layer wraps it. Thrown by
 * {@code Router.Builder.build()}, naming the route.
 */
public final class MissingAuthenticationException extends WeftException {
    private static final long serialVersionUID = 1L;

    public MissingAuthenticationException(String message) {
        super(message);
    }
}
