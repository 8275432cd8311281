package dev.weft.routing;

import dev.weft.WeftException;

/** A route asks for application state that its router was never given. Thrown by {@link Router.Builder#build()}. */
public final class MissingStateException extends WeftException {
    private static final long serialVersionUID = 1L;

    public MissingStateException(String message) {
        super(message);
    }
}
