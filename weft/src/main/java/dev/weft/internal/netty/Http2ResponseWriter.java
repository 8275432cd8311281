package dev.weft.internal.netty;

import dev.weft.internal.http.Exchange;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2FrameStream;
import io.netty.handler.codec.http2.Http2Headers;
import java.util.Locale;
import java.util.Set;

/**
 * Writes one response on an HTTP/2 stream: a HEADERS frame ({@code :status} and the response's
 * fields) and, unless the body is empty, one DATA frame ending the stream (the frame codec splits
 * it to the client's frame size and queues it behind the stream's flow-control window).
 *
 * <p>Connection-specific fields ({@code connection}, {@code keep-alive},
 * {@code proxy-connection}, {@code transfer-encoding}, {@code upgrade}, {@code te}) are never
 * sent: RFC 9113 §8.2.2 makes a message carrying them malformed. Names are lower-cased.
 *
 * <p>Runs on the connection's event loop. A streamed body is framed by {@link #framing}: its DATA
 * frames are written by the request's virtual thread while the stream is writable (see
 * {@link Http2Exchange}).
 */
final class Http2ResponseWriter {
    private static final Set<String> CONNECTION_SPECIFIC =
            Set.of("connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "te");

    private Http2ResponseWriter() {}

    /**
     * Writes {@code finished} on {@code stream} through the frame codec's {@code ctx} (not flushed);
     * the future completes when its last frame is written.
     */
    static ChannelFuture write(ChannelHandlerContext ctx, Http2FrameStream stream, Exchange.Finished finished) {
        byte[] body = finished.body();
        if (body.length == 0) {
            return ctx.write(new DefaultHttp2HeadersFrame(headers(finished), true).stream(stream));
        }
        ctx.write(new DefaultHttp2HeadersFrame(headers(finished), false).stream(stream));
        return ctx.write(new DefaultHttp2DataFrame(Unpooled.wrappedBuffer(body), true).stream(stream));
    }

    /** How a streamed body of {@code finished} goes out: HEADERS, then DATA frames, the last ending the stream. */
    static ResponseStream.Framing framing(Exchange.Finished finished) {
        return new ResponseStream.Framing() {
            @Override
            public Object head(long length) {
                Http2Headers headers = headers(finished);
                if (length >= 0 && finished.contentLength() == null) {
                    headers.setLong("content-length", length);
                }
                return new DefaultHttp2HeadersFrame(headers, false);
            }

            @Override
            public Object content(ByteBuf data) {
                return new DefaultHttp2DataFrame(data, false);
            }

            @Override
            public Object last(ByteBuf data) {
                return new DefaultHttp2DataFrame(data, true);
            }
        };
    }

    /** The response head as HTTP/2 fields. */
    static Http2Headers headers(Exchange.Finished finished) {
        // Response headers were validated when the Response was built; no second check.
        Http2Headers headers = new DefaultHttp2Headers(false);
        headers.status(HttpResponseStatus.valueOf(finished.status().code()).codeAsText());
        finished.forEachHeader((name, value) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!CONNECTION_SPECIFIC.contains(lower)) {
                headers.add(lower, value);
            }
        });
        return headers;
    }
}
