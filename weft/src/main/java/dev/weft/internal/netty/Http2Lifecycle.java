package dev.weft.internal.netty;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.DefaultHttp2WindowUpdateFrame;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection-level part of one HTTP/2 connection: raises the connection flow-control window
 * to {@code connectionWindowBytes} once, closes the connection when no stream is open for
 * {@code idleTimeout} (or, before its first stream, for {@code firstStreamTimeout}: the
 * request-head deadline, as on HTTP/1.1), and ends it on an error nobody else handled.
 *
 * <p>Closing goes through the frame codec, which makes every close graceful: it sends
 * {@code GOAWAY} (so the client opens no new stream), lets open streams finish for up to the
 * shutdown timeout, then closes. {@code NettyServer.close()} relies on this too.
 *
 * <p>Runs on the channel's event loop; sits behind the frame codec and {@link Http2Streams}.
 */
final class Http2Lifecycle extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(Http2Lifecycle.class);

    private final ServerState state;
    private final Http2FrameCodec codec;
    private final Duration idleTimeout;
    private final Duration firstStreamTimeout;
    private final int connectionWindowBytes;
    private boolean streamSeen;
    private ChannelHandlerContext ctx;
    private ScheduledFuture<?> idle;
    /** Counted in {@link ServerStats}'s HTTP/2 connections until the channel closes. */
    private boolean counted;

    Http2Lifecycle(ServerState state, Http2FrameCodec codec, Duration idleTimeout, Duration firstStreamTimeout, int connectionWindowBytes) {
        this.state = state;
        this.codec = codec;
        this.idleTimeout = idleTimeout;
        this.firstStreamTimeout = firstStreamTimeout;
        this.connectionWindowBytes = connectionWindowBytes;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
        this.ctx = context;
        if (!counted) {
            counted = true;
            state.http2Opened();
            context.channel().closeFuture().addListener(f -> state.http2Closed());
        }
        codec.connection().addListener(new Http2ConnectionAdapter() {
            @Override
            public void onStreamActive(Http2Stream stream) {
                streamSeen = true;
                disarm();
            }

            @Override
            public void onStreamClosed(Http2Stream stream) {
                if (codec.connection().numActiveStreams() == 0) {
                    arm();
                }
            }
        });
        Http2Connection connection = codec.connection();
        int increment = connectionWindowBytes
                - connection.local().flowController().windowSize(connection.connectionStream());
        if (increment > 0) {
            // A window update without a stream raises the connection window (the frame codec's contract).
            context.writeAndFlush(new DefaultHttp2WindowUpdateFrame(increment));
        }
        if (codec.connection().numActiveStreams() == 0) {
            arm();
        }
    }

    private void arm() {
        disarm();
        // A connection that opens no stream at all is not free either (a slowloris on HTTP/2).
        Duration timeout = streamSeen ? idleTimeout : firstStreamTimeout;
        idle = ctx.executor().schedule(this::idleTimedOut, timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void disarm() {
        if (idle != null) {
            idle.cancel(false);
            idle = null;
        }
    }

    private void idleTimedOut() {
        idle = null;
        if (codec.connection().numActiveStreams() == 0 && ctx.channel().isActive()) {
            LOG.debug("closing idle HTTP/2 connection {}", ctx.channel().remoteAddress());
            ctx.close(); // GOAWAY, then close
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext context, Object msg) {
        // Connection-level frames (SETTINGS, PING, GOAWAY from the client) were already acted on by the codec.
        ReferenceCountUtil.release(msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) {
        disarm();
        context.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext context) {
        disarm();
    }

    /**
     * A protocol error the frame codec found: it fires the exception down the pipeline and then
     * answers it itself (GOAWAY with the error code RFC 9113 names, then close), so closing here
     * would get there first with {@code NO_ERROR}. Anything else (an I/O error, a failure in a
     * handler) nobody answers: close.
     */
    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
        if (Http2CodecUtil.getEmbeddedHttp2Exception(cause) != null) {
            LOG.debug("HTTP/2 connection {} failed: {}", context.channel().remoteAddress(), String.valueOf(cause));
            return;
        }
        LOG.debug("HTTP/2 connection {} failed: {}", context.channel().remoteAddress(), String.valueOf(cause));
        context.close();
    }
}
