package dev.weft.ws;

import java.io.IOException;
import java.util.Objects;

/**
 * Thrown by {@link WebSocket#send} once the session is closed (or closing): the peer left, a limit
 * or the heartbeat ended it, the server is shutting down, or a send made no progress for the
 * send timeout. {@link #close()} says which.
 */
public final class WebSocketClosedException extends IOException {
    private final Message.Close close;

    public WebSocketClosedException(Message.Close close) {
        super("the WebSocket session is closed: " + close.code() + (close.reason().isEmpty() ? "" : " " + close.reason()));
        this.close = Objects.requireNonNull(close, "close");
    }

    /** Why the session ended. */
    public Message.Close close() {
        return close;
    }
}
