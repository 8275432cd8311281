package dev.weft.response;

import java.util.Objects;

/**
 * What a {@link Response} carries after its head.
 *
 * <p>{@link Json} bodies are encoded when the response is sent, with the application's
 * {@link dev.weft.json.JsonCodec}, so middleware can still inspect the value.
 */
public sealed interface ResponseBody {

    /** No content; {@code Content-Length: 0} unless the status forbids a body. */
    record Empty() implements ResponseBody {}

    /** Bytes already encoded; the array is not copied and must not be changed afterwards. */
    record Bytes(byte[] bytes) implements ResponseBody {
        public Bytes {
            Objects.requireNonNull(bytes, "bytes");
        }
    }

    /** A value to be encoded as JSON when the response is sent. */
    record Json(Object value) implements ResponseBody {}

    /** The shared empty body. */
    ResponseBody EMPTY = new Empty();
}
