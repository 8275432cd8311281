package dev.weft.auth;

import java.time.Duration;
import java.util.Objects;

/**
 * Thrown by a verifier that cannot decide because what it checks against is unreachable (a key
 * set never fetched, a user database down). The layer answers {@code 503 Service Unavailable}
 * with {@code retry-after}, not 401: the client's credentials may well be good.
 */
public final class AuthUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final Duration retryAfter;

    /** {@code message} is logged by the caller, never sent to the client. */
    public AuthUnavailableException(String message, Duration retryAfter) {
        super(message, null, false, false);
        this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
    }

    /** How long the client should wait, sent as {@code retry-after} in whole seconds (at least 1). */
    public Duration retryAfter() {
        return retryAfter;
    }
}
