package dev.weft.internal.netty;

import dev.weft.internal.http.Exchange;
import dev.weft.internal.http.FileBody;
import dev.weft.internal.http.LiveOutput;
import dev.weft.internal.http.ServerRequest;
import dev.weft.json.JsonCodec;
import dev.weft.response.BodyOutput;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.DefaultFileRegion;
import io.netty.channel.socket.DuplexChannel;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.FileChannel;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A streamed response body on its way out: a {@link dev.weft.response.BodyWriter} writes here on
 * the request's virtual thread, which blocks while the channel is not writable, so at most about
 * one high-water mark of the body is buffered whatever its size.
 *
 * <p>Bytes are collected into chunks of {@link #CHUNK} bytes. The head is sent with the first
 * chunk, so a writer that fails before filling one can still be answered with an error; a body
 * that ends within its first chunk is sent with a {@code content-length}.
 *
 * <p>A long-lived body (an event stream) may {@link #watch} it: it is then woken when the client
 * leaves and registered with the server's shutdown, which ends it (see {@link LiveOutput}).
 *
 * <p>Used by one virtual thread; {@link #wake} is called by the event loop.
 */
final class ResponseStream extends BodyOutput implements LiveOutput {
    private static final Logger LOG = LoggerFactory.getLogger(ResponseStream.class);
    static final int CHUNK = Exchange.STREAM_CHUNK;

    /** How head and chunks are framed on this protocol. */
    interface Framing {
        /** The response head; {@code length} is the body's exact length, or -1 if not known yet. */
        Object head(long length);

        /** A chunk of the body (ownership of {@code data} passes on). */
        Object content(ByteBuf data);

        /** The final chunk, possibly empty (ownership of {@code data} passes on). */
        Object last(ByteBuf data);
    }

    /**
     * Where the frames go: on HTTP/1.1 the connection, on HTTP/2 one stream of it. All methods
     * are called from the writer's virtual thread.
     */
    interface Outlet {
        /** Whether a write may go out now; while not, the writer waits for {@link #wake}. */
        boolean writable();

        /** Whether the client can still receive the response. */
        boolean open();

        /** Writes {@code msg}, flushing if {@code flush}. */
        ChannelFuture write(Object msg, boolean flush);

        /** The connection itself, writable while its outbound buffer is below its high-water mark. */
        static Outlet of(ChannelHandlerContext ctx) {
            return new Outlet() {
                @Override
                public boolean writable() {
                    return ctx.channel().isWritable();
                }

                @Override
                public boolean open() {
                    return ctx.channel().isActive();
                }

                @Override
                public ChannelFuture write(Object msg, boolean flush) {
                    return flush ? ctx.writeAndFlush(msg) : ctx.write(msg);
                }
            };
        }
    }

    private final ChannelHandlerContext ctx;
    private final ServerState server;
    private final JsonCodec codec;
    private final Outlet outlet;
    private final Framing framing;
    /** The declared length ({@code content-length}), or -1. */
    private final long declared;
    /** The longest the writer waits for the channel to become writable (the write-stall timeout). */
    private final long stallNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private ByteBuf buffer;
    /** The last chunk written, for a cut-off body to wait for before the connection is closed. */
    private ChannelFuture lastWrite;
    private long written;
    private boolean headSent;
    /** The request answered, told when the head goes out; set by {@link #writeAll}. */
    private ServerRequest request;
    private volatile Throwable failure;
    /** Run by {@link #wake} and at shutdown while a long-lived body watches; else null. */
    private volatile Runnable watcher;
    private volatile boolean goingAway;
    /** Whether a {@link FileBody} may go out as a file region: cleartext HTTP/1.x, where nothing transforms the bytes. */
    private boolean fileRegions;
    private final ServerState.Live live = () -> {
        goingAway = true;
        Runnable w = watcher;
        if (w != null) {
            w.run();
        }
    };

    ResponseStream(ChannelHandlerContext ctx, ServerState server, Outlet outlet, Framing framing, long declared,
            JsonCodec codec, Duration stallLimit) {
        super(codec);
        this.ctx = ctx;
        this.server = server;
        this.codec = codec;
        this.outlet = outlet;
        this.framing = framing;
        this.declared = declared;
        this.stallNanos = stallLimit.toNanos();
    }

    /**
     * Lets a {@link FileBody} body go out as a Netty file region (zero-copy). Only for a connection
     * whose bytes reach the socket untouched after the HTTP/1.x encoder: not TLS, not HTTP/2.
     */
    void allowFileRegions() {
        fileRegions = true;
    }

    /** Whether the head has been sent: from here on a failure can only cut the body off. */
    boolean committed() {
        return headSent;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        java.util.Objects.checkFromIndexSize(offset, length, bytes.length);
        ensureOpen();
        Exchange.StreamLengthException.checkRoom(declared, written, length);
        while (length > 0) {
            if (buffer == null) {
                buffer = ctx.alloc().buffer(CHUNK, CHUNK);
            }
            int n = Math.min(length, buffer.writableBytes());
            buffer.writeBytes(bytes, offset, n);
            offset += n;
            length -= n;
            written += n;
            if (!buffer.isWritable()) {
                send();
            }
        }
    }

    /** Sends what is buffered now (and the head, if it was not sent yet). */
    @Override
    public void flush() throws IOException {
        ensureOpen();
        if (!headSent || (buffer != null && buffer.isReadable())) {
            send();
        }
    }

    private void send() throws IOException {
        awaitWritable();
        if (!headSent) {
            markHeadSent();
            outlet.write(framing.head(declared), false);
        }
        ByteBuf chunk = buffer != null ? buffer : Unpooled.EMPTY_BUFFER;
        buffer = null;
        lastWrite = outlet.write(framing.content(chunk), true);
        lastWrite.addListener(this::recordFailure);
    }

    private void markHeadSent() {
        headSent = true;
        if (request != null) {
            request.headSent();
        }
    }

    /** Body bytes written so far. */
    long written() {
        return written;
    }

    /**
     * Ends the body. Returns the future of the last write.
     *
     * @throws IOException if the body is shorter than declared or the connection is gone
     */
    ChannelFuture finish() throws IOException {
        ensureOpen();
        Exchange.StreamLengthException.checkComplete(declared, written);
        if (!headSent) {
            markHeadSent();
            outlet.write(framing.head(written), false);
        }
        ByteBuf rest = buffer != null ? buffer : Unpooled.EMPTY_BUFFER;
        buffer = null;
        return outlet.write(framing.last(rest), true);
    }

    /**
     * Writes {@code file}'s bytes as one file region after the head. The file is opened before the
     * head goes out, so a file gone or changed since the response was made still gets a 500. The
     * region owns the channel from then on: Netty closes it when the region is released (written,
     * failed, or dropped with the connection). Back-pressure needs no help here: the region holds
     * no memory, and the next response on the connection waits behind it in the outbound buffer.
     */
    private void writeRegion(FileBody file) throws IOException {
        ensureOpen();
        Exchange.StreamLengthException.checkRoom(declared, written, file.length());
        FileChannel channel = file.open();
        try {
            awaitWritable();
            if (!headSent) {
                outlet.write(framing.head(declared), false);
                headSent = true;
            }
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        lastWrite = outlet.write(new DefaultFileRegion(channel, file.offset(), file.length()), true);
        lastWrite.addListener(this::recordFailure);
        written += file.length();
        LOG.debug("sent {} bytes of {} as a file region", file.length(), file.path().getFileName());
    }

    /**
     * What writing a body came to: the final write of a complete body, or else (the writer
     * failed) a response to send instead if nothing was sent yet, or neither: the body is cut off.
     */
    record Outcome(ChannelFuture last, Exchange.Finished instead) {
        static final Outcome CUT = new Outcome(null, null);
    }

    /**
     * Runs {@code body}'s writer into this stream and ends it. A writer failing before anything
     * was sent gets a 500 answer instead; later, the failure is logged and the body is cut off.
     * Errors ({@code OutOfMemoryError} …) are thrown after the buffer is released.
     */
    Outcome writeAll(Exchange.Stream body, ServerRequest request) {
        this.request = request;
        try {
            if (fileRegions && body.writer() instanceof FileBody file && declared == file.length()) {
                writeRegion(file);
            } else {
                body.writer().writeTo(this);
            }
            ChannelFuture last = finish();
            if (server.draining()) {
                // Shutdown closes every connection once nothing is in flight, which this response
                // stops being as soon as it returns: its last chunk must be out by then.
                lastWrite = last;
                awaitSent();
            }
            return new Outcome(last, null);
        } catch (Exception e) {
            abandon();
            if (committed()) {
                Exchange.streamCut(request, written, e);
                awaitSent();
                return Outcome.CUT;
            }
            return new Outcome(null, Exchange.streamFailed(request, e));
        } catch (Error fatal) {
            abandon();
            throw fatal;
        }
    }

    /**
     * Before a cut-off, or the end of a body while the server shuts down: waits (bounded by the
     * write-stall timeout) until what was flushed has gone out, because closing the connection
     * right after a write can lose it (with io_uring the write may still be in flight), and the
     * client should get every complete part of the body it was sent (an event stream's last
     * events before its producer failed, or its last chunk at shutdown).
     */
    private void awaitSent() {
        ChannelFuture last = lastWrite;
        if (last == null || last.isDone() || ctx.executor().inEventLoop()) {
            return;
        }
        try {
            last.await(stallNanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Drops what is buffered; the body will not be completed. */
    private void abandon() {
        if (buffer != null) {
            buffer.release();
            buffer = null;
        }
    }

    /** Event loop: writability changed or the outlet closed; a waiting writer looks again. */
    void wake() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        Runnable w = watcher;
        if (w != null) {
            w.run();
        }
    }

    @Override
    public void watch(Runnable wake) {
        watcher = wake;
        if (!server.register(live)) {
            goingAway = true; // shutdown has started: the stream ends at once
        }
    }

    @Override
    public void unwatch() {
        server.unregister(live);
        watcher = null;
    }

    /**
     * Also false once the client has shut down its side of the connection: a browser leaving an
     * event stream closes the socket, which the server sees as end of input first (HTTP/1.1
     * connections allow half-closure, so the connection itself stays active until a write fails).
     */
    @Override
    public boolean clientConnected() {
        return failure == null && outlet.open()
                && !(ctx.channel() instanceof DuplexChannel duplex && duplex.isInputShutdown());
    }

    @Override
    public boolean goingAway() {
        return goingAway;
    }

    @Override
    public JsonCodec codec() {
        return codec;
    }

    private void awaitWritable() throws IOException {
        if (outlet.writable()) {
            return;
        }
        long deadline = System.nanoTime() + stallNanos;
        lock.lock();
        try {
            while (!outlet.writable()) {
                ensureOpen();
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    // On HTTP/2 a client can stall one stream (by not opening its window) while the
                    // connection still moves, so the connection's stall detector would not see it.
                    throw new Exchange.ClientGoneException("the client read nothing for "
                            + Duration.ofNanos(stallNanos).toMillis() + " ms");
                }
                // Woken by wake(); the timeout only bounds a missed signal.
                changed.await(Math.min(left, TimeUnit.SECONDS.toNanos(1)), TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while the client was not reading");
        } finally {
            lock.unlock();
        }
    }

    private void ensureOpen() throws IOException {
        Throwable failed = failure;
        if (failed != null) {
            throw new Exchange.ClientGoneException("the response could not be written: " + failed.getMessage(), failed);
        }
        if (!outlet.open()) {
            throw new Exchange.ClientGoneException("the client closed the connection");
        }
    }

    private void recordFailure(io.netty.util.concurrent.Future<? super Void> future) {
        if (!future.isSuccess() && failure == null) {
            failure = future.cause();
            wake();
        }
    }
}
