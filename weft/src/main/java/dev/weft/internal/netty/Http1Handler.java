package dev.weft.internal.netty;

import dev.weft.http.Method;
import dev.weft.internal.http.BytesBody;
import dev.weft.internal.http.Exchange;
import dev.weft.internal.http.ServerRequest;
import dev.weft.response.Problem;
import dev.weft.response.Response;
import dev.weft.response.Status;
import dev.weft.server.ServerStats;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTP/1.x connection, its reading side. Each request runs on its own virtual thread as soon
 * as its head arrives, so pipelined requests are handled concurrently (up to
 * {@link #MAX_PIPELINED} per connection, then reading pauses). Per request: the head is checked
 * ({@link Http1RequestHead}; {@link Http1Codec} before this handler checks the grammar), the
 * handler started ({@link HandlerStart}) and the body fed to it ({@link Http1RequestBody}).
 * {@link Http1Responses} writes the responses, strictly in request order, with one flush per
 * batch of reads; {@link Http1Deadline} runs the connection's deadline; what cannot be served is
 * refused here with a problem, then a lingering close ({@link LingeringClose}).
 *
 * <p>All fields are confined to the channel's event loop; a virtual thread hands its response
 * back with {@code execute}.
 */
final class Http1Handler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(Http1Handler.class);
    /** Requests handled at once on one connection; later ones wait, and reading pauses. */
    static final int MAX_PIPELINED = 32;
    /** How long a closing connection keeps reading (and dropping) what the client still sends. */
    static final Duration LINGER = Duration.ofSeconds(2);

    private static final byte[] NO_BYTES = new byte[0];

    private final ServerState server;
    /** The writing side: started requests in order, and their responses. */
    private Http1Responses responses;
    private final ArrayDeque<HttpObject> backlog = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private Http1Deadline deadline;
    /** The body still arriving (of the newest request), or null. */
    private Http1RequestBody receiving;
    /** A body's reader is behind: the socket is not read. */
    private boolean bodyPaused;
    /** No more requests are read or started; the connection closes after what is written. */
    private boolean closing;
    /** {@code https} over TLS, else {@code http}: what requests on this connection report. */
    private String scheme = "http";
    /** The client shut down its side (half-close): answer what was sent, then close. */
    private boolean inputClosed;
    /** Inside a batch of reads (channelRead … channelReadComplete): flushes wait for its end. */
    private boolean reading;
    /** The context of {@link #activity()}, in front of the codec. */
    private ChannelHandlerContext activityContext;
    /**
     * A request asking for a protocol switch ({@code upgrade} header) waits for its answer:
     * nothing after it is read or started, since what follows a {@code 101} is not HTTP.
     */
    private PipelinedRequest upgrading;

    Http1Handler(ServerState server) {
        this.server = server;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
        this.ctx = context;
        this.responses = new Http1Responses(context, activityContext, context.pipeline().get(Http1Codec.class), server,
                writing);
        this.deadline = new Http1Deadline(context.executor(), server.config(), expiry);
        this.scheme = context.pipeline().get(SslHandler.class) != null ? "https" : "http";
        if (context.channel().isActive()) {
            // Added after the connection opened (ALPN chose HTTP/1.1): the head deadline starts now.
            deadline.connected();
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext context) {
        deadline.connected();
        context.fireChannelActive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext context) {
        // The connection switched to HTTP/2 (before any request was pending): no HTTP/1 deadline may fire.
        deadline.stop();
    }

    /** Whether no request is being handled or waiting: the connection may be closed at shutdown. */
    boolean idle() {
        return responses.isEmpty() && backlog.isEmpty();
    }

    /**
     * Event loop: the server is shutting down. An idle connection closes now; a busy one answers
     * the requests it has received, the last with {@code connection: close}, then closes. It
     * keeps reading meanwhile: bytes left unread when a socket closes make the kernel reset the
     * connection, which can destroy responses the client has not read yet. A client that keeps
     * pipelining is bounded by the shutdown deadline.
     */
    void drain() {
        if (idle()) {
            ctx.close();
        }
    }

    /** Sits before the HTTP decoder and reports raw bytes, which the decoder would hide. */
    ChannelInboundHandlerAdapter activity() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void handlerAdded(ChannelHandlerContext context) {
                activityContext = context;
            }

            @Override
            public void channelRead(ChannelHandlerContext context, Object msg) {
                bytesArrived();
                context.fireChannelRead(msg);
            }
        };
    }

    // ---------------------------------------------------------------- deadlines

    private void bytesArrived() {
        if (closing) {
            return; // nothing more is read as a request; a lingering close keeps its own deadline
        }
        deadline.bytesArrived(!responses.isEmpty(), bodyPaused);
    }

    private final Http1Deadline.Expiry expiry = new Http1Deadline.Expiry() {
        @Override
        public void idle() {
            if (deadline.phase() == Http1Deadline.Phase.WAITING && Http1Handler.this.idle()) {
                ctx.close();
            }
        }

        @Override
        public void head() {
            Http1Deadline.Phase phase = deadline.phase();
            if ((phase == Http1Deadline.Phase.WAITING || phase == Http1Deadline.Phase.READING_HEAD)
                    && responses.isEmpty()) {
                refuse(Status.REQUEST_TIMEOUT, "the request head did not arrive within "
                        + server.config().requestHeadTimeout().toMillis() + " ms");
            }
        }

        @Override
        public void body() {
            if (deadline.phase() == Http1Deadline.Phase.READING_BODY && receiving != null) {
                LOG.debug("request body from {} stalled", ctx.channel().remoteAddress());
                answerInstead(receiving.owner(), Status.REQUEST_TIMEOUT, "the request body paused for longer than "
                        + server.config().bodyTimeout().toMillis() + " ms");
            }
        }
    };

    /** Whether {@code p}'s body is still arriving. */
    private boolean receivesBodyOf(PipelinedRequest p) {
        return receiving != null && receiving.owner() == p;
    }

    /** Stops receiving the body still arriving, if any: its reader sees it cut off. */
    private void abortBody() {
        if (receiving != null) {
            receiving.abort();
            receiving = null;
        }
    }

    /**
     * Event loop: {@code p} cannot be served as sent (its body is malformed, stalled or too slow).
     * It is answered with {@code status} in its turn, whatever its handler returns later, and the
     * connection closes after that answer: the position in the stream is lost.
     */
    private void answerInstead(PipelinedRequest p, Status status, String detail) {
        if (status.code() == 408) {
            server.refused(ServerStats.Refusal.BODY_TIMEOUT);
        }
        if (receivesBodyOf(p)) {
            abortBody();
        }
        closing = true;
        deadline.handling();
        backlog.forEach(ReferenceCountUtil::release);
        backlog.clear();
        p.closeAfter = true;
        switch (p.stage()) {
            case READY, WRITTEN, DROPPED -> {
                return; // answered already, or given up
            }
            case STREAMING -> {
                ctx.close(); // its response has started: only the close can tell the client
                return;
            }
            case STREAM_WAITING -> p.cancelStream();
            case HANDLING -> { }
        }
        Response problem = Problem.of(status, detail).toResponse();
        responses.ready(p, Exchange.finish(problem, p.request.method(), null));
    }

    /** The body still arriving will not be complete: its reader fails, and the connection closes after the answer. */
    private void failIncompleteBody() {
        receiving.owner().closeAfter = true;
        abortBody();
        closing = true;
        deadline.handling();
    }

    // ---------------------------------------------------------------- reading

    @Override
    public void channelRead(ChannelHandlerContext context, Object msg) {
        reading = true;
        if (!(msg instanceof HttpObject http) || closing) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (!backlog.isEmpty() || (msg instanceof HttpRequest && mustWait())) {
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
                    rejectBody(content.decoderResult().cause());
                    return;
                }
                if (receiving != null) {
                    receiving.content(content.content());
                    if (content instanceof LastHttpContent) {
                        receiving.finish();
                        receiving = null;
                        deadline.bodyEnded();
                    }
                }
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void start(HttpRequest request) {
        deadline.cancel();
        Http1RequestHead head = Http1RequestHead.check(request, server.config().maxHeaderCount());
        if (head.refusal() != null) {
            refuse(head.refusal().status(), head.refusal().detail());
            return;
        }
        HttpVersion version = head.version();
        boolean hasBody = head.hasBody();
        boolean continueExpected = head.continueExpected();
        // Netty still sends an empty LastHttpContent after a head without a body; it is ignored.
        Http1RequestBody body = hasBody ? new Http1RequestBody(head.declared(), server.config(), ctx.executor(),
                bodyConnection, continueExpected, System.nanoTime()) : null;
        InetSocketAddress remote = ProxyProtocol.peer(ctx.channel());
        ServerRequest serverRequest = new ServerRequest(Method.of(request.method().name()), head.target(),
                new NettyHeaders(request.headers()), hasBody ? body.body() : new BytesBody(NO_BYTES, head.declared()),
                remote, request.protocolVersion().text(), scheme);
        serverRequest.proxies(server.config().proxies());
        PipelinedRequest p = new PipelinedRequest(server::requestFinished, serverRequest, head.keepAlive(), version,
                continueExpected);
        responses.add(p);
        if (!hasBody && request.headers().contains(HttpHeaderNames.UPGRADE)) {
            upgrading = p;
            updateReading();
        }
        if (hasBody) {
            body.owner(p);
            receiving = body;
            deadline.bodyStarted();
        } else {
            deadline.handling();
        }
        if (!server.tryStartRequest()) {
            // Shed load instead of queueing without bound.
            server.requestStarted();
            server.refused(ServerStats.Refusal.OVERLOAD);
            responses.ready(p, Exchange.finish(HandlerStart.overloaded(server.config()), serverRequest.method(), null));
            return;
        }
        if (HandlerStart.runsInline(server, !hasBody, serverRequest)) {
            // Declared non-blocking: answer on this event loop, no thread hand-off; flushed
            // once the current batch of reads is done.
            Exchange.Finished finished = Exchange.run(server.router(), serverRequest);
            if (finished.streams()) {
                // Writing may block: that happens on a virtual thread, never on the event loop.
                HandlerStart.streamWriter(() -> responses.stream(p, finished));
            } else {
                responses.ready(p, finished);
            }
            return;
        }
        p.handler = HandlerStart.handler(() -> responses.respond(p));
        p.deadline = HandlerStart.deadline(server.config(), ctx.executor(), () -> responses.requestTimedOut(p));
    }

    // ---------------------------------------------------------------- what the writing side asks

    private final Http1Responses.Connection writing = new Http1Responses.Connection() {
        @Override
        public boolean bodyArriving(PipelinedRequest p) {
            return receivesBodyOf(p);
        }

        @Override
        public boolean abandonBody(PipelinedRequest p) {
            return abandonUnreadBody(p);
        }

        @Override
        public boolean noMoreRequests() {
            return backlog.isEmpty() && (server.draining() || inputClosed);
        }

        @Override
        public boolean closing() {
            return closing;
        }

        @Override
        public void stop() {
            closing = true;
            dropRemaining();
        }

        @Override
        public void lingerThenClose() {
            Http1Handler.this.lingerThenClose();
        }

        @Override
        public void wrote(boolean allAnswered) {
            if (allAnswered) {
                bodyPaused = false;
                upgrading = null; // answered without a protocol switch: HTTP goes on
                deadline.waiting();
            }
            drainBacklog();
        }

        @Override
        public boolean mayUpgradeAfter(PipelinedRequest p) {
            return upgrading == p && backlog.isEmpty() && receiving == null && !inputClosed;
        }

        @Override
        public void upgrade(PipelinedRequest p, WebSocketPipeline webSocket) {
            closing = true;
            deadline.stop();
            webSocket.install(ctx.pipeline(), server, Http1Handler.this);
        }

        @Override
        public boolean inReadBatch() {
            return reading;
        }
    };

    /**
     * Closes after the last response without losing it. Closing a socket while the client's bytes
     * are still unread (a body the handler refused, requests pipelined behind a close) makes the
     * kernel send a reset, and a reset can destroy the response before the client reads it. So
     * the server ends its side (TLS {@code close_notify}, then a TCP half-close), reads and drops
     * whatever still comes, and closes when the client does or after {@link #LINGER}.
     */
    private void lingerThenClose() {
        if (!LingeringClose.possible(ctx, inputClosed)) {
            ctx.close();
            return;
        }
        closing = true;
        dropRemaining();
        deadline.cancel();
        LingeringClose.start(ctx, LINGER);
    }

    /**
     * Stops receiving the body of {@code p} if it is still arriving: its handler answered before
     * reading it all. Reading on to find the next request could take arbitrarily long, so the
     * connection ends with this response instead. Returns whether it did.
     */
    private boolean abandonUnreadBody(PipelinedRequest p) {
        if (!receivesBodyOf(p)) {
            return false;
        }
        abortBody();
        return true;
    }

    /** The connection will not answer the requests still pending; their handlers finish unheard. */
    private void dropRemaining() {
        responses.dropAll();
        abortBody();
        backlog.forEach(ReferenceCountUtil::release);
        backlog.clear();
    }

    private void drainBacklog() {
        while (!backlog.isEmpty() && !closing) {
            HttpObject next = backlog.peek();
            if (next instanceof HttpRequest && mustWait()) {
                break;
            }
            backlog.poll();
            process(next);
        }
        updateReading();
    }

    /**
     * Whether a new request on this connection must wait for earlier ones: past the pipeline
     * limit, or while the server is at its in-flight limit and this connection already has work
     * in flight (a pipelining client is slowed down, not answered 503).
     */
    private boolean mustWait() {
        return responses.size() >= MAX_PIPELINED || (!responses.isEmpty() && server.atInFlightLimit())
                || upgrading != null;
    }

    /** Reads while nothing is queued behind the pipeline limit, no body is backed up and no protocol switch pends. */
    private void updateReading() {
        boolean read = backlog.isEmpty() && !bodyPaused && upgrading == null;
        if (ctx.channel().config().isAutoRead() != read) {
            ctx.channel().config().setAutoRead(read);
        }
    }


    // ---------------------------------------------------------------- refusals

    /** Answers the request whose body the decoder could not parse (once), then closes. */
    private void rejectBody(Throwable cause) {
        if (receiving == null) {
            rejectMalformed(cause);
            return;
        }
        LOG.debug("rejecting a malformed request body from {}: {}", ctx.channel().remoteAddress(), String.valueOf(cause));
        answerInstead(receiving.owner(), Status.BAD_REQUEST, "the chunked request body is malformed");
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
     * Answers with a problem after the responses already due, then closes: used when the request
     * cannot be served and the rest of the stream cannot be trusted (malformed framing,
     * unsupported features, deadlines).
     */
    private void refuse(Status status, String detail) {
        if (status.code() == 431) {
            server.refused(ServerStats.Refusal.HEADER_TOO_LARGE);
        } else if (status.code() == 408) { // only the head deadline refuses with 408
            server.refused(ServerStats.Refusal.HEAD_TIMEOUT);
        }
        closing = true;
        deadline.cancel();
        backlog.forEach(ReferenceCountUtil::release);
        backlog.clear();
        abortBody();
        Response problem = Problem.of(status, detail).toResponse();
        PipelinedRequest refusal = PipelinedRequest.refusal();
        responses.add(refusal);
        responses.ready(refusal, Exchange.finish(problem, Method.GET, null));
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext context) {
        reading = false;
        responses.readBatchEnded();
        context.fireChannelReadComplete();
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) {
        deadline.stop();
        closing = true;
        dropRemaining();
        responses.wake(); // a streamed response's writer sees the connection gone
        context.fireChannelInactive();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext context) {
        responses.wake();
        context.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext context, Object event) {
        if (event instanceof ChannelInputShutdownEvent) {
            // The client sent all it will send: it shut down its write side, or closed the
            // connection (the two look alike until the server writes). What it sent is answered;
            // then the connection closes. Unless the server expects half-closes, handlers still
            // running are interrupted: the client most likely left (see Server.Builder.halfClose).
            inputClosed = true;
            responses.wake(); // an event stream takes the client's end of input for the client leaving
            PipelinedRequest truncated = receiving == null ? null : receiving.owner();
            if (truncated != null) {
                failIncompleteBody(); // it stopped inside a body: its handler's read fails, 400
            }
            if (!server.config().halfClose()) {
                responses.clientLeft(truncated);
            }
            if (idle()) {
                ctx.close();
            }
            return;
        }
        context.fireUserEventTriggered(event);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
        LOG.debug("connection {} failed: {}", context.channel().remoteAddress(), String.valueOf(cause));
        context.close();
    }

    /** What the arriving bodies ask of this connection; on the event loop. */
    private final Http1RequestBody.Connection bodyConnection = new Http1RequestBody.Connection() {
        @Override
        public boolean continueNow(Http1RequestBody body) {
            // 100 Continue is sent only while the body is still awaited and nothing is due
            // before it on the wire; otherwise the client sends its body after its own wait.
            if (receiving != body || responses.next() != body.owner()) {
                return false;
            }
            ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE,
                    Unpooled.EMPTY_BUFFER));
            return true;
        }

        @Override
        public void paused(boolean paused) {
            bodyPaused = paused;
            deadline.bodyHeld(paused);
            updateReading();
        }

        @Override
        public void tooSlow(Http1RequestBody body, String detail) {
            if (receiving == body) {
                answerInstead(body.owner(), Status.REQUEST_TIMEOUT, detail);
            }
        }
    };
}
