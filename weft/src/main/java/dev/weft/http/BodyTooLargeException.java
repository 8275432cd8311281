package dev.weft.http;

import java.io.IOException;

/**
 * Thrown by a {@link RequestBody#stream()} read that goes past the body limit. Weft answers a
 * handler that lets it escape with 413.
 */
public final class BodyTooLargeException extends IOException {
    private static final long serialVersionUID = 1L;
    private final long limitBytes;

    public BodyTooLargeException(long limitBytes) {
        super("the request body exceeds the limit of " + limitBytes + " bytes");
        this.limitBytes = limitBytes;
    }

    public long limitBytes() {
        return limitBytes;
    }
}
