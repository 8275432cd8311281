package dev.weft.internal.netty;

import dev.weft.http.Method;
import dev.weft.internal.http.Exchange;
import dev.weft.internal.http.PercentDecoder;
import dev.weft.internal.http.ServerRequest;
import dev.weft.response.Problem;
import dev.weft.response.Response;
import dev.weft.response.Status;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.OptionalLong;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTP/1.1 connection. Requests are handled one at a time, each on its own virtual thread;
 * later pipelined requests wait in {@link #backlog} (and reading pauses) so responses go out in
 * request order.
 *
 * <p>All fields are confined to the channel's event loop; the virtual thread hands its response
 * back with {@code eventLoop().execute}.
 */
final class Http1Handler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(Http1Handler.class);

    private final ServerState server;
    private final ArrayDeque<HttpObject> backlog = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    /** The request whose response has not been written yet. */
    private ServerRequest current;
    /** The body of {@link #current} while it is still arriving. */
    private StreamingBody receiving;
    private boolean expectContinue;
    private boolean bodyPaused;
    private boolean closing;

    Http1Handler(ServerState server) {
        this.server = server;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
        this.ctx = context;
    }

    /** Whether no request is being handled or waiting: the connection may be closed at shutdown. */
    boolean idle() {
        return current == null && backlog.isEmpty();
    }

    @Override
    public void channelRead(ChannelHandlerContext context, Object msg) {
        if (!(msg instanceof HttpObject http)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (closing) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (!backlog.isEmpty() || (current != null && msg instanceof HttpRequest)) {
            backlog.add(http);
            updateReading();
            return;
        }
        process(http);
    }

    private void process(HttpObject msg) {
        try {
            if (msg instanceof HttpRequest request) {
                DecoderResult result = request.decoderResult();
                if (result.isFailure()) {
                    rejectMalformed(result.cause());
                    return;
                }
                start(request);
            }
            if (msg instanceof HttpContent content) {
                if (content.decoderResult().isFailure()) {
                    if (receiving != null) {
                        receiving.abort();
                        receiving = null;
                    }
                    rejectMalformed(content.decoderResult().cause());
                    return;
                }
                if (receiving != null) {
                    if (receiving.offer(content.content())) {
                        bodyPaused = true;
                        updateReading();
                    }
                    if (content instanceof LastHttpContent) {
                        receiving.finish();
                        receiving = null;
                    }
                }
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void start(HttpRequest request) {
        if (request.protocolVersion().equals(HttpVersion.HTTP_1_1) && request.headers().getAll(HttpHeaderNames.HOST).size() != 1) {
            // RFC 9112 §3.2: an HTTP/1.1 request has exactly one Host header.
            rejectMalformed(new IllegalArgumentException("HTTP/1.1 request without exactly one Host header"));
            return;
        }
        OptionalLong declared = OptionalLong.empty();
        String length = request.headers().get(HttpHeaderNames.CONTENT_LENGTH);
        if (length != null) {
            try {
                declared = OptionalLong.of(Long.parseLong(length.trim()));
            } catch (NumberFormatException e) {
                rejectMalformed(e);
                return;
            }
        }
        boolean chunked = HttpUtil.isTransferEncodingChunked(request);
        expectContinue = HttpUtil.is100ContinueExpected(request);
        StreamingBody body = new StreamingBody(declared, new BodyConnection());
        receiving = body;
        if (!chunked && declared.orElse(0) == 0) {
            body.finish(); // no body; Netty still sends an empty LastHttpContent, which is ignored
            receiving = null;
        }
        String target = target(request.uri());
        if (target == null) {
            rejectMalformed(new IllegalArgumentException("request target is not UTF-8"));
            return;
        }
        InetSocketAddress remote = (InetSocketAddress) ctx.channel().remoteAddress();
        ServerRequest serverRequest = new ServerRequest(Method.of(request.method().name()), target,
                new NettyHeaders(request.headers()), body, remote, request.protocolVersion().text());
        current = serverRequest;
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        HttpVersion version = request.protocolVersion();
        server.requestStarted();
        Thread.ofVirtual().name("weft-request").start(() -> respond(serverRequest, keepAlive, version));
    }

    /**
     * The request-target as text. Netty maps each byte to one char; raw bytes above 0x7F are not
     * valid in a target (RFC 9112), but clients send UTF-8, so they are decoded strictly as UTF-8,
     * like the in-memory client's targets. Returns {@code null} if they are not UTF-8.
     */
    private static String target(String uri) {
        for (int i = 0; i < uri.length(); i++) {
            if (uri.charAt(i) > 0x7f) {
                try {
                    return PercentDecoder.utf8(uri.getBytes(StandardCharsets.ISO_8859_1), uri.length());
                } catch (IllegalArgumentException e) {
                    return null;
                }
            }
        }
        return uri;
    }

    /** Virtual thread: runs the router, then hands the response to the event loop. */
    private void respond(ServerRequest request, boolean keepAlive, HttpVersion version) {
        FullHttpResponse response = null;
        try {
            response = toNetty(Exchange.run(server.router(), request), version);
        } finally {
            // Even a fatal error must release the connection: without a response it is closed.
            FullHttpResponse ready = response;
            try {
                ctx.channel().eventLoop().execute(() -> {
                    if (ready != null) {
                        write(request, ready, keepAlive);
                    } else {
                        server.requestFinished();
                        ctx.close();
                    }
                });
            } catch (RejectedExecutionException stopped) {
                // The event loops were shut down after the shutdown deadline; nobody can be answered.
                if (ready != null) {
                    ready.release();
                }
                server.requestFinished();
            }
        }
    }

    private static FullHttpResponse toNetty(Exchange.Finished finished, HttpVersion version) {
        Status status = finished.status();
        HttpHeaders headers = DefaultHttpHeadersFactory.headersFactory().withValidation(false).newHeaders();
        finished.headers().forEach(headers::add);
        return new DefaultFullHttpResponse(version, HttpResponseStatus.valueOf(status.code(), status.reason()),
                Unpooled.wrappedBuffer(finished.body()), headers,
                DefaultHttpHeadersFactory.trailersFactory().newEmptyHeaders());
    }

    /** Event loop: writes the response of {@code request}, then moves on to the next request. */
    private void write(ServerRequest request, FullHttpResponse response, boolean keepAlive) {
        if (request != current) {
            response.release();
            server.requestFinished();
            return; // the connection failed meanwhile
        }
        boolean bodyUnread = receiving != null;
        if (bodyUnread) {
            // The handler answered before the body ended. Reading on to find the next request could
            // take arbitrarily long, so the connection ends with this response instead.
            receiving.abort();
            receiving = null;
        }
        boolean keep = keepAlive && !bodyUnread && !server.draining()
                && !response.headers().contains(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE, true);
        if (!keep) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            closing = true;
        } else if (response.protocolVersion().equals(HttpVersion.HTTP_1_0)) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        ctx.writeAndFlush(response).addListener((ChannelFutureListener) future -> {
            server.requestFinished();
            if (!future.isSuccess() || !keep) {
                ctx.close();
                return;
            }
            current = null;
            bodyPaused = false;
            drainBacklog();
        });
    }

    private void drainBacklog() {
        while (!backlog.isEmpty() && !closing) {
            HttpObject next = backlog.peek();
            if (next instanceof HttpRequest && current != null) {
                break;
            }
            backlog.poll();
            process(next);
        }
        updateReading();
    }

    /** Reads while nothing is queued behind the current request and its body is not backed up. */
    private void updateReading() {
        boolean read = backlog.isEmpty() && !bodyPaused;
        if (ctx.channel().config().isAutoRead() != read) {
            ctx.channel().config().setAutoRead(read);
        }
    }

    /** Answers a request the decoder could not parse, then closes: the stream position is unknown. */
    private void rejectMalformed(Throwable cause) {
        Status status = Status.BAD_REQUEST;
        String detail = "the request is not valid HTTP/1.1";
        if (cause instanceof TooLongHttpLineException) {
            status = Status.URI_TOO_LONG;
            detail = "the request line is longer than " + server.config().maxRequestLineBytes() + " bytes";
        } else if (cause instanceof TooLongHttpHeaderException) {
            status = Status.REQUEST_HEADER_FIELDS_TOO_LARGE;
            detail = "the request headers are larger than " + server.config().maxHeaderBytes() + " bytes";
        } else if (cause instanceof TooLongFrameException) {
            status = Status.REQUEST_HEADER_FIELDS_TOO_LARGE;
        }
        LOG.debug("rejecting a malformed request from {}: {}", ctx.channel().remoteAddress(), String.valueOf(cause));
        closing = true;
        backlog.forEach(ReferenceCountUtil::release);
        backlog.clear();
        if (current != null) {
            // A response is still being prepared; it will find the channel closed.
            ctx.close();
            return;
        }
        Response problem = Problem.of(status, detail).toResponse();
        FullHttpResponse response = toNetty(Exchange.finish(problem, Method.GET, null), HttpVersion.HTTP_1_1);
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) {
        if (receiving != null) {
            receiving.abort();
            receiving = null;
        }
        backlog.forEach(ReferenceCountUtil::release);
        backlog.clear();
        context.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
        LOG.debug("connection {} failed: {}", context.channel().remoteAddress(), String.valueOf(cause));
        context.close();
    }

    /** The body's view of this connection; called from the request's virtual thread. */
    private final class BodyConnection implements StreamingBody.Connection {
        @Override
        public void continueIfExpected() {
            ctx.channel().eventLoop().execute(() -> {
                if (expectContinue) {
                    expectContinue = false;
                    ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE,
                            Unpooled.EMPTY_BUFFER));
                }
            });
        }

        @Override
        public void resumeReading() {
            ctx.channel().eventLoop().execute(() -> {
                bodyPaused = false;
                updateReading();
            });
        }
    }
}
