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
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.time.Duration;
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

    /** Which deadline applies to the connection now. */
    private enum Phase {
        /** Between requests (or before the first): the idle or head deadline runs. */
        WAITING,
        /** Bytes of a request head have arrived: the head deadline runs. */
        READING_HEAD,
        /** The body is arriving: the body inactivity deadline runs, re-armed on every chunk. */
        READING_BODY,
        /** The handler runs; only the optional request deadline applies. */
        HANDLING
    }

    private final ServerState server;
    private final ArrayDeque<HttpObject> backlog = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private Phase phase = Phase.WAITING;
    private ScheduledFuture<?> timer;
    private ScheduledFuture<?> requestTimer;
    /** Whether the connection must close after the current response, whatever keep-alive says. */
    private boolean mustClose;
    /** The request whose response has not been written yet. */
    private ServerRequest current;
    /** Whether {@link #current} was already answered (by the request deadline). */
    private boolean answered;
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

    @Override
    public void channelActive(ChannelHandlerContext context) {
        // A new connection gets the head deadline: connecting and sending nothing is not free.
        arm(server.config().requestHeadTimeout(), this::headTimedOut);
        context.fireChannelActive();
    }

    /** Sits before the HTTP decoder and reports raw bytes, which the decoder would hide. */
    ChannelInboundHandlerAdapter activity() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext context, Object msg) {
                bytesArrived();
                context.fireChannelRead(msg);
            }
        };
    }

    private void bytesArrived() {
        if (phase == Phase.WAITING && current == null) {
            phase = Phase.READING_HEAD;
            arm(server.config().requestHeadTimeout(), this::headTimedOut);
        } else if (phase == Phase.READING_BODY && !bodyPaused) {
            arm(server.config().bodyTimeout(), this::bodyTimedOut);
        }
    }

    private void arm(Duration timeout, Runnable onTimeout) {
        disarm();
        if (!timeout.isZero()) {
            timer = ctx.executor().schedule(onTimeout, timeout.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    private void disarm() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private void idleTimedOut() {
        if (phase == Phase.WAITING && current == null && backlog.isEmpty()) {
            ctx.close();
        }
    }

    private void headTimedOut() {
        if ((phase == Phase.WAITING || phase == Phase.READING_HEAD) && current == null) {
            refuse(Status.REQUEST_TIMEOUT, "the request head did not arrive within "
                    + server.config().requestHeadTimeout().toMillis() + " ms");
        }
    }

    private void bodyTimedOut() {
        if (phase == Phase.READING_BODY && receiving != null) {
            // The reader sees the body end early (400); the stream position is lost, so the
            // connection closes after that answer.
            LOG.debug("request body from {} stalled", ctx.channel().remoteAddress());
            receiving.abort();
            receiving = null;
            mustClose = true;
            phase = Phase.HANDLING;
        }
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
                        // The reader is behind; the client is not at fault while we do not read.
                        bodyPaused = true;
                        disarm();
                        updateReading();
                    }
                    if (content instanceof LastHttpContent) {
                        receiving.finish();
                        receiving = null;
                        if (phase == Phase.READING_BODY) {
                            phase = Phase.HANDLING;
                            disarm();
                        }
                    }
                }
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void start(HttpRequest request) {
        disarm();
        HttpVersion version = request.protocolVersion();
        HttpHeaders headers = request.headers();
        if (version.majorVersion() != 1) {
            refuse(Status.HTTP_VERSION_NOT_SUPPORTED, "only HTTP/1.x is served on this connection");
            return;
        }
        if (version.minorVersion() >= 1 && headers.getAll(HttpHeaderNames.HOST).size() != 1) {
            // RFC 9112 §3.2: an HTTP/1.1 request has exactly one Host header.
            refuse(Status.BAD_REQUEST, "an HTTP/1.1 request needs exactly one Host header");
            return;
        }
        String transferEncoding = headers.get(HttpHeaderNames.TRANSFER_ENCODING);
        if (transferEncoding != null) {
            if (version.minorVersion() == 0 || headers.getAll(HttpHeaderNames.TRANSFER_ENCODING).size() != 1) {
                refuse(Status.BAD_REQUEST, "this transfer-encoding framing is not allowed");
                return;
            }
            if (!transferEncoding.trim().equalsIgnoreCase("chunked")) {
                refuse(Status.NOT_IMPLEMENTED, "only the chunked transfer-coding is supported");
                return;
            }
        }
        String expect = headers.get(HttpHeaderNames.EXPECT);
        if (expect != null && !expect.trim().equalsIgnoreCase("100-continue")) {
            refuse(Status.EXPECTATION_FAILED, "only 'expect: 100-continue' is supported");
            return;
        }
        OptionalLong declared = OptionalLong.empty();
        String length = headers.get(HttpHeaderNames.CONTENT_LENGTH);
        if (length != null) {
            try {
                declared = OptionalLong.of(Long.parseLong(length.trim()));
            } catch (NumberFormatException e) {
                refuse(Status.BAD_REQUEST, "content-length is not a number");
                return;
            }
        }
        String target = target(request.uri());
        if (target == null) {
            refuse(Status.BAD_REQUEST, "the request target is not valid UTF-8");
            return;
        }
        boolean chunked = transferEncoding != null;
        expectContinue = expect != null;
        StreamingBody body = new StreamingBody(declared, new BodyConnection());
        if (!chunked && declared.orElse(0) == 0) {
            body.finish(); // no body; Netty still sends an empty LastHttpContent, which is ignored
        } else {
            receiving = body;
        }
        InetSocketAddress remote = (InetSocketAddress) ctx.channel().remoteAddress();
        ServerRequest serverRequest = new ServerRequest(Method.of(request.method().name()), target,
                new NettyHeaders(headers), body, remote, version.text());
        current = serverRequest;
        answered = false;
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        phase = receiving != null ? Phase.READING_BODY : Phase.HANDLING;
        if (receiving != null) {
            arm(server.config().bodyTimeout(), this::bodyTimedOut);
        }
        if (!server.tryStartRequest()) {
            // Shed load instead of queueing without bound; the client may retry shortly.
            expectContinue = false;
            Response busy = Problem.of(Status.SERVICE_UNAVAILABLE, "the server is at its limit of "
                    + server.config().maxInFlight() + " requests in flight; retry shortly").toResponse()
                    .withHeader("retry-after", "1");
            server.requestStarted();
            write(serverRequest, toNetty(Exchange.finish(busy, serverRequest.method(), null), version), keepAlive);
            return;
        }
        Thread handler = Thread.ofVirtual().name("weft-request").start(() -> respond(serverRequest, keepAlive, version));
        Duration deadline = server.config().requestTimeout();
        if (!deadline.isZero()) {
            requestTimer = ctx.executor().schedule(() -> requestTimedOut(serverRequest, handler, version),
                    deadline.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    /** Event loop: the handler of {@code request} overran the request deadline. */
    private void requestTimedOut(ServerRequest request, Thread handler, HttpVersion version) {
        if (request != current || answered) {
            return;
        }
        LOG.warn("{} {} exceeded the request timeout of {}; answering 503 and interrupting its handler",
                request.method(), request.path(), server.config().requestTimeout());
        handler.interrupt();
        Response late = Problem.of(Status.SERVICE_UNAVAILABLE, "the request took longer than "
                + server.config().requestTimeout().toMillis() + " ms").toResponse().withHeader("retry-after", "1");
        mustClose = true; // the handler may still be reading the body
        write(request, toNetty(Exchange.finish(late, request.method(), null), version), false);
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
        if (request != current || answered) {
            // Answered already by the request deadline; the count was settled then.
            response.release();
            return;
        }
        answered = true;
        if (requestTimer != null) {
            requestTimer.cancel(false);
            requestTimer = null;
        }
        boolean bodyUnread = receiving != null;
        if (bodyUnread) {
            // The handler answered before the body ended. Reading on to find the next request could
            // take arbitrarily long, so the connection ends with this response instead.
            receiving.abort();
            receiving = null;
        }
        boolean keep = keepAlive && !bodyUnread && !mustClose && !server.draining()
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
            phase = Phase.WAITING;
            arm(server.config().idleTimeout(), this::idleTimedOut);
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
        LOG.debug("rejecting a malformed request from {}: {}", ctx.channel().remoteAddress(), String.valueOf(cause));
        if (cause instanceof TooLongHttpLineException) {
            refuse(Status.URI_TOO_LONG, "the request line is longer than " + server.config().maxRequestLineBytes()
                    + " bytes");
        } else if (cause instanceof TooLongHttpHeaderException || cause instanceof TooLongFrameException) {
            refuse(Status.REQUEST_HEADER_FIELDS_TOO_LARGE, "the request headers are larger than "
                    + server.config().maxHeaderBytes() + " bytes or too many");
        } else {
            refuse(Status.BAD_REQUEST, "the request is not valid HTTP/1.1");
        }
    }

    /**
     * Answers with a problem and closes the connection: used when the request cannot be served
     * and the rest of the stream cannot be trusted (malformed framing, unsupported features,
     * deadlines).
     */
    private void refuse(Status status, String detail) {
        closing = true;
        disarm();
        backlog.forEach(ReferenceCountUtil::release);
        backlog.clear();
        if (receiving != null) {
            receiving.abort();
            receiving = null;
        }
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
        disarm();
        if (requestTimer != null) {
            requestTimer.cancel(false);
        }
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
                if (phase == Phase.READING_BODY) {
                    arm(server.config().bodyTimeout(), Http1Handler.this::bodyTimedOut);
                }
                updateReading();
            });
        }
    }
}
