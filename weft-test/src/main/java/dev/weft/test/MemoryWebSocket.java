package dev.weft.test;

import dev.weft.internal.ws.MemorySession;
import dev.weft.ws.Message;
import java.time.Duration;

/** The test's end of an in-memory WebSocket session ({@link InMemoryClient#webSocket}). */
final class MemoryWebSocket implements TestWebSocket {
    private final MemorySession session;
    private final WebSocketClient.Handshake handshake;

    MemoryWebSocket(MemorySession session, WebSocketClient.Handshake handshake) {
        this.session = session;
        this.handshake = handshake;
    }

    @Override
    public WebSocketClient.Handshake handshake() {
        return handshake;
    }

    @Override
    public void send(String text) {
        session.clientSend(new Message.Text(text));
    }

    @Override
    public void send(byte[] bytes) {
        session.clientSend(new Message.Binary(bytes.clone()));
    }

    @Override
    public Message receive(Duration timeout) {
        try {
            Message m = session.clientReceive(timeout);
            if (m == null) {
                throw new AssertionError("no message within " + timeout.toMillis() + " ms");
            }
            return m;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for a message", e);
        }
    }

    @Override
    public void close(int code, String reason) {
        session.clientClose(code, reason);
    }

    @Override
    public Message.Close awaitClose(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("the server did not close within " + timeout.toMillis() + " ms");
            }
            if (receive(Duration.ofNanos(left)) instanceof Message.Close close) {
                return close;
            }
        }
    }

    @Override
    public void close() {
        session.clientClose(Message.Close.ABNORMAL, "the test client went away");
    }
}
