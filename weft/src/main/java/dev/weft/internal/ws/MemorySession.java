package dev.weft.internal.ws;

import dev.weft.http.Request;
import dev.weft.internal.routing.RouterHooks;
import dev.weft.json.JsonCodec;
import dev.weft.response.ResponseBody;
import dev.weft.routing.Router;
import dev.weft.ws.Message;
import dev.weft.ws.WebSocket;
import dev.weft.ws.WebSocketClosedException;
import dev.weft.ws.WebSocketHandler;
import dev.weft.ws.WebSocketOptions;
import dev.weft.ws.WebSocketUpgrade;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A WebSocket session without a socket, for the in-memory test client: the handler gets a
 * {@link WebSocket} whose messages go to a queue the test reads, and the test's messages arrive
 * through {@link #clientSend}. The session rules that do not need a network hold: the message
 * limit (Close 1009), sends blocking while {@code maxPendingBytes} wait unread by the test and
 * failing with 1008 after {@code sendTimeout}, the close handshake, the end interrupting the
 * handler. There is no heartbeat (nothing can vanish).
 *
 * <p>Thread-safe: one lock guards both directions.
 */
public final class MemorySession implements WebSocket, Port {
    private static final Logger LOG = LoggerFactory.getLogger(MemorySession.class);

    private final Request request;
    private final WebSocketOptions options;
    private final Optional<String> protocol;
    private final JsonCodec codec;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Message> toServer = new ArrayDeque<>();
    private final ArrayDeque<Message> toClient = new ArrayDeque<>();
    private long pending;
    private boolean overBound;
    /** Why the session ended, as the server sees it; and the Close the client gets. */
    private Message.Close ended;
    private Message.Close clientClose;
    private final List<Runnable> roomListeners = new CopyOnWriteArrayList<>();
    private final List<Runnable> endListeners = new CopyOnWriteArrayList<>();
    private volatile Thread thread;

    private MemorySession(Request request, WebSocketOptions options, Optional<String> protocol, JsonCodec codec) {
        this.request = request;
        this.options = options;
        this.protocol = protocol;
        this.codec = codec;
    }

    /** Starts the session {@code upgrade} accepted, with {@code router}'s JSON codec. */
    public static MemorySession start(Router router, ResponseBody.Upgrade upgrade) {
        WebSocketUpgrade handshake = upgrade.upgrade();
        MemorySession session = new MemorySession(handshake.request(), handshake.options(), handshake.protocol(),
                RouterHooks.jsonCodec(router));
        session.start(upgrade.handler());
        return session;
    }

    /** Runs {@code handler} on a virtual thread of its own, as the server would. */
    private void start(WebSocketHandler handler) {
        thread = Thread.ofVirtual().name("weft-websocket-memory").start(() -> {
            try {
                handler.handle(this);
                close(Message.Close.NORMAL, "");
            } catch (WebSocketClosedException | InterruptedException | InterruptedIOException e) {
                close(Message.Close.NORMAL, "");
            } catch (Throwable e) {
                LOG.error("WebSocket handler of {} failed", request.path(), e);
                close(Message.Close.INTERNAL_ERROR, "internal error");
            } finally {
                thread = null;
            }
        });
    }

    // ---------------------------------------------------------------- the test's side

    /** The test sends a message; a message over the limit ends the session with 1009, as on a socket. */
    public void clientSend(Message message) {
        lock.lock();
        try {
            if (ended != null) {
                return;
            }
            int size = switch (message) {
                case Message.Text t -> t.text().getBytes(StandardCharsets.UTF_8).length;
                case Message.Binary b -> b.bytes().length;
                case Message.Close c -> throw new IllegalArgumentException("close with clientClose");
            };
            if (size > options.maxMessageBytes()) {
                endLocked(new Message.Close(Message.Close.TOO_BIG, "message larger than " + options.maxMessageBytes()
                        + " bytes"));
                return;
            }
            toServer.add(message);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The test closes: the handler's {@code receive()} returns this Close after what was sent before it. */
    public void clientClose(int code, String reason) {
        lock.lock();
        try {
            endLocked(new Message.Close(code, reason));
        } finally {
            lock.unlock();
        }
    }

    /**
     * The next message for the test, or the Close once the server ended the session and every
     * earlier message was read; null after {@code timeout}.
     */
    public Message clientReceive(Duration timeout) throws InterruptedException {
        long nanos = timeout.toNanos();
        List<Runnable> room = List.of();
        Message m;
        lock.lock();
        try {
            while (toClient.isEmpty() && clientClose == null) {
                if (nanos <= 0) {
                    return null;
                }
                nanos = changed.awaitNanos(nanos);
            }
            m = toClient.poll();
            if (m == null) {
                return clientClose;
            }
            pending -= sizeOf(m);
            changed.signalAll();
            if (overBound && pending <= options.maxPendingBytes() / 2) {
                overBound = false;
                room = roomListeners;
            }
        } finally {
            lock.unlock();
        }
        room.forEach(Runnable::run);
        return m;
    }

    private static int sizeOf(Message m) {
        return switch (m) {
            case Message.Text t -> t.text().getBytes(StandardCharsets.UTF_8).length;
            case Message.Binary b -> b.bytes().length;
            case Message.Close c -> 0;
        };
    }

    // ---------------------------------------------------------------- WebSocket (the handler's side)

    @Override
    public Message receive() throws InterruptedException {
        return take(-1);
    }

    @Override
    public Optional<Message> receive(Duration timeout) throws InterruptedException {
        return Optional.ofNullable(take(timeout.toNanos()));
    }

    private Message take(long nanos) throws InterruptedException {
        lock.lock();
        try {
            while (toServer.isEmpty() && ended == null) {
                if (nanos < 0) {
                    changed.await();
                } else if (nanos == 0) {
                    return null;
                } else {
                    nanos = changed.awaitNanos(nanos);
                }
            }
            Message m = toServer.poll();
            return m != null ? m : ended;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void send(String text) throws IOException {
        enqueue(new Message.Text(text));
    }

    @Override
    public void send(byte[] bytes) throws IOException {
        enqueue(new Message.Binary(bytes.clone()));
    }

    @Override
    public void sendJson(Object value) throws IOException {
        enqueue(new Message.Text(new String(codec.write(value), StandardCharsets.UTF_8)));
    }

    private void enqueue(Message m) throws IOException {
        int size = sizeOf(m);
        lock.lock();
        try {
            long timeout = options.sendTimeout().toNanos();
            long deadline = System.nanoTime() + timeout;
            long seen = pending;
            while (ended == null && pending > 0 && pending + size > options.maxPendingBytes()) {
                long now = System.nanoTime();
                if (pending < seen) {
                    seen = pending;
                    deadline = now + timeout;
                }
                if (now - deadline >= 0) {
                    endLocked(new Message.Close(Message.Close.POLICY_VIOLATION, "slow consumer"));
                    break;
                }
                try {
                    changed.awaitNanos(deadline - now);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while waiting to send");
                }
            }
            if (ended != null) {
                throw new WebSocketClosedException(ended);
            }
            toClient.add(m);
            pending += size;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close(int code, String reason) {
        Message.Close close = Message.Close.of(code, reason);
        lock.lock();
        try {
            endLocked(close);
        } finally {
            lock.unlock();
        }
    }

    /** Ends the session (first reason wins): the test gets the Close after what was sent before it. */
    private void endLocked(Message.Close close) {
        if (ended != null) {
            return;
        }
        ended = close;
        clientClose = close;
        changed.signalAll();
        Thread t = thread;
        if (t != null && t != Thread.currentThread()) {
            t.interrupt();
        }
        for (Runnable listener : endListeners) {
            if (endListeners.remove(listener)) {
                Thread.ofVirtual().start(listener); // never under this lock
            }
        }
    }

    @Override
    public boolean isOpen() {
        lock.lock();
        try {
            return ended == null;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Optional<Message.Close> closeReason() {
        lock.lock();
        try {
            return Optional.ofNullable(ended);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Optional<String> protocol() {
        return protocol;
    }

    @Override
    public Request request() {
        return request;
    }

    // ---------------------------------------------------------------- Port

    @Override
    public boolean offer(SharedFrame message) {
        lock.lock();
        try {
            if (ended != null) {
                return false;
            }
            int size = message.payload().length;
            if (pending > 0 && pending + size > options.maxPendingBytes()) {
                overBound = true;
                return false;
            }
            toClient.add(message.text() ? new Message.Text(new String(message.payload(), StandardCharsets.UTF_8))
                    : new Message.Binary(message.payload().clone()));
            pending += size;
            changed.signalAll();
            return true;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void onRoom(Runnable listener) {
        roomListeners.add(listener);
    }

    @Override
    public void onEnd(Runnable listener) {
        endListeners.add(listener);
        boolean over;
        lock.lock();
        try {
            over = ended != null;
        } finally {
            lock.unlock();
        }
        if (over && endListeners.remove(listener)) {
            listener.run();
        }
    }

    @Override
    public void closeSlow(String reason) {
        lock.lock();
        try {
            endLocked(new Message.Close(Message.Close.POLICY_VIOLATION, reason));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean ended() {
        return !isOpen();
    }
}
