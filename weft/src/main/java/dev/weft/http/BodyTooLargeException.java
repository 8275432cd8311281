package dev.weft.http;

import java.io.IOException;

/**
 * Thrown by a {@link RequestBody#stream()} read that goes past the body limit. Weft answers a
 * handler that lets it escape with 413.
 */
public final class BodyTooLargeException extends IOException {
    private static final long serialVersionUID = 1L;
    /** The {@link #limitName()} of the route's body limit. */
    public static final String BODY_LIMIT = "body";

    private final long limitBytes;
    private final String limitName;

    public BodyTooLargeException(long limitBytes) {
        this(limitBytes, BODY_LIMIT);
    }

    /**
     * A read past the limit called {@code limitName}: {@value #BODY_LIMIT} for the route's body
     * limit, {@code maxWireBytes} or {@code maxDecodedBytes} for those of
     * {@link dev.weft.middleware.RequestDecompression}.
     */
    public BodyTooLargeException(long limitBytes, String limitName) {
        super(BODY_LIMIT.equals(java.util.Objects.requireNonNull(limitName, "limitName"))
                ? "the request body exceeds the limit of " + limitBytes + " bytes"
                : "the request body exceeds the " + limitName + " limit of " + limitBytes + " bytes");
        this.limitBytes = limitBytes;
        this.limitName = limitName;
    }

    public long limitBytes() {
        return limitBytes;
    }

    /** Which limit was passed (see {@link #BodyTooLargeException(long, String)}). */
    public String limitName() {
        return limitName;
    }
}
