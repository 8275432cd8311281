package dev.weft.internal.http;

import java.io.IOException;

/**
 * A compressed request body that cannot be decoded: truncated, corrupt, or not in the coding it
 * claims. Its message is client-safe ("is not valid gzip data: ..."); Weft answers it with 400
 * ({@code Rejection.InvalidBody}), whether an extractor or a handler's own read hit it.
 */
public final class MalformedBodyException extends IOException {
    private static final long serialVersionUID = 1L;

    public MalformedBodyException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
