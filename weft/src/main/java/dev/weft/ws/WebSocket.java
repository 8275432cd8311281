package dev.weft.ws;

import dev.weft.http.Request;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

/**
 * One WebSocket session, as its {@link WebSocketHandler} sees it: a blocking, thread-safe API.
 *
 * <p><b>Receiving.</b> {@link #receive()} blocks the handler's virtual thread until the next whole
 * message (fragments joined, UTF-8 checked, limits applied) and returns {@link Message.Close}
 * when the session ends, for whatever reason. While {@link WebSocketOptions#maxUnreadMessages()}
 * messages wait unread, Weft stops reading the socket, so a fast sender is held back by TCP.
 *
 * <p><b>Sending.</b> {@link #send(String)} and {@link #send(byte[])} may be called from any
 * thread; messages leave in the order the calls return. A send blocks while the bytes not yet
 * written to the socket would pass {@link WebSocketOptions#maxPendingBytes()}; if that lasts
 * longer than {@link WebSocketOptions#sendTimeout()} without progress, the peer is a slow
 * consumer: the session is closed with 1008 and the send throws {@link WebSocketClosedException}.
 *
 * <p><b>Heartbeat.</b> Weft answers the peer's pings at once from the I/O thread, whether or not
 * the handler reads, and pings the peer every {@link WebSocketOptions#heartbeat()}; a peer that
 * sends nothing at all (no pong, no message) for that interval plus
 * {@link WebSocketOptions#heartbeatTimeout()} is dead: the connection is closed and
 * {@code receive()} returns {@code Close(1006, "heartbeat timeout …")}.
 *
 * <p><b>Closing.</b> {@link #close(int, String)} sends a Close frame and waits (without blocking
 * the caller) up to {@link WebSocketOptions#closeTimeout()} for the peer's, then closes the
 * connection. When the peer closes, Weft answers its Close frame. When the session ends, the
 * handler's thread is interrupted if it is still running, so a handler blocked elsewhere learns it.
 *
 * {@snippet class=dev.weft.ws.WebSocketExamples region=echo}
 */
public interface WebSocket {

    /**
     * The next message, waiting for it; {@link Message.Close} once the session has ended (and on
     * every later call).
     *
     * @throws InterruptedException if the thread is interrupted while the session is open
     */
    Message receive() throws InterruptedException;

    /**
     * Like {@link #receive()}, waiting at most {@code timeout}.
     *
     * @return the next message, or empty if none arrived in time
     */
    Optional<Message> receive(Duration timeout) throws InterruptedException;

    /** Sends a text message. Thread-safe; blocks under back-pressure (see the class comment). */
    void send(String text) throws IOException;

    /** Sends a binary message (the array is not copied and must not change until the call returns). */
    void send(byte[] bytes) throws IOException;

    /** Sends {@code value} encoded as JSON by the application's codec, as a text message. */
    void sendJson(Object value) throws IOException;

    /** Closes with 1000 and no reason. */
    default void close() {
        close(Message.Close.NORMAL, "");
    }

    /**
     * Starts the closing handshake with {@code code} and {@code reason}; returns at once. Does
     * nothing if the session is already closing.
     *
     * @throws IllegalArgumentException if the code may not be sent or the reason is over 123 UTF-8 bytes
     */
    void close(int code, String reason);

    /** Whether messages can still be sent: no Close frame was sent or received and the connection is open. */
    boolean isOpen();

    /** Why the session ended, once it has. */
    Optional<Message.Close> closeReason();

    /** The subprotocol agreed in the handshake, if any. */
    Optional<String> protocol();

    /** The handshake request (its headers, path parameters, state and extensions). */
    Request request();
}
