package dev.weft.internal.netty;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2FrameStream;
import io.netty.handler.codec.http2.Http2StreamFrame;
import java.util.function.BooleanSupplier;

/**
 * A streamed response's view of its HTTP/2 stream, for its {@link ResponseStream} writer: the
 * stream is writable while less than {@value #HIGH_WATER} bytes of its DATA wait (for the
 * stream's flow-control window, or in the connection's outbound buffer) and, after that, once
 * they fall below {@value #LOW_WATER} while the connection is writable (what a Netty stream
 * channel's watermarks did). There is no channel per stream, so this keeps the count itself.
 *
 * <p>{@link #writable}, {@link #open} and {@link #write} are called by the handler's virtual
 * thread; {@link #connectionWritable} and the write listeners run on the event loop. The count is
 * guarded by {@code this}.
 */
final class Http2StreamOutlet implements ResponseStream.Outlet {
    static final int HIGH_WATER = 64 * 1024;
    static final int LOW_WATER = 32 * 1024;

    private final ChannelHandlerContext ctx;
    private final Http2FrameStream stream;
    private final BooleanSupplier gone;
    /** The writer to wake when the stream becomes writable again; set once, before it writes. */
    private volatile ResponseStream writer;
    /** DATA bytes written but not yet out (guarded by {@code this}). */
    private long pendingBytes;
    /** Guarded by {@code this}. */
    private boolean unwritable;

    /** The outlet of {@code stream}; {@code gone} tells whether the stream was reset or closed. */
    Http2StreamOutlet(ChannelHandlerContext ctx, Http2FrameStream stream, BooleanSupplier gone) {
        this.ctx = ctx;
        this.stream = stream;
        this.gone = gone;
    }

    /** The writer that uses this outlet. */
    void attach(ResponseStream writer) {
        this.writer = writer;
    }

    /** Event loop: the connection became writable; a stream below its low-water mark may go on. */
    void connectionWritable() {
        writtenOut(0);
    }

    @Override
    public synchronized boolean writable() {
        return !unwritable;
    }

    @Override
    public boolean open() {
        return !gone.getAsBoolean() && ctx.channel().isActive();
    }

    @Override
    public ChannelFuture write(Object msg, boolean flush) {
        Http2StreamFrame frame = ((Http2StreamFrame) msg).stream(stream);
        long bytes = frame instanceof Http2DataFrame data ? data.initialFlowControlledBytes() : 0;
        if (bytes > 0) {
            synchronized (this) {
                pendingBytes += bytes;
                if (pendingBytes > HIGH_WATER) {
                    unwritable = true;
                }
            }
        }
        ChannelFuture written = flush ? ctx.writeAndFlush(frame) : ctx.write(frame);
        if (bytes > 0) {
            written.addListener(f -> writtenOut(bytes));
        }
        return written;
    }

    /** Event loop: {@code bytes} of DATA were written out (or failed). */
    private void writtenOut(long bytes) {
        boolean wake = false;
        synchronized (this) {
            pendingBytes -= bytes;
            if (unwritable && pendingBytes < LOW_WATER && ctx.channel().isWritable()) {
                unwritable = false;
                wake = true;
            }
        }
        ResponseStream out = writer;
        if (wake && out != null) {
            out.wake();
        }
    }
}
