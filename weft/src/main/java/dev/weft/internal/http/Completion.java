package dev.weft.internal.http;

/**
 * What became of a response, reported once per request to the listeners registered with
 * {@link ServerRequest#onComplete}: after its last byte was handed to the network (or to the
 * in-memory client), or when the exchange was given up.
 *
 * @param status the status sent, or 0 if none was (the client left first)
 * @param bytes body bytes written (after HEAD and bodiless statuses dropped theirs)
 * @param headNanos {@link System#nanoTime()} when the head was written, or 0 if it never was
 * @param endNanos {@link System#nanoTime()} when the exchange ended
 * @param aborted whether the client left, the stream was reset or the body was cut off, so the
 *     client did not receive the whole response
 */
public record Completion(int status, long bytes, long headNanos, long endNanos, boolean aborted) {}
