package dev.weft.internal.netty;

import dev.weft.http.Headers;
import dev.weft.internal.http.Exchange;
import dev.weft.internal.routing.RouterHooks;
import dev.weft.response.ResponseBody;
import dev.weft.ws.WebSocketOptions;
import dev.weft.ws.WebSocketUpgrade;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpServerUpgradeHandler;
import io.netty.handler.codec.http.websocketx.Utf8FrameValidator;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionData;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionUtil;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketServerExtension;
import io.netty.handler.codec.http.websocketx.extensions.compression.PerMessageDeflateServerExtensionHandshaker;
import java.util.Map;

/**
 * Turns an HTTP/1.1 connection into a WebSocket one after its {@code 101}: negotiates
 * permessage-deflate when the route allows it, then swaps the HTTP handlers for the frame codec,
 * the UTF-8 validator and a {@link WebSocketSession}. Event loop only.
 */
final class WebSocketPipeline {
    /** zlib's compression level for permessage-deflate (the usual speed/size balance). */
    private static final int DEFLATE_LEVEL = 6;

    private final ResponseBody.Upgrade upgrade;
    private final WebSocketServerExtension deflate;

    private WebSocketPipeline(ResponseBody.Upgrade upgrade, WebSocketServerExtension deflate) {
        this.upgrade = upgrade;
        this.deflate = deflate;
    }

    /**
     * Agrees on the extensions: permessage-deflate, if the route enables compression and the
     * client offers parameters the JDK's zlib can honour (no {@code server_max_window_bits}
     * below 15: such offers are declined, and the next offer, if any, is tried).
     */
    static WebSocketPipeline negotiate(ResponseBody.Upgrade upgrade) {
        WebSocketUpgrade handshake = upgrade.upgrade();
        WebSocketServerExtension deflate = null;
        if (handshake.options().compression()) {
            PerMessageDeflateServerExtensionHandshaker handshaker = new PerMessageDeflateServerExtensionHandshaker(
                    DEFLATE_LEVEL, false, 15, true, false, handshake.options().maxMessageBytes());
            search:
            for (String header : handshake.offeredExtensions()) {
                for (WebSocketExtensionData offer : WebSocketExtensionUtil.extractExtensions(header)) {
                    deflate = handshaker.handshakeExtension(offer);
                    if (deflate != null) {
                        break search;
                    }
                }
            }
        }
        return new WebSocketPipeline(upgrade, deflate);
    }

    /** The {@code 101} with the agreed extension, if any, in its head. */
    Exchange.Finished head(Exchange.Finished finished) {
        if (deflate == null) {
            return finished;
        }
        WebSocketExtensionData data = deflate.newReponseData();
        StringBuilder value = new StringBuilder(data.name());
        for (Map.Entry<String, String> p : data.parameters().entrySet()) {
            value.append("; ").append(p.getKey());
            if (p.getValue() != null) {
                value.append('=').append(p.getValue());
            }
        }
        Headers own = Headers.builder().addAll(finished.own()).set("sec-websocket-extensions", value.toString()).build();
        return new Exchange.Finished(finished.status(), own, finished.contentLength(), finished.date(), finished.body(),
                null, finished.upgrade());
    }

    /**
     * Replaces the HTTP/1.1 handlers of {@code pipeline} with WebSocket ones and starts the
     * session. Bytes the HTTP decoder holds past the handshake go on to the frame decoder.
     */
    void install(ChannelPipeline pipeline, ServerState server, ChannelHandler http1) {
        WebSocketUpgrade handshake = upgrade.upgrade();
        WebSocketOptions options = handshake.options();
        WebSocketSession session = new WebSocketSession(server, handshake.request(), options, handshake.protocol(),
                upgrade.handler(), RouterHooks.jsonCodec(server.router()));
        WebSocketDecoderConfig config = WebSocketDecoderConfig.newBuilder()
                .maxFramePayloadLength(options.maxFrameBytes())
                .expectMaskedFrames(true)
                .allowMaskMismatch(false)
                .allowExtensions(deflate != null)
                .closeOnProtocolViolation(true)
                .build();
        String codec = pipeline.context(Http1Codec.class).name();
        pipeline.addAfter(codec, "ws-encoder", new WebSocket13FrameEncoder(false));
        pipeline.addAfter("ws-encoder", "ws-decoder", new WebSocket13FrameDecoder(config));
        String last = "ws-decoder";
        if (deflate != null) {
            pipeline.addAfter(last, "ws-inflate", deflate.newExtensionDecoder());
            pipeline.addAfter("ws-inflate", "ws-deflate", deflate.newExtensionEncoder());
            last = "ws-deflate";
        }
        // After the inflater, so it checks the text, not the compressed bytes.
        pipeline.addAfter(last, "ws-utf8", new Utf8FrameValidator(true));
        pipeline.addAfter("ws-utf8", "ws", session);
        if (pipeline.get("activity") != null) {
            pipeline.remove("activity");
        }
        if (pipeline.get(HttpServerUpgradeHandler.class) != null) {
            pipeline.remove(HttpServerUpgradeHandler.class);
        }
        if (pipeline.get("write-stall") != null) {
            pipeline.remove("write-stall"); // the session bounds its sends itself (send timeout, 1008)
        }
        pipeline.remove(http1);
        pipeline.remove(codec); // last: what it has buffered flows to the frame decoder
        session.start();
    }
}
