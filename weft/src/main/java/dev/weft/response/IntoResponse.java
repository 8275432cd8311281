package dev.weft.response;

/**
 * A value that knows how to become a {@link Response}.
 *
 * <p>Handlers may return any {@code IntoResponse}; so are rejections and problems. Implement it
 * on your own result types to keep handlers free of HTTP details.
 */
@FunctionalInterface
public interface IntoResponse {
    /** Converts this value. Runs on the request's virtual thread; may not return {@code null}. */
    Response toResponse();
}
