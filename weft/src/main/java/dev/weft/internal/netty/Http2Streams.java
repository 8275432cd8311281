package dev.weft.internal.netty;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2FrameStream;
import io.netty.handler.codec.http2.Http2FrameStreamEvent;
import io.netty.handler.codec.http2.Http2FrameStreamException;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.handler.codec.http2.Http2StreamFrame;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.collection.IntObjectHashMap;
import io.netty.util.collection.IntObjectMap;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The streams of one HTTP/2 connection: sits behind the frame codec and hands each stream's
 * frames to its {@link Http2Exchange}, created by the stream's first HEADERS frame and
 * dropped when the codec reports the stream closed. Responses are written as frames carrying
 * their stream, on this connection's context; there is no channel per stream.
 *
 * <p>Flushing: what streams write while a read batch is processed goes out once, when the batch
 * is complete (the frame codec flushes after {@code channelReadComplete}); a write at any other
 * time (a virtual thread's response handed to the event loop, a timer) is flushed at once.
 *
 * <p>Write stalls: a response whose last frame has not gone out {@code writeTimeout} after it was
 * written (the client does not open the stream's window) gets its stream reset with
 * {@code CANCEL}. One sweep per connection checks the open streams every quarter of the timeout
 * (at most every second) while any response waits, so a stall is caught between one and 1.25
 * times the timeout.
 *
 * <p>Slow request bodies: one sweep per connection checks the bodies still arriving (see
 * {@link #watchBodies} and {@link Http2RequestBody}).
 *
 * <p>Frames that are not about a request stream (SETTINGS, PING, GOAWAY) go on down the
 * pipeline, to {@link Http2Lifecycle}.
 *
 * <p>Runs on the connection's event loop; the stream handlers' state is confined to it.
 */
final class Http2Streams extends ChannelInboundHandlerAdapter {
    private final ServerState server;
    private final IntObjectMap<Http2Exchange> streams = new IntObjectHashMap<>();
    private ChannelHandlerContext ctx;
    /** A read batch is being processed: flushes wait for its end. */
    private boolean reading;
    private boolean flushPending;
    private ScheduledFuture<?> stallSweep;
    private ScheduledFuture<?> bodySweep;
    /** {@code https} over TLS, else {@code http}: what requests on this connection report. */
    private String scheme = "http";

    Http2Streams(ServerState server) {
        this.server = server;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
        this.ctx = context;
        this.scheme = context.pipeline().get(SslHandler.class) != null ? "https" : "http";
    }

    String scheme() {
        return scheme;
    }

    @Override
    public void channelRead(ChannelHandlerContext context, Object msg) {
        if (!(msg instanceof Http2StreamFrame frame) || frame.stream() == null) {
            context.fireChannelRead(msg);
            return;
        }
        reading = true;
        try {
            Http2FrameStream stream = frame.stream();
            if (msg instanceof Http2HeadersFrame headers) {
                Http2Exchange handler = streams.get(stream.id());
                if (handler == null) {
                    handler = new Http2Exchange(server, this, context, stream);
                    streams.put(stream.id(), handler);
                }
                handler.headersRead(headers);
            } else if (msg instanceof Http2DataFrame data) {
                Http2Exchange handler = streams.get(stream.id());
                if (handler != null) {
                    handler.dataRead(data);
                }
            } else if (msg instanceof Http2ResetFrame reset) {
                Http2Exchange handler = streams.get(stream.id());
                if (handler != null) {
                    handler.resetRead(reset.errorCode());
                }
            }
            // WINDOW_UPDATE and PRIORITY frames were acted on by the codec.
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext context) {
        reading = false;
        if (flushPending) {
            flushPending = false;
            context.flush();
        }
        context.fireChannelReadComplete();
    }

    /** Flushes what the streams wrote: now, or at the end of the read batch being processed. */
    void flush() {
        if (reading) {
            flushPending = true;
        } else {
            ctx.flush();
        }
    }

    /** A stream's response waits for its last write to go out: make sure the stall sweep runs. */
    void watchStalls() {
        if (stallSweep == null) {
            Duration limit = server.config().writeTimeout();
            long every = Math.max(1, Math.min(limit.toNanos() / 4, TimeUnit.SECONDS.toNanos(1)));
            stallSweep = ctx.executor().schedule(this::sweepStalls, every, TimeUnit.NANOSECONDS);
        }
    }

    private void sweepStalls() {
        stallSweep = null;
        long now = System.nanoTime();
        long limit = server.config().writeTimeout().toNanos();
        boolean waiting = false;
        for (Http2Exchange handler : new ArrayList<>(streams.values())) {
            waiting |= handler.checkStall(now, limit);
        }
        if (waiting && ctx.channel().isActive()) {
            watchStalls();
        }
    }

    /**
     * A stream's request body has started to arrive: make sure the body sweep runs. It checks
     * the bodies still arriving every {@link BodyPace#CHECK_INTERVAL} (more often for a short
     * {@code bodyTimeout}: a quarter of it), while any arrives; one timer per connection instead
     * of one per DATA frame.
     */
    void watchBodies() {
        if (bodySweep == null) {
            long every = Math.max(1, Math.min(server.config().bodyTimeout().toNanos() / 4,
                    BodyPace.CHECK_INTERVAL.toNanos()));
            bodySweep = ctx.executor().schedule(this::sweepBodies, every, TimeUnit.NANOSECONDS);
        }
    }

    private void sweepBodies() {
        bodySweep = null;
        long now = System.nanoTime();
        boolean arriving = false;
        for (Http2Exchange exchange : new ArrayList<>(streams.values())) {
            arriving |= exchange.checkBody(now);
        }
        if (arriving && ctx.channel().isActive()) {
            watchBodies();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext context, Object evt) {
        if (evt instanceof Http2FrameStreamEvent event) {
            // Stream state and stream writability events are for this handler only.
            if (event.type() == Http2FrameStreamEvent.Type.State
                    && event.stream().state() == Http2Stream.State.CLOSED) {
                Http2Exchange handler = streams.remove(event.stream().id());
                if (handler != null) {
                    handler.closed();
                }
            }
            return;
        }
        if (evt instanceof ChannelInputShutdownEvent) {
            // HTTP/2 has no half-closed connection: a client ends a request with END_STREAM and
            // the connection with GOAWAY. A client whose input ended has left, so the socket
            // closes at once (from the head of the pipeline: the codec's graceful close would
            // wait for the open streams), and the codec closes them, interrupting their handlers.
            context.pipeline().firstContext().close();
            return;
        }
        context.fireUserEventTriggered(evt);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext context) {
        if (context.channel().isWritable()) {
            for (Http2Exchange handler : streams.values()) {
                handler.connectionWritable();
            }
        }
        context.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) {
        if (stallSweep != null) {
            stallSweep.cancel(false);
            stallSweep = null;
        }
        if (bodySweep != null) {
            bodySweep.cancel(false);
            bodySweep = null;
        }
        // The codec closes its streams when the connection goes; this is in case it did not.
        List<Http2Exchange> open = new ArrayList<>(streams.values());
        streams.clear();
        for (Http2Exchange handler : open) {
            handler.closed();
        }
        context.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
        if (cause instanceof Http2FrameStreamException failure) {
            // A stream error the codec did not answer itself: reset that stream, the connection goes on.
            Http2FrameStream stream = failure.stream();
            Http2Exchange handler = streams.get(stream.id());
            if (handler != null) {
                handler.failed(failure.getCause(), failure.error());
            } else if (context.channel().isActive()) {
                context.writeAndFlush(new DefaultHttp2ResetFrame(failure.error()).stream(stream));
            }
            return;
        }
        context.fireExceptionCaught(cause);
    }
}
