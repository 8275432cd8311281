package dev.weft.http;

import java.io.InputStream;
import java.util.OptionalLong;

/**
 * The body of a request, read lazily from the connection on the request's virtual thread.
 *
 * <p>Every read enforces the route's body limit (2 MiB unless the route or router sets another):
 * a body over the limit is refused with {@link dev.weft.extract.Rejection.PayloadTooLarge}
 * (413), without reading it at all when {@code Content-Length} already says it is too big.
 * A body that nobody reads is discarded by the server without desynchronising the connection.
 */
public interface RequestBody {

    /** The length the client declared in {@code Content-Length}, if any. */
    OptionalLong declaredLength();

    /** The limit in bytes that applies to this request. */
    long limit();

    /**
     * Reads the whole body.
     *
     * @throws dev.weft.extract.RejectedException with {@code PayloadTooLarge} past the limit, or
     *     {@code InvalidBody} if the client closed the connection before the body ended
     * @throws IllegalStateException if the body was already consumed as a stream
     */
    byte[] bytes();

    /**
     * The body as a stream for incremental reading. Reading past the limit throws
     * {@link BodyTooLargeException}.
     *
     * @throws IllegalStateException if the body was already consumed
     */
    InputStream stream();
}
