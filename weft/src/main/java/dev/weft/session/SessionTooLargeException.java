package dev.weft.session;

import dev.weft.WeftException;

/**
 * A value did not fit in the session: a cookie session past its cookie's 4096 bytes, or a stored
 * session past its {@code maxBytes}. Thrown by {@link Session#put}, so the handler fails there
 * (500 and a log line naming the key) instead of the session being dropped silently.
 */
public final class SessionTooLargeException extends WeftException {
    public SessionTooLargeException(String message) {
        super(message);
    }
}
