package peer.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;

/**
 * Answers /plaintext and /json. Responses are written without flushing; the flush happens
 * once per read batch in {@link #channelReadComplete}, so a pipelined batch of requests
 * leaves in one syscall (the flush consolidation Netty's TechEmpower entry relies on).
 */
final class HelloHandler extends ChannelInboundHandlerAdapter {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final AsciiString SERVER = AsciiString.cached("netty");
    private static final AsciiString TEXT_PLAIN = AsciiString.cached("text/plain");
    private static final AsciiString APPLICATION_JSON = AsciiString.cached("application/json");

    private static final byte[] HELLO = "Hello, World!".getBytes(StandardCharsets.US_ASCII);
    /** Pre-encoded once; each response gets a duplicate (own indices, shared bytes). */
    private static final ByteBuf PLAINTEXT_BODY =
            Unpooled.unreleasableBuffer(Unpooled.directBuffer(HELLO.length).writeBytes(HELLO).asReadOnly());
    private static final AsciiString PLAINTEXT_LENGTH = AsciiString.cached(Integer.toString(HELLO.length));

    /** Response headers are built by us and known to be valid: skip validation. */
    private static final HttpHeadersFactory HEADERS = DefaultHttpHeadersFactory.headersFactory().withValidation(false);

    record Message(String message) {
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof HttpRequest request) {
                handle(ctx, request);
            }
            // HttpContent (the empty last content of a GET) needs nothing but a release.
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private static void handle(ChannelHandlerContext ctx, HttpRequest request) {
        if (request.decoderResult().isFailure()) {
            write(ctx, request, status(HttpResponseStatus.BAD_REQUEST), false);
            return;
        }
        String uri = request.uri();
        int q = uri.indexOf('?');
        String path = q < 0 ? uri : uri.substring(0, q);
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        switch (path) {
            case "/plaintext" -> write(ctx, request, plaintext(), keepAlive);
            case "/json" -> write(ctx, request, json(), keepAlive);
            default -> write(ctx, request, status(HttpResponseStatus.NOT_FOUND), keepAlive);
        }
    }

    private static FullHttpResponse plaintext() {
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                PLAINTEXT_BODY.duplicate(), HEADERS, HEADERS);
        res.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, TEXT_PLAIN)
                .set(HttpHeaderNames.CONTENT_LENGTH, PLAINTEXT_LENGTH)
                .set(HttpHeaderNames.SERVER, SERVER)
                .set(HttpHeaderNames.DATE, HttpDate.now());
        return res;
    }

    private static FullHttpResponse json() {
        byte[] body = JSON.writeValueAsBytes(new Message("Hello, World!"));
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                Unpooled.wrappedBuffer(body), HEADERS, HEADERS);
        res.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, APPLICATION_JSON)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
                .set(HttpHeaderNames.SERVER, SERVER)
                .set(HttpHeaderNames.DATE, HttpDate.now());
        return res;
    }

    private static FullHttpResponse status(HttpResponseStatus status) {
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.EMPTY_BUFFER, HEADERS, HEADERS);
        HttpHeaders h = res.headers();
        h.set(HttpHeaderNames.CONTENT_LENGTH, 0)
                .set(HttpHeaderNames.SERVER, SERVER)
                .set(HttpHeaderNames.DATE, HttpDate.now());
        return res;
    }

    private static void write(ChannelHandlerContext ctx, HttpRequest request, FullHttpResponse res,
                              boolean keepAlive) {
        if (keepAlive) {
            if (request.protocolVersion().equals(HttpVersion.HTTP_1_0)) {
                res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaders.Values.KEEP_ALIVE);
            }
            ctx.write(res, ctx.voidPromise());
        } else {
            res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaders.Values.CLOSE);
            ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
