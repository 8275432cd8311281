package dev.weft.test;

import dev.weft.http.Headers;
import dev.weft.internal.http.Exchange;
import dev.weft.internal.http.LiveOutput;
import dev.weft.internal.http.ServerRequest;
import dev.weft.json.JsonCodec;
import dev.weft.response.BodyOutput;
import dev.weft.routing.Router;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A response read while it is produced, without a socket: the handler and then its streamed
 * body's writer run on a virtual thread, each flush (or full {@link Exchange#STREAM_CHUNK})
 * passes a chunk to the reading side, and closing the reading side is what a client leaving is
 * to the writer (its writes fail, and an event stream is woken, see {@link LiveOutput}). As on
 * the network, a body failing before anything was sent is answered 500 instead, and one failing
 * later is cut off: the reader's next read throws.
 */
final class InMemoryStream {

    /** The response head, and its body as it arrives. */
    record Head(int status, Headers headers, InputStream body) {}

    private static final byte[] END = new byte[0];

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<byte[]> chunks = new ArrayDeque<>();
    private final CompletableFuture<Head> head = new CompletableFuture<>();
    private Exchange.Finished finished;
    private boolean clientClosed;
    private IOException cut;
    private volatile Runnable watcher;
    private ServerRequest request;

    private InMemoryStream() {}

    /** Runs {@code request} through {@code router} on a virtual thread; the head is ready once committed. */
    static CompletableFuture<Head> start(Router router, ServerRequest request) {
        InMemoryStream stream = new InMemoryStream();
        Thread.ofVirtual().name("weft-test-stream").start(() -> stream.run(router, request));
        return stream.head;
    }

    private void run(Router router, ServerRequest request) {
        this.request = request;
        try {
            finished = Exchange.run(router, request);
            if (!finished.streams()) {
                request.headSent();
                head.complete(new Head(finished.status().code(), finished.headers(),
                        new ByteArrayInputStream(finished.body())));
                request.complete(finished.status().code(), finished.body().length, false);
                return;
            }
            Output out = new Output(finished.stream().codec());
            try {
                finished.stream().writer().writeTo(out);
                out.finish();
                request.complete(finished.status().code(), out.sent, false);
            } catch (Exception | Error e) {
                if (!head.isDone()) {
                    Exchange.Finished instead = Exchange.streamFailed(request, e);
                    request.headSent();
                    head.complete(new Head(instead.status().code(), instead.headers(),
                            new ByteArrayInputStream(instead.body())));
                    request.complete(instead.status().code(), instead.body().length, false);
                } else {
                    Exchange.streamCut(request, out.sent, e);
                    endWith(new IOException("the response body was cut off: " + e, e));
                    request.complete(finished.status().code(), out.sent, true);
                }
                if (e instanceof Error error) {
                    throw error;
                }
            }
        } catch (RuntimeException e) {
            head.completeExceptionally(e);
        }
    }

    /** Writer: the head goes to the reader with the first chunk. */
    private void commit() {
        if (!head.isDone()) {
            request.headSent();
            Headers headers = Headers.builder().addAll(finished.own()).add("date", Exchange.now()).build();
            head.complete(new Head(finished.status().code(), headers, new Input()));
        }
    }

    private void pass(byte[] chunk) throws IOException {
        lock.lock();
        try {
            if (clientClosed) {
                throw new Exchange.ClientGoneException("the test client closed the stream");
            }
            chunks.add(chunk);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void endWith(IOException failure) {
        lock.lock();
        try {
            cut = failure;
            chunks.add(END);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The server side: where the body's writer writes. */
    private final class Output extends BodyOutput implements LiveOutput {
        private final JsonCodec codec;
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        private long sent;

        Output(JsonCodec codec) {
            super(codec);
            this.codec = codec;
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            ensureOpen();
            buffer.write(bytes, offset, length);
            if (buffer.size() >= Exchange.STREAM_CHUNK) {
                flush();
            }
        }

        @Override
        public void flush() throws IOException {
            ensureOpen();
            commit();
            if (buffer.size() > 0) {
                byte[] chunk = buffer.toByteArray();
                buffer.reset();
                sent += chunk.length;
                pass(chunk);
            }
        }

        void finish() throws IOException {
            flush();
            lock.lock();
            try {
                chunks.add(END);
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }

        private void ensureOpen() throws IOException {
            lock.lock();
            try {
                if (clientClosed) {
                    throw new Exchange.ClientGoneException("the test client closed the stream");
                }
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void watch(Runnable wake) {
            watcher = wake;
        }

        @Override
        public void unwatch() {
            watcher = null;
        }

        @Override
        public boolean clientConnected() {
            lock.lock();
            try {
                return !clientClosed;
            } finally {
                lock.unlock();
            }
        }

        @Override
        public boolean goingAway() {
            return false; // no server to shut down
        }

        @Override
        public JsonCodec codec() {
            return codec;
        }
    }

    /** The client side: the body as the writer flushes it. */
    private final class Input extends InputStream {
        private byte[] current = new byte[0];
        private int offset;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            while (offset == current.length) {
                if (current == END) {
                    return end();
                }
                current = take();
                offset = 0;
            }
            int n = Math.min(len, current.length - offset);
            System.arraycopy(current, offset, b, off, n);
            offset += n;
            return n;
        }

        private int end() throws IOException {
            lock.lock();
            try {
                if (cut != null) {
                    throw cut;
                }
                return -1;
            } finally {
                lock.unlock();
            }
        }

        private byte[] take() throws IOException {
            lock.lock();
            try {
                while (chunks.isEmpty()) {
                    if (clientClosed) {
                        throw new IOException("closed");
                    }
                    changed.await();
                }
                return chunks.poll();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for the response body");
            } finally {
                lock.unlock();
            }
        }

        /** The client leaves: the writer's next write fails, and a watching writer is woken. */
        @Override
        public void close() {
            lock.lock();
            try {
                clientClosed = true;
                chunks.clear();
                changed.signalAll();
            } finally {
                lock.unlock();
            }
            Runnable w = watcher;
            if (w != null) {
                w.run();
            }
        }
    }
}
