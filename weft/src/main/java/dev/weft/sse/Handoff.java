package dev.weft.sse;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The small bounded queue between an event stream's producer (its own virtual thread) and its
 * writer (the response's virtual thread). Bounded by {@link #MAX_EVENTS} events and
 * {@link #MAX_BYTES} bytes (one larger event passes alone), so a producer faster than the client
 * is held back instead of buffered without limit; decoupled, so the writer can send keep-alive
 * comments and notice the client leaving while the producer blocks.
 *
 * <p>{@link #poke} may be called from any thread, including an event loop: it only signals.
 */
final class Handoff {
    static final int MAX_EVENTS = 16;
    static final int MAX_BYTES = 64 * 1024;

    /** What {@link #take} returns when the producer ended normally. */
    static final Object END = new Object();

    /** What {@link #take} returns when the producer failed. */
    record Failed(Throwable cause) {}

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notFull = lock.newCondition();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
    private int bytes;
    /** Why the writer stopped taking, or null while it takes. */
    private String closed;
    private boolean ended;
    private Throwable failure;
    private boolean poked;

    // ---------------------------------------------------------------- producer side

    /**
     * Producer: queues one encoded event, blocking while the queue is full.
     *
     * @throws IOException if the stream has ended (the client left, the server shuts down, the
     *     stream's lifetime passed), or the thread was interrupted
     */
    void put(byte[] event) throws IOException {
        lock.lock();
        try {
            while (closed == null && !queue.isEmpty()
                    && (queue.size() >= MAX_EVENTS || bytes + event.length > MAX_BYTES)) {
                notFull.await();
            }
            if (closed != null) {
                throw new IOException("the event stream is closed: " + closed);
            }
            queue.add(event);
            bytes += event.length;
            changed.signalAll();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while the event stream was full");
        } finally {
            lock.unlock();
        }
    }

    /** Producer: no more events; {@code cause} is the failure, or null. */
    void end(Throwable cause) {
        lock.lock();
        try {
            if (!ended) {
                ended = true;
                failure = cause;
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Whether events can still be queued. */
    boolean open() {
        lock.lock();
        try {
            return closed == null;
        } finally {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------- writer side

    /**
     * Writer: the next encoded event, {@link #END}, a {@link Failed}, or null if {@code nanos}
     * passed or someone {@link #poke}d first.
     */
    Object take(long nanos) throws InterruptedIOException {
        lock.lock();
        try {
            while (queue.isEmpty() && !ended && !poked && nanos > 0) {
                nanos = changed.awaitNanos(nanos);
            }
            poked = false;
            byte[] event = queue.poll();
            if (event != null) {
                bytes -= event.length;
                notFull.signalAll();
                return event;
            }
            if (ended) {
                return failure == null ? END : new Failed(failure);
            }
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the next event");
        } finally {
            lock.unlock();
        }
    }

    /** Whether the producer has ended (normally or not). */
    boolean ended() {
        lock.lock();
        try {
            return ended;
        } finally {
            lock.unlock();
        }
    }

    /** Any thread: the writer should look at the stream's state now. */
    void poke() {
        lock.lock();
        try {
            poked = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Writer: takes no more events; a blocked or later {@link #put} throws, naming {@code why}. */
    void close(String why) {
        lock.lock();
        try {
            if (closed == null) {
                closed = why;
            }
            queue.clear();
            bytes = 0;
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
