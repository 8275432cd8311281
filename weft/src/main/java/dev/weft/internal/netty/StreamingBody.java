package dev.weft.internal.netty;

import dev.weft.internal.http.AbstractBody;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.OptionalLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A request body that arrives while the handler runs. The event loop {@link #offer}s chunks; the
 * request's virtual thread reads them. Back-pressure: past {@link #HIGH_WATER} queued bytes the
 * connection stops reading until the reader drains below {@link #LOW_WATER}.
 *
 * <p>Chunks are copied out of Netty's buffers on the event loop, so no reference-counted buffer
 * crosses threads.
 */
final class StreamingBody extends AbstractBody {
    static final int HIGH_WATER = 256 * 1024;
    static final int LOW_WATER = 64 * 1024;

    /** What the body needs from its connection; all methods are safe to call from any thread. */
    interface Connection {
        /** Sends {@code 100 Continue} if the client asked for it; called before the first read. */
        void continueIfExpected();

        /** Reading may resume (the queue drained below the low-water mark). */
        void resumeReading();
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<byte[]> chunks = new ArrayDeque<>();
    private final Connection connection;
    private int queued;
    private boolean complete;
    private boolean aborted;
    private boolean paused;

    StreamingBody(OptionalLong declaredLength, Connection connection) {
        super(declaredLength);
        this.connection = connection;
    }

    /** Event loop: adds a chunk. Returns whether the connection should pause reading. */
    boolean offer(ByteBuf content) {
        int n = content.readableBytes();
        if (n == 0) {
            return false;
        }
        byte[] chunk = new byte[n];
        content.readBytes(chunk);
        lock.lock();
        try {
            if (aborted) {
                return false;
            }
            chunks.add(chunk);
            queued += n;
            changed.signalAll();
            if (queued > HIGH_WATER) {
                paused = true;
            }
            return paused;
        } finally {
            lock.unlock();
        }
    }

    /** Event loop: the last chunk arrived. */
    void finish() {
        lock.lock();
        try {
            complete = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Event loop: the connection closed, or the response went out before the body ended. */
    void abort() {
        lock.lock();
        try {
            aborted = true;
            chunks.clear();
            queued = 0;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    protected InputStream open() {
        connection.continueIfExpected();
        return new InputStream() {
            private byte[] current;
            private int offset;

            @Override
            public int read() throws IOException {
                if (current == null || offset == current.length) {
                    current = take();
                    offset = 0;
                    if (current == null) {
                        return -1;
                    }
                }
                return current[offset++] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) {
                    return 0;
                }
                if (current == null || offset == current.length) {
                    current = take();
                    offset = 0;
                    if (current == null) {
                        return -1;
                    }
                }
                int n = Math.min(len, current.length - offset);
                System.arraycopy(current, offset, b, off, n);
                offset += n;
                return n;
            }
        };
    }

    /** Virtual thread: the next chunk, {@code null} at the end; blocks while none is queued. */
    private byte[] take() throws IOException {
        boolean resume = false;
        lock.lock();
        try {
            while (chunks.isEmpty() && !complete && !aborted) {
                changed.await();
            }
            if (aborted) {
                throw new IOException("the connection closed before the request body was complete");
            }
            byte[] chunk = chunks.poll();
            if (chunk == null) {
                return null;
            }
            queued -= chunk.length;
            if (paused && queued < LOW_WATER) {
                paused = false;
                resume = true;
            }
            return chunk;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while reading the request body");
        } finally {
            lock.unlock();
            if (resume) {
                connection.resumeReading();
            }
        }
    }
}
