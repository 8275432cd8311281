package dev.weft.internal.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.CombinedChannelDuplexHandler;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpServerUpgradeHandler;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.List;

/**
 * The HTTP/1.1 codec: Netty's request decoder and response encoder, held to the stricter request
 * grammar Weft needs where Netty is lenient.
 *
 * <ul>
 *   <li>The request line has exactly one SP between its parts, a target of visible ASCII only (no
 *       NUL, TAB, other control or non-ASCII byte) and an HTTP-version of exactly
 *       {@code HTTP/DIGIT.DIGIT}: the name is case-sensitive (RFC 9112 §2.3, §3).</li>
 *   <li>Nothing but empty lines comes before a request line: Netty skips any leading white space
 *       or control byte.</li>
 *   <li>Every chunk-size line of a chunked body is checked by {@link ChunkedFraming}.</li>
 * </ul>
 *
 * A request that fails either check reaches the handler as a decoder failure (a 400 and a
 * close). The encoder knows which responses answer {@code HEAD} and writes no body for them.
 * Confined to the connection's event loop.
 */
final class Http1Codec extends CombinedChannelDuplexHandler<Http1Codec.Decoder, Http1Codec.Encoder>
        implements HttpServerUpgradeHandler.SourceCodec {
    /** Whether each request not yet answered was a HEAD, oldest first. */
    private final ArrayDeque<Boolean> heads = new ArrayDeque<>();

    Http1Codec(HttpDecoderConfig config) {
        init(new Decoder(config), new Encoder());
    }

    /**
     * A complete response was written past the encoder, as bytes: it answers the oldest request
     * not yet answered. Returns whether that was a HEAD, whose answer has no body.
     */
    boolean answeredHead() {
        Boolean head = heads.poll();
        return head != null && head;
    }

    @Override
    public void upgradeFrom(ChannelHandlerContext ctx) {
        ctx.pipeline().remove(this);
    }

    final class Decoder extends HttpRequestDecoder {
        private final int maxLineBytes;
        /** The framing of the chunked body being decoded, or null. */
        private ChunkedFraming chunked;
        /** A chunked body failed its check: the rest of the connection is dropped. */
        private boolean discarding;
        /** No byte of the next request's line has been seen yet. */
        private boolean betweenRequests = true;
        /** Bytes of the connection the decoder has consumed, and the framing has followed. */
        private long consumed;
        private long followed;

        Decoder(HttpDecoderConfig config) {
            super(config);
            this.maxLineBytes = config.getMaxInitialLineLength();
        }

        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf buffer, List<Object> out) throws Exception {
            if (discarding) {
                buffer.skipBytes(buffer.readableBytes());
                return;
            }
            int from = buffer.readerIndex();
            int first = out.size();
            if (betweenRequests && !startsWithToken(buffer)) {
                failHead(buffer, out);
                return;
            }
            if (chunked != null && !chunked.done()) {
                // Ahead of the decoder, which waits for a whole line: a bare CR would stall it.
                int start = from + (int) (followed - consumed);
                try {
                    followed += chunked.feed(buffer, start, buffer.writerIndex()) - start;
                } catch (IllegalArgumentException invalid) {
                    failBody(buffer, out, first, invalid);
                    return;
                }
            }
            super.decode(ctx, buffer, out);
            consumed += buffer.readerIndex() - from;
            for (int i = first; i < out.size(); i++) {
                Object decoded = out.get(i);
                if (decoded instanceof LastHttpContent) {
                    betweenRequests = true;
                }
                if (decoded instanceof HttpRequest request) {
                    heads.add(HttpMethod.HEAD.equals(request.method()));
                    boolean framed = request.decoderResult().isSuccess() && HttpUtil.isTransferEncodingChunked(request);
                    chunked = framed ? new ChunkedFraming(maxLineBytes) : null;
                    followed = consumed; // the body starts where its head ended
                } else if (decoded instanceof HttpObject http && http.decoderResult().isFailure()) {
                    chunked = null;
                }
            }
        }

        /**
         * Whether the next request line starts with a method character. Netty skips every leading
         * space and control byte; only empty lines may come before a request (RFC 9112 §2.2).
         * False only once a byte past the empty lines has arrived.
         */
        private boolean startsWithToken(ByteBuf buffer) {
            for (int i = buffer.readerIndex(); i < buffer.writerIndex(); i++) {
                byte b = buffer.getByte(i);
                if (b != '\r' && b != '\n') {
                    betweenRequests = false;
                    return ChunkedFraming.isTokenChar(b);
                }
            }
            return true;
        }

        /** Emits a failed request in place of one whose line starts with white space or a control. */
        private void failHead(ByteBuf buffer, List<Object> out) {
            buffer.skipBytes(buffer.readableBytes());
            DefaultFullHttpRequest failed = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/bad-request",
                    Unpooled.EMPTY_BUFFER);
            failed.setDecoderResult(DecoderResult.failure(
                    new IllegalArgumentException("the request line starts with white space or a control")));
            out.add(failed);
            discarding = true;
        }

        /**
         * Replaces what this call decoded of the body with one failed last content, and drops the
         * rest of the input (a decoder that emits without reading is an error to Netty).
         */
        private void failBody(ByteBuf buffer, List<Object> out, int first, IllegalArgumentException cause) {
            buffer.skipBytes(buffer.readableBytes());
            for (int i = out.size() - 1; i >= first; i--) {
                if (out.get(i) instanceof HttpContent) {
                    ReferenceCountUtil.release(out.remove(i));
                }
            }
            DefaultLastHttpContent failed = new DefaultLastHttpContent(Unpooled.EMPTY_BUFFER);
            failed.setDecoderResult(DecoderResult.failure(cause));
            out.add(failed);
            chunked = null;
            discarding = true;
        }

        @Override
        protected String splitSecondWordInitialLine(byte[] line, int start, int length) {
            requireSingleSpace(line, start - 1);
            if (start + length < line.length && line[start + length] != ' ') {
                throw new IllegalArgumentException("the request target is followed by a separator other than SP");
            }
            for (int i = start; i < start + length; i++) {
                byte b = line[i];
                if (b <= 0x20 || b == 0x7f) { // negative: not ASCII
                    throw new IllegalArgumentException("the request target holds a control, space or non-ASCII byte");
                }
            }
            return super.splitSecondWordInitialLine(line, start, length);
        }

        @Override
        protected String splitThirdWordInitialLine(byte[] line, int start, int length) {
            requireSingleSpace(line, start - 1);
            if (length != 8 || line[start] != 'H' || line[start + 1] != 'T' || line[start + 2] != 'T'
                    || line[start + 3] != 'P' || line[start + 4] != '/' || !isDigit(line[start + 5])
                    || line[start + 6] != '.' || !isDigit(line[start + 7])) {
                throw new IllegalArgumentException("the HTTP-version is not HTTP/DIGIT.DIGIT");
            }
            return super.splitThirdWordInitialLine(line, start, length);
        }

        private static void requireSingleSpace(byte[] line, int at) {
            if (at < 1 || line[at] != ' ' || line[at - 1] == ' ' || line[at - 1] == '\t') {
                throw new IllegalArgumentException("the parts of the request line are not separated by one SP");
            }
        }

        private static boolean isDigit(byte b) {
            return b >= '0' && b <= '9';
        }
    }

    final class Encoder extends HttpResponseEncoder {
        @Override
        protected boolean isContentAlwaysEmpty(HttpResponse msg) {
            if (msg.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
                return super.isContentAlwaysEmpty(msg); // 100 Continue answers no request of its own
            }
            Boolean head = heads.poll();
            return (head != null && head) || super.isContentAlwaysEmpty(msg);
        }
    }
}
