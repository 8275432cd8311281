package dev.weft.session;

import dev.weft.WeftException;
import java.time.Duration;
import java.util.Objects;

/**
 * A {@link SessionStore} could not answer right now (unreachable, refusing, or slower than its
 * timeout), as opposed to a bug or bad data. {@link Sessions} answers such a request with
 * {@code 503} problem+json and {@code retry-after} = {@link #retryAfter()}, instead of treating
 * the user as logged out or the session as new: the store may be back a moment later with the
 * session intact.
 *
 * <p>Stores throw it from any operation; {@code Sessions} tolerates it only from
 * {@link SessionStore#touch}, whose failure merely leaves the session's expiry where it was.
 */
public final class SessionStoreUnavailableException extends WeftException {
    private final Duration retryAfter;

    /**
     * @param message what failed, for logs (never shown to clients)
     * @param retryAfter when a client may try again; whole seconds, rounded up, at least 1 s
     * @param cause the underlying failure, or null
     */
    public SessionStoreUnavailableException(String message, Duration retryAfter, Throwable cause) {
        super(message, cause);
        this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
    }

    /** When a client may try again. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
