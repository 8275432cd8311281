package dev.weft.response;

import java.util.Objects;

/**
 * What a {@link Response} carries after its head.
 *
 * <p>{@link Json} bodies are encoded when the response is sent, with the application's
 * {@link dev.weft.json.JsonCodec}, so middleware can still inspect the value. {@link Streaming}
 * bodies are written while they are sent.
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

    /**
     * A body produced while it is sent (see {@link BodyWriter}).
     *
     * @param length the exact length in bytes, sent as {@code content-length}; negative when
     *     unknown (then HTTP/1.1 uses chunked encoding and HTTP/1.0 closes the connection after it)
     */
    record Streaming(BodyWriter writer, long length) implements ResponseBody {
        public Streaming {
            Objects.requireNonNull(writer, "writer");
        }
    }

    /**
     * A {@code 101 Switching Protocols} answer to a WebSocket handshake, made by
     * {@link dev.weft.ws.WebSocketUpgrade#accept}: once the head is written, the connection
     * speaks WebSocket and {@code handler} runs the session.
     */
    record Upgrade(dev.weft.ws.WebSocketUpgrade upgrade, dev.weft.ws.WebSocketHandler handler) implements ResponseBody {
        public Upgrade {
            Objects.requireNonNull(upgrade, "upgrade");
            Objects.requireNonNull(handler, "handler");
        }
    }

    /** The shared empty body. */
    ResponseBody EMPTY = new Empty();
}
