package dev.weft.ws;

/**
 * What runs once a WebSocket handshake is accepted: the whole life of one session.
 *
 * <p>Runs on a virtual thread of its own, so it may block: {@link WebSocket#receive()} waits for
 * the next message. When it returns, the session is closed with 1000 if it is still open; when it
 * throws, with 1011 (the exception is logged, except a {@link WebSocketClosedException}).
 *
 * {@snippet class=dev.weft.ws.WebSocketExamples region=echo}
 */
@FunctionalInterface
public interface WebSocketHandler {

    /** Serves one session. */
    void handle(WebSocket socket) throws Exception;
}
