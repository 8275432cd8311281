package dev.weft.response;

import java.io.IOException;

/**
 * Produces a response body while it is sent, for bodies too large or too slow to build first.
 *
 * <pre>{@code
 * Response.stream("text/csv", out -> {
 *     for (Row row : rows) {
 *         out.writeText(row.toCsvLine());
 *     }
 * })
 * }</pre>
 *
 * <p>{@link #writeTo} runs on the request's virtual thread after every earlier response on the
 * connection has been sent. Writes block while the client is not reading, so memory stays flat
 * whatever the body's size. Output is buffered in chunks of a few KiB; {@code out.flush()} sends
 * what is buffered now (for progress updates). If {@code writeTo} throws before anything was sent,
 * the client gets a 500 problem instead; afterwards the body is cut off (the connection or HTTP/2
 * stream is closed without completing it) and the failure is logged.
 */
@FunctionalInterface
public interface BodyWriter {

    /** Writes the whole body to {@code out}. Need not close {@code out}. */
    void writeTo(BodyOutput out) throws IOException;

    /**
     * Called instead of {@link #writeTo} when the body will not be sent: a {@code HEAD} request, a
     * status without a body, or a connection that ended before the response's turn. Releases what
     * the writer holds (an open stream, a cursor). The default does nothing.
     */
    default void discard() {}
}
