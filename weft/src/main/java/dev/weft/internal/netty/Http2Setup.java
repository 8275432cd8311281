package dev.weft.internal.netty;

import dev.weft.internal.http.ContentLength;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerAdapter;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpServerUpgradeHandler;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2ServerUpgradeCodec;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.util.AsciiString;
import java.util.Collection;
import java.util.List;

/**
 * Builds HTTP/2 pipelines: {@link #configure} for a connection already known to speak HTTP/2
 * (after ALPN selected {@code h2}), {@link #cleartext} for the plain port, where a connection
 * becomes HTTP/2 by prior knowledge (it starts with the connection preface) or by
 * {@code Upgrade: h2c} on its first request.
 *
 * <p>The frame codec announces these SETTINGS and keeps Netty's flood protections on:
 *
 * <table>
 *   <caption>HTTP/2 settings and protections</caption>
 *   <tr><th>what</th><th>value</th></tr>
 *   <tr><td>{@code SETTINGS_MAX_CONCURRENT_STREAMS}</td><td>{@code http2MaxConcurrentStreams} (128); more
 *       streams are refused with {@code RST_STREAM(REFUSED_STREAM)}</td></tr>
 *   <tr><td>{@code SETTINGS_INITIAL_WINDOW_SIZE}</td><td>{@code http2InitialWindowBytes} (65535); the
 *       connection window is raised to 16 times it</td></tr>
 *   <tr><td>{@code SETTINGS_MAX_FRAME_SIZE}</td><td>{@code http2MaxFrameBytes} (16384)</td></tr>
 *   <tr><td>{@code SETTINGS_MAX_HEADER_LIST_SIZE}</td><td>{@code maxHeaderBytes} (16384): a larger list
 *       gets {@code 431} on its stream; a header block (HEADERS + CONTINUATION frames) over 1.25 times
 *       it is a connection error (GOAWAY), which bounds CONTINUATION floods</td></tr>
 *   <tr><td>rapid reset</td><td>more than {@value #MAX_RST_FRAMES} RST_STREAM frames from a client in
 *       {@value #RST_WINDOW_SECONDS} s is a connection error (CVE-2023-44487)</td></tr>
 *   <tr><td>control-frame flood</td><td>more than {@value #MAX_QUEUED_CONTROL_FRAMES} queued control frames
 *       (PING/SETTINGS acks, RST_STREAM) a client does not read closes the connection</td></tr>
 *   <tr><td>empty DATA frames</td><td>more than {@value #MAX_EMPTY_DATA_FRAMES} consecutive empty DATA
 *       frames on a stream is a connection error</td></tr>
 * </table>
 *
 * <p>Protocol errors are answered by the codec itself (GOAWAY or RST_STREAM with the code RFC 9113
 * names; {@link Http2Lifecycle} does not close first); its decoder is wrapped by
 * {@link Http2StreamOrder}, which makes a new stream below an opened one a connection error.
 *
 * <p>Runs on the channel's event loop.
 */
final class Http2Setup {
    static final int MAX_RST_FRAMES = 200;
    static final int RST_WINDOW_SECONDS = 30;
    static final int MAX_QUEUED_CONTROL_FRAMES = 10_000;
    static final int MAX_EMPTY_DATA_FRAMES = 2;
    /** The largest body an {@code Upgrade: h2c} request may have; larger ones stay on HTTP/1.1. */
    static final int MAX_UPGRADE_BODY_BYTES = 64 * 1024;
    /** The connection flow-control window, as a multiple of the stream window. */
    static final int CONNECTION_WINDOW_FACTOR = 16;

    private Http2Setup() {}

    /**
     * Makes {@code pipeline} serve HTTP/2: appends the frame codec ({@code h2}), the handler of its
     * streams ({@code h2-streams}: per-stream state on the connection, no channel per stream; see
     * {@link Http2Streams}) and the connection's lifecycle ({@code h2-connection}).
     * Call it once the connection is known to speak HTTP/2 and nothing HTTP/1 is left in the
     * pipeline (after ALPN selected {@code h2}); handlers in front (TLS, write stall) stay.
     */
    static void configure(ChannelPipeline pipeline, ServerState state) {
        Handlers handlers = Handlers.create(state);
        pipeline.addLast("h2", handlers.codec())
                .addLast("h2-streams", handlers.streams())
                .addLast("h2-connection", handlers.lifecycle());
    }

