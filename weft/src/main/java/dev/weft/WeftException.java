package dev.weft;

/**
 * A programming or configuration mistake found by Weft, usually while an app is being built.
 *
 * <p>Messages name the route or option at fault and say how to fix it. These exceptions are
 * meant to stop startup; they are never turned into HTTP responses.
 */
public class WeftException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public WeftException(String message) {
        super(message);
    }

    public WeftException(String message, Throwable cause) {
        super(message, cause);
    }
}
