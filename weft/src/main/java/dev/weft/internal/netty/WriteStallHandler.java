package dev.weft.internal.netty;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPromise;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes a connection whose queued output makes no progress for the write timeout: a client that
 * stops reading. Unlike Netty's {@code WriteTimeoutHandler}, a slow but steady reader is never
 * cut off, however long the response takes.
 *
 * <p>Runs on the channel's event loop.
 */
final class WriteStallHandler extends ChannelDuplexHandler {
    private static final Logger LOG = LoggerFactory.getLogger(WriteStallHandler.class);

    private final long timeoutNanos;
    private ScheduledFuture<?> check;
    private Object lastCurrent;
    private long lastProgress = -1;

    WriteStallHandler(Duration timeout) {
        this.timeoutNanos = timeout.toNanos();
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        ctx.write(msg, promise);
        if (check == null) {
            schedule(ctx);
        }
    }

    private void schedule(ChannelHandlerContext ctx) {
        check = ctx.executor().schedule(() -> check(ctx), timeoutNanos, TimeUnit.NANOSECONDS);
    }

    private void check(ChannelHandlerContext ctx) {
        check = null;
        ChannelOutboundBuffer out = ctx.channel().unsafe().outboundBuffer();
        if (out == null || out.totalPendingWriteBytes() == 0) {
            lastCurrent = null;
            lastProgress = -1;
            return; // everything written; the next write starts a new check
        }
        Object current = out.current();
        long progress = out.currentProgress();
        if (current == lastCurrent && progress == lastProgress) {
            LOG.debug("closing {}: no write progress for {} ms", ctx.channel().remoteAddress(),
                    TimeUnit.NANOSECONDS.toMillis(timeoutNanos));
            ctx.close();
            return;
        }
        lastCurrent = current;
        lastProgress = progress;
        schedule(ctx);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (check != null) {
            check.cancel(false);
            check = null;
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        handlerRemoved(ctx);
        ctx.fireChannelInactive();
    }
}
