package dev.weft.internal.netty;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.ssl.SslHandler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A lingering close (as nginx's {@code lingering_close}): after the last response, end the
 * output (TLS close_notify, then a half-close), then keep reading and dropping what the client
 * still sends until it closes or the linger time passes. Closing at once, with unread bytes in
 * the socket, makes the kernel reset the connection, and the reset can destroy the response the
 * client has not read yet (a 413 to an upload still being sent).
 */
final class LingeringClose {
    private LingeringClose() {}

    /** Whether the connection can linger: it is open, can half-close, and the client still sends. */
    static boolean possible(ChannelHandlerContext ctx, boolean inputClosed) {
        return ctx.channel() instanceof DuplexChannel && ctx.channel().isActive() && !inputClosed;
    }

    /**
     * Ends the output and closes after {@code linger} at the latest; the caller drops what is
     * read meanwhile. Event loop.
     */
    static void start(ChannelHandlerContext ctx, Duration linger) {
        DuplexChannel duplex = (DuplexChannel) ctx.channel();
        // Its own timer: no request deadline may replace it (a body reader resuming late would).
        ctx.executor().schedule(() -> {
            ctx.close();
        }, linger.toNanos(), TimeUnit.NANOSECONDS);
        SslHandler tls = ctx.pipeline().get(SslHandler.class);
        ChannelFuture ended = tls != null ? tls.closeOutbound() : ctx.newSucceededFuture();
        ended.addListener(f -> {
            if (!f.isSuccess() || !ctx.channel().isActive()) {
                ctx.close();
                return;
            }
            duplex.shutdownOutput().addListener(shut -> {
                if (!shut.isSuccess()) {
                    ctx.close();
                }
            });
            ctx.channel().config().setAutoRead(true); // drain, so the kernel has nothing to reset over
        });
    }
}
