package dev.weft.response;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Sends what a streamed list ({@code Response.ndjson}, {@code Response.jsonArray}) has written
 * once it has waited {@link #DELAY_MILLIS} ms in the buffer, so an item reaches the client
 * promptly when the next one is slow to come (a blocking queue, a slow cursor), while a fast
 * producer still fills whole chunks: at most one extra flush per delay, never one per item.
 *
 * <p>A plain {@link java.util.Iterator} cannot say whether its next element is ready, so the
 * writer cannot decide; a second (virtual) thread, started at the first item, flushes on a timer
 * instead. It touches the output only under this pacer's lock, which the writer holds while it
 * writes, and never after {@link #stop}. Between flushes it parks without a timer, so a stream
 * idle for minutes costs no wake-ups.
 */
final class Pacer implements Runnable {
    /** How long written bytes may wait in the buffer before they are sent. */
    static final long DELAY_MILLIS = 5;
    private static final long DELAY_NANOS = TimeUnit.MILLISECONDS.toNanos(DELAY_MILLIS);

    /** What the writer does under the lock. */
    interface Write {
        void run() throws IOException;
    }

    private final BodyOutput out;
    private final ReentrantLock lock = new ReentrantLock();
    /** Bytes were written since the last flush; set under the lock, read by the flusher to wait. */
    private volatile boolean dirty;
    private volatile boolean stopped;
    /** Why the flusher's flush failed (guarded by the lock); the writer throws it on its next write. */
    private Exception failure;
    /** The flusher; used by the writer's thread only. */
    private Thread flusher;

    Pacer(BodyOutput out) {
        this.out = out;
    }

    /** Writer: runs {@code write} while the flusher keeps off, then has it flushed within the delay. */
    void write(Write write) throws IOException {
        boolean wake;
        lock.lock();
        try {
            rethrow();
            write.run();
            wake = !dirty;
            dirty = true;
        } finally {
            lock.unlock();
        }
        if (wake) {
            if (flusher == null) {
                flusher = Thread.ofVirtual().name("weft-stream-flush").start(this);
            } else {
                LockSupport.unpark(flusher);
            }
        }
    }

    /**
     * Writer, when the elements are done: no flush after this returns, the writer has the output
     * to itself again; throws what a timed flush ran into (the client left).
     */
    void stop() throws IOException {
        close();
        lock.lock();
        try {
            rethrow();
        } finally {
            lock.unlock();
        }
    }

    /** Writer, on every way out (also after a failure, which must not be masked): stops the flusher. */
    void close() {
        lock.lock();
        try {
            stopped = true;
        } finally {
            lock.unlock();
        }
        if (flusher != null) {
            LockSupport.unpark(flusher);
        }
    }

    private void rethrow() throws IOException {
        Exception failed = failure;
        if (failed instanceof IOException io) {
            throw io;
        }
        if (failed instanceof RuntimeException e) {
            throw e;
        }
    }

    /** The flusher: waits for bytes, lets them wait the delay, sends them. */
    @Override
    public void run() {
        while (!stopped) {
            while (!dirty && !stopped) {
                LockSupport.park(this);
            }
            long deadline = System.nanoTime() + DELAY_NANOS;
            for (long left = DELAY_NANOS; left > 0 && !stopped; left = deadline - System.nanoTime()) {
                LockSupport.parkNanos(this, left);
            }
            lock.lock();
            try {
                if (stopped) {
                    return;
                }
                if (dirty) {
                    dirty = false;
                    out.flush();
                }
            } catch (IOException | RuntimeException e) {
                failure = e; // the client is gone or the output broke: the writer finds out on its next write
                return;
            } finally {
                lock.unlock();
            }
        }
    }
}