    /**
     * Puts the HTTP/1.1 {@code codec} behind a detector of the HTTP/2 preface and an
     * {@code Upgrade: h2c} handler. The pipeline must end with {@code http1} (added after this
     * call) and may hold its {@link Http1Handler#activity()} handler named {@code activity}; both
     * are removed when the connection switches to HTTP/2.
     */
    static void cleartext(ChannelPipeline pipeline, ServerState state, Http1Codec codec, Http1Handler http1) {
        HttpServerUpgradeHandler upgrade = new H2cUpgradeHandler(codec, state, http1);
        pipeline.addLast("h2c", new PrefaceDetector(codec, upgrade, new PriorKnowledge(state)));
    }

    /**
     * First on a cleartext connection: one that starts with the HTTP/2 connection preface becomes
     * HTTP/2 (prior knowledge); any other leaves the HTTP/1.1 codec and the upgrade handler in place.
     */
    private static final class PrefaceDetector extends ByteToMessageDecoder {
        private static final byte[] PREFACE = ByteBufUtil.getBytes(Http2CodecUtil.connectionPrefaceBuf());
        private final Http1Codec codec;
        private final HttpServerUpgradeHandler upgrade;
        private final ChannelHandler http2;

        PrefaceDetector(Http1Codec codec, HttpServerUpgradeHandler upgrade, ChannelHandler http2) {
            this.codec = codec;
            this.upgrade = upgrade;
            this.http2 = http2;
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            ctx.pipeline().addAfter(ctx.name(), null, upgrade).addAfter(ctx.name(), null, codec);
        }

        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
            int seen = Math.min(in.readableBytes(), PREFACE.length);
            for (int i = 0; i < seen; i++) {
                if (in.getByte(in.readerIndex() + i) != PREFACE[i]) {
                    ctx.pipeline().remove(this); // HTTP/1.1: what is buffered goes on to the codec
                    return;
                }
            }
            if (seen == PREFACE.length) {
                ctx.pipeline().remove(codec).remove(upgrade);
                ctx.pipeline().addAfter(ctx.name(), null, http2);
                ctx.pipeline().remove(this);
            }
        }
    }

    /** Removes the HTTP/1 handlers (the request handler and its byte watcher) from {@code pipeline}. */
    private static void retireHttp1(ChannelPipeline pipeline) {
        if (pipeline.get("activity") != null) {
            pipeline.remove("activity");
        }
        if (pipeline.get(Http1Handler.class) != null) {
            pipeline.remove(Http1Handler.class);
        }
    }

    /** The HTTP/2 handlers of one connection. */
    private record Handlers(Http2FrameCodec codec, Http2Streams streams, Http2Lifecycle lifecycle) {
        static Handlers create(ServerState state) {
            ServerConfig config = state.config();
            ServerConfig.Http2 h2 = config.http2();
            Http2Settings settings = new Http2Settings()
                    .maxConcurrentStreams(h2.maxConcurrentStreams())
                    .initialWindowSize(h2.initialWindowBytes())
                    .maxFrameSize(h2.maxFrameBytes())
                    .maxHeaderListSize(config.maxHeaderBytes());
            Http2FrameCodec codec = Http2StreamOrder.codecBuilder(h2.maxFrameBytes())
                    .initialSettings(settings)
                    .validateHeaders(true)
                    // close() sends GOAWAY and waits this long for open streams (see NettyServer.close).
                    .gracefulShutdownTimeoutMillis(config.shutdownTimeout().toMillis())
                    .decoderEnforceMaxRstFramesPerWindow(MAX_RST_FRAMES, RST_WINDOW_SECONDS)
                    .encoderEnforceMaxQueuedControlFrames(MAX_QUEUED_CONTROL_FRAMES)
                    .decoderEnforceMaxConsecutiveEmptyDataFrames(MAX_EMPTY_DATA_FRAMES)
                    .build();
            Http2Streams streams = new Http2Streams(state);
            int window = (int) Math.min((long) h2.initialWindowBytes() * CONNECTION_WINDOW_FACTOR, Integer.MAX_VALUE);
            return new Handlers(codec, streams, new Http2Lifecycle(state, codec, config.idleTimeout(),
                    config.requestHeadTimeout(), window));
        }
    }

    /** Added by the preface detector when the connection starts with the HTTP/2 preface. */
    private static final class PriorKnowledge extends ChannelHandlerAdapter {
        private final ServerState state;

        PriorKnowledge(ServerState state) {
            this.state = state;
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            ChannelPipeline pipeline = ctx.pipeline();
            retireHttp1(pipeline);
            configure(pipeline, state);
            pipeline.remove(this);
            // The detector then hands the preface bytes it holds to the frame codec.
        }
    }

    /**
     * Upgrades the first request of a connection to HTTP/2 when it asks for {@code h2c} and can be
     * replayed as stream 1: HTTP/1.1, exactly one Host, no {@code expect}, no chunked body and at
     * most {@link #MAX_UPGRADE_BODY_BYTES} of body (which is buffered). Any other request, and
     * every request while the server drains, is served on HTTP/1.1 as if it had not asked. Removes
     * itself after the first request, so later requests pay nothing.
     */
    private static final class H2cUpgradeHandler extends HttpServerUpgradeHandler {
        private final ServerState state;
        private final Http1Handler http1;

        H2cUpgradeHandler(Http1Codec codec, ServerState state, Http1Handler http1) {
            super(codec, protocol -> AsciiString.contentEquals(Http2CodecUtil.HTTP_UPGRADE_PROTOCOL_NAME, protocol)
                            ? new H2cUpgradeCodec(state) : null,
                    MAX_UPGRADE_BODY_BYTES, DefaultHttpHeadersFactory.headersFactory(),
                    DefaultHttpHeadersFactory.trailersFactory(), true);
            this.state = state;
            this.http1 = http1;
        }

        @Override
        protected boolean shouldHandleUpgradeRequest(HttpRequest request) {
            HttpHeaders headers = request.headers();
            if (state.draining() || !http1.idle() || !request.protocolVersion().equals(HttpVersion.HTTP_1_1)
                    || headers.getAll(HttpHeaderNames.HOST).size() != 1
                    || headers.contains(HttpHeaderNames.EXPECT)
                    || headers.contains(HttpHeaderNames.TRANSFER_ENCODING)) {
                return false;
            }
            String length = headers.get(HttpHeaderNames.CONTENT_LENGTH);
            if (length == null) {
                return true;
            }
            try {
                long declared = ContentLength.parse(length);
                return declared >= 0 && declared <= MAX_UPGRADE_BODY_BYTES;
            } catch (NumberFormatException e) {
                return false; // HTTP/1.1 answers it 400
            }
        }
    }

    /** Netty's h2c upgrade, which first takes the HTTP/1 handlers out of the pipeline. */
    private static final class H2cUpgradeCodec implements HttpServerUpgradeHandler.UpgradeCodec {
        private final Http2ServerUpgradeCodec upgrade;

        H2cUpgradeCodec(ServerState state) {
            Handlers handlers = Handlers.create(state);
            this.upgrade = new Http2ServerUpgradeCodec("h2", handlers.codec(),
                    new ChannelHandler[] {handlers.streams(), handlers.lifecycle()});
        }

        @Override
        public Collection<CharSequence> requiredUpgradeHeaders() {
            return upgrade.requiredUpgradeHeaders();
        }

        @Override
        public boolean prepareUpgradeResponse(ChannelHandlerContext ctx, FullHttpRequest request,
                HttpHeaders headers) {
            return upgrade.prepareUpgradeResponse(ctx, request, headers);
        }

        @Override
        public void upgradeTo(ChannelHandlerContext ctx, FullHttpRequest request) {
            // The 101 went out through the HTTP/1 codec; the request itself becomes stream 1.
            retireHttp1(ctx.pipeline());
            upgrade.upgradeTo(ctx, request);
        }
    }
}
