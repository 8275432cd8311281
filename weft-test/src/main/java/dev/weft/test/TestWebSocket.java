package dev.weft.test;

import dev.weft.ws.Message;
import java.time.Duration;

/**
 * The client end of a WebSocket session in a test: in memory ({@link InMemoryClient#webSocket})
 * or over a real socket ({@link TestClient#webSocket}, {@link WebSocketClient}). Blocking; every
 * wait has a timeout, so a test fails instead of hanging.
 *
 * {@snippet class=dev.weft.test.WebSocketClientExamples region=echo}
 */
public interface TestWebSocket extends AutoCloseable {

    /** The server's answer to the handshake (101 when the session is open). */
    WebSocketClient.Handshake handshake();

    /** Sends a text message. */
    void send(String text);

    /** Sends a binary message. */
    void send(byte[] bytes);

    /**
     * The next whole message from the server, or its {@link Message.Close} once it closed.
     *
     * @throws AssertionError if nothing came within {@code timeout}
     */
    Message receive(Duration timeout);

    /** The next message within 5 seconds. */
    default Message receive() {
        return receive(Duration.ofSeconds(5));
    }

    /** The next message, which must be text; its text. */
    default String receiveText() {
        Message m = receive();
        if (m instanceof Message.Text text) {
            return text.text();
        }
        throw new AssertionError("expected a text message, got " + m);
    }

    /** Starts the closing handshake with {@code code} and {@code reason}. */
    void close(int code, String reason);

    /** Waits for the server to close; its Close (or 1006 if the connection just ended). */
    Message.Close awaitClose(Duration timeout);

    /** Ends the session at once, without a closing handshake. */
    @Override
    void close();
}
