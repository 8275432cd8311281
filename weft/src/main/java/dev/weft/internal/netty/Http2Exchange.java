package dev.weft.internal.netty;

import dev.weft.http.Method;
import dev.weft.internal.http.Exchange;
import dev.weft.internal.http.ServerRequest;
import dev.weft.response.Problem;
import dev.weft.response.Response;
import dev.weft.response.Status;
import dev.weft.server.ServerStats;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.DefaultHttp2WindowUpdateFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameStream;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2StreamFrame;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request/response exchange on one HTTP/2 stream, driven by the connection's
 * {@link Http2Streams} (it is not a Netty handler: there is no channel per stream). It maps the
 * stream's HEADERS with {@link Http2RequestHead}, receives its DATA as an {@link Http2RequestBody},
 * runs the router ({@link Exchange}) on a virtual thread and writes the response with
 * {@link Http2ResponseWriter} (a streamed one through an {@link Http2StreamOutlet}). It is the
 * HTTP/2 counterpart of one pipelined request on HTTP/1.1.
 *
 * <p>Malformed heads get {@code RST_STREAM(PROTOCOL_ERROR)}, refused ones a problem answer (see
 * {@link Http2RequestHead}); Netty's codec also resets streams whose {@code content-length} does
 * not match the DATA. 417 answers an expectation other than {@code 100-continue}.
 *
 * <p>Limits apply per stream as per request on HTTP/1.1: over {@code maxInFlight} the stream is
 * answered 503 with {@code retry-after}; past {@code requestTimeout} 503 and the handler is
 * interrupted; a body that pauses past {@code bodyTimeout}, arrives below
 * {@code minBodyBytesPerSecond} after {@code bodyRateGrace}, or takes longer than
 * {@code bodyDeadline} is answered 408 (or, if the response has started, the stream is reset with
 * {@code CANCEL}) and the handler is interrupted. A response written before the request body
 * ended is followed by {@code RST_STREAM(NO_ERROR)} (RFC 9113 §8.1), which stops the upload.
 *
 * <p>A reset stream (RST_STREAM from the client, or the connection closing) interrupts the
 * handler's virtual thread; its in-flight count is released once, when the handler returns (or
 * when the response is written, whichever is first).
 *
 * <p>All fields are confined to the connection's event loop, except {@link #gone} (volatile, read
 * by the response writer's thread) and {@link #settled}; the virtual thread hands its response
 * back with {@code execute}.
 */
final class Http2Exchange {
    private static final Logger LOG = LoggerFactory.getLogger(Http2Exchange.class);
    private static final String PROTOCOL = "HTTP/2.0";

    private final ServerState server;
    private final Http2Streams connection;
    private final ChannelHandlerContext ctx;
    private final Http2FrameStream stream;
    private final AtomicBoolean settled = new AtomicBoolean();
    private ServerRequest request;
    /** The request body while it arrives; null before the head and for a refused head. */
    private Http2RequestBody body;
    private boolean started;
    /** The client ended its side of the stream (END_STREAM seen). */
    private boolean requestComplete;
    /** A response (or a reset) has been written; nothing else will be. */
    private boolean answered;
    /** The stream is reset or closed (read by the response writer's thread). */
    private volatile boolean gone;
    /** This stream counts in the server's in-flight requests until {@link #settle()}. */
    private boolean counted;
    private Thread handler;
    /** The streamed response being written by the handler's thread, and its view of the stream. */
    private ResponseStream activeStream;
    private Http2StreamOutlet outlet;
    private ScheduledFuture<?> deadline;
    /** The last write of the response while it has not gone out, and since when (see {@link #checkStall}). */
    private ChannelFuture unfinished;
    private long unfinishedSince;

    Http2Exchange(ServerState server, Http2Streams connection, ChannelHandlerContext ctx,
            Http2FrameStream stream) {
        this.server = server;
        this.connection = connection;
        this.ctx = ctx;
        this.stream = stream;
    }

    // ---------------------------------------------------------------- reading

    /** A HEADERS frame on this stream (the caller releases nothing: headers hold no buffer). */
    void headersRead(Http2HeadersFrame frame) {
        if (!started) {
            started = true;
            start(frame.headers(), frame.isEndStream());
        } else if (frame.isEndStream()) {
            endOfRequest(); // trailers: ignored, but they end the body
        }
    }

    /** A DATA frame on this stream; the caller releases it. */
    void dataRead(Http2DataFrame frame) {
        if (body != null) {
            body.data(frame);
        } else {
            consume(frame.initialFlowControlledBytes()); // a refused stream's DATA still counts against the windows
        }
        if (frame.isEndStream()) {
            endOfRequest();
        }
    }

    private void endOfRequest() {
        requestComplete = true;
        if (body != null) {
            body.end();
        }
    }

    /**
     * Event loop, from the connection's sweep: stops a request body that arrives too slowly.
     * Returns whether the body still arrives.
     */
    boolean checkBody(long now) {
        return body != null && !gone && body.check(now);
    }

    private void start(Http2Headers h2, boolean endStream) {
        requestComplete = endStream;
        Http2RequestHead.Accepted head;
        switch (Http2RequestHead.from(h2, server.config().maxHeaderCount())) {
            case Http2RequestHead.Accepted accepted -> head = accepted;
            case Http2RequestHead.Refused refused -> {
                refuse(refused.status(), refused.detail());
                return;
            }
            case Http2RequestHead.Malformed malformed -> {
                LOG.debug("resetting malformed stream from {}: {}", remote(), malformed.reason());
                reset(Http2Error.PROTOCOL_ERROR);
                return;
            }
        }
        Method method = head.method();
        body = new Http2RequestBody(head.declared(), server.config(), ctx.executor(), new BodyStream(),
                head.expectContinue(), endStream, System.nanoTime());
        request = new ServerRequest(method, head.target(), head.headers(), body.body(), remote(), PROTOCOL,
                connection.scheme());
        request.proxies(server.config().proxies());
        if (!endStream) {
            connection.watchBodies();
        }
        counted = true;
        if (!server.tryStartRequest()) {
            overloaded(method);
            return;
        }
        if (HandlerStart.runsInline(server, endStream, request)) {
            runInline();
            return;
        }
        startHandler();
    }

    /** Sheds load as HTTP/1.1 does (503 with {@code retry-after}); the client may retry shortly. */
    private void overloaded(Method method) {
        server.requestStarted();
        server.refused(ServerStats.Refusal.OVERLOAD);
        answer(Exchange.finish(HandlerStart.overloaded(server.config()), method, null));
    }

    /** Runs a handler declared non-blocking on this event loop; a streamed body is written on a virtual thread. */
    private void runInline() {
        Exchange.Finished inline = Exchange.run(server.router(), request);
        if (inline.streams()) {
            // Writing may block: that happens on a virtual thread, never on the event loop.
            handler = HandlerStart.streamWriter(() -> stream(inline));
        } else {
            answer(inline);
        }
    }

    /** Starts the handler on a virtual thread, bounded by {@code requestTimeout}. */
    private void startHandler() {
        handler = HandlerStart.handler(this::respond);
        deadline = HandlerStart.deadline(server.config(), ctx.executor(), this::requestTimedOut);
    }

    private InetSocketAddress remote() {
        return ProxyProtocol.peer(ctx.channel());
    }

    // ---------------------------------------------------------------- handling

    /** Virtual thread: runs the router, then hands the response to the event loop. */
    private void respond() {
        Exchange.Finished finished = null;
        try {
            finished = Exchange.run(server.router(), request);
        } finally {
            // A streamed body is handed over by stream() below; anything else (a fatal error too) here.
            if (finished == null || !finished.streams()) {
                Exchange.Finished result = finished;
                try {
                    ctx.executor().execute(() -> handlerReturned(result));
                } catch (RejectedExecutionException stopped) {
                    settle(); // the event loops are gone (after the shutdown deadline); nobody can be answered
                }
            }
        }
        if (finished.streams()) {
            stream(finished);
        }
    }

    /** Event loop: the handler returned {@code result} ({@code null} if it failed fatally). */
    private void handlerReturned(Exchange.Finished result) {
        handler = null;
        if (answered) {
            return; // answered by the request deadline; settled when that answer was written
        }
        if (gone) {
            settle(); // reset while the handler ran: nobody to answer
            request.complete(result == null ? 0 : result.status().code(), 0, true);
            return;
        }
        if (result == null) {
            settle();
            reset(Http2Error.INTERNAL_ERROR);
            request.complete(0, 0, true);
            return;
        }
        answer(result);
    }

    /**
     * Virtual thread: writes a streamed response. The thread blocks while the stream's window or
     * the connection is full (see {@link ResponseStream}).
     */
    private void stream(Exchange.Finished finished) {
        CompletableFuture<ResponseStream> turn = new CompletableFuture<>();
        try {
            ctx.executor().execute(() -> streamReady(finished, turn));
        } catch (RejectedExecutionException stopped) {
            finished.stream().writer().discard();
            settle();
            request.complete(finished.status().code(), 0, true);
            return;
        }
        ResponseStream out = turn.join();
        if (out == null) {
            finished.stream().writer().discard();
            // Not completed here: streamReady did if the stream was reset, and the answer written
            // instead (the deadline's 503) does when it is out.
            return;
        }
        ResponseStream.Outcome outcome = ResponseStream.Outcome.CUT;
        try {
            outcome = out.writeAll(finished.stream(), request);
        } finally {
            ResponseStream.Outcome result = outcome;
            try {
                ctx.executor().execute(() -> streamDone(out, finished.status().code(), result.last(),
                        result.instead()));
            } catch (RejectedExecutionException stopped) {
                settle();
            }
        }
    }

    /** Event loop: the handler returned a streamed response; its thread may write unless the stream is over. */
    private void streamReady(Exchange.Finished finished, CompletableFuture<ResponseStream> turn) {
        handler = null;
        if (answered || gone) {
            if (gone && !answered) {
                settle();
                request.complete(finished.status().code(), 0, true);
            }
            turn.complete(null); // answered by the request deadline, or reset while the handler ran
            return;
        }
        answered = true;
        cancel(deadline); // the deadline covers the handler; a long download is bounded by the write-stall timeout
        // The body is not cut off: the writer may still read it while it writes.
        outlet = new Http2StreamOutlet(ctx, stream, () -> gone);
        activeStream = new ResponseStream(ctx, server, outlet, Http2ResponseWriter.framing(finished),
                finished.contentLength() != null ? finished.stream().length() : -1, finished.stream().codec(),
                server.config().writeTimeout());
        outlet.attach(activeStream);
        turn.complete(activeStream);
    }

    /**
     * Event loop: the streamed response is done. {@code last} is its final write if the body was
     * complete; {@code instead} a full response if it failed before anything was sent. A body cut
     * off later resets the stream, so the client cannot take part of it for all of it.
     */
    private void streamDone(ResponseStream out, int status, ChannelFuture last, Exchange.Finished instead) {
        if (activeStream == out) {
            activeStream = null;
            outlet = null;
        }
        if (instead != null) {
            answered = false;
            answer(instead);
            return;
        }
        abortBody();
        if (last == null) {
            settle();
            request.complete(status, out.written(), true);
            if (!gone) {
                write(new DefaultHttp2ResetFrame(Http2Error.INTERNAL_ERROR));
                connection.flush();
            }
            return;
        }
        endAfter(last, status, out.written());
    }

    private void requestTimedOut() {
        deadline = null;
        if (answered || gone) {
            return;
        }
        answer(Exchange.finish(HandlerStart.overran(server.config(), request.method(), request.path(), handler),
                request.method(), null));
    }

    /**
     * The request body arrived too slowly ({@code why}: a pause past {@code bodyTimeout}, a rate
     * below {@code minBodyBytesPerSecond} or past {@code bodyDeadline}): 408 if the response has
     * not started, else the stream is reset with {@code CANCEL}. The handler is interrupted.
     */
    private void bodyTooSlow(String why) {
        if (gone) {
            return;
        }
        LOG.debug("request body on a stream from {}: {}", remote(), why);
        if (handler != null) {
            handler.interrupt();
        }
        server.refused(ServerStats.Refusal.BODY_TIMEOUT);
        if (answered) {
            reset(Http2Error.CANCEL);
            return;
        }
        answer(Exchange.finish(Problem.of(Status.REQUEST_TIMEOUT, why).toResponse(),
                request.method(), null));
    }

    // ---------------------------------------------------------------- writing

    /**
     * Writes {@code finished} as this stream's response, once. If the request body has not
     * ended, the stream is then reset with {@code NO_ERROR}, so the client stops sending it.
     */
    private void answer(Exchange.Finished finished) {
        if (answered || gone) {
            settle();
            if (!answered && request != null) {
                request.complete(finished.status().code(), 0, true); // reset before it could be written
            }
            return;
        }
        answered = true;
        cancel(deadline);
        abortBody();
        if (request != null) {
            request.headSent();
        }
        endAfter(Http2ResponseWriter.write(ctx, stream, finished), finished.status().code(), finished.body().length);
        connection.flush();
    }

    /**
     * Settles once the response's last frame is written; if the request body has not ended, then
     * resets the stream with {@code NO_ERROR}, so the client stops sending it.
     */
    private void endAfter(ChannelFuture written, int status, long bytes) {
        if (!written.isDone()) {
            // DATA waits for the client's stream window; a client that never opens it would hold
            // the stream (and its buffers) forever without this. Watched by the connection's
            // stall sweep rather than a timer per response: scheduling one per request cost more
            // than the rest of the stream's bookkeeping.
            unfinished = written;
            unfinishedSince = System.nanoTime();
            connection.watchStalls();
        }
        written.addListener(f -> {
            if (unfinished == written) {
                unfinished = null;
            }
            if (request != null) {
                request.complete(status, bytes, !f.isSuccess());
            }
            settle();
            // Only after the last DATA frame: a reset written earlier would overtake DATA that
            // waits for the client's window, and discard it.
            if (f.isSuccess() && !requestComplete && !gone) {
                write(new DefaultHttp2ResetFrame(Http2Error.NO_ERROR));
                connection.flush();
            }
        });
    }

    /**
     * Event loop, from the connection's stall sweep: resets the stream if its response's last
     * write has waited {@code limitNanos} (the write timeout). Returns whether it is still waiting.
     */
    boolean checkStall(long now, long limitNanos) {
        ChannelFuture written = unfinished;
        if (written == null || written.isDone() || gone) {
            return false;
        }
        if (now - unfinishedSince < limitNanos) {
            return true;
        }
        unfinished = null;
        LOG.debug("stream to {} stalled for {}; resetting it", remote(), Duration.ofNanos(limitNanos));
        write(new DefaultHttp2ResetFrame(Http2Error.CANCEL));
        connection.flush();
        return false;
    }

    /** Answers a request that is refused before it reaches the router; never counted in flight. */
    private void refuse(Status status, String detail) {
        if (status.code() == 431) {
            server.refused(ServerStats.Refusal.HEADER_TOO_LARGE);
        }
        Response problem = Problem.of(status, detail).toResponse();
        answer(Exchange.finish(problem, Method.GET, null));
    }

    private void reset(Http2Error error) {
        answered = true;
        write(new DefaultHttp2ResetFrame(error));
        connection.flush();
    }

    /** Writes {@code frame} on this stream (not flushed). */
    private ChannelFuture write(Http2StreamFrame frame) {
        return ctx.write(frame.stream(stream));
    }

    /** Takes this stream out of the server's in-flight count, at most once, from any thread. */
    private void settle() {
        if (counted && settled.compareAndSet(false, true)) {
            server.requestFinished();
        }
    }

    /** Gives {@code bytes} back to the client's stream (and connection) window; flushed by the caller. */
    private void consume(int bytes) {
        if (bytes > 0 && !gone) {
            // Not a void promise: a failure would then close the connection as an exception.
            ctx.write(new DefaultHttp2WindowUpdateFrame(bytes).stream(stream));
        }
    }

    private void abortBody() {
        if (body != null) {
            body.abort();
        }
    }

    private static void cancel(ScheduledFuture<?> timer) {
        if (timer != null) {
            timer.cancel(false);
        }
    }

    // ---------------------------------------------------------------- stream end

    /** The client reset the stream (RST_STREAM). */
    void resetRead(long errorCode) {
        LOG.debug("stream reset by {} with error {}", remote(), errorCode);
        streamGone();
    }

    /** The stream closed (normally, by a reset, or with the connection). */
    void closed() {
        streamGone();
    }

    /** The codec found this stream in error: like a Netty stream channel, reset it with {@code error}. */
    void failed(Throwable cause, Http2Error error) {
        LOG.debug("stream from {} failed: {}", remote(), String.valueOf(cause));
        boolean wasGone = gone;
        streamGone();
        if (!wasGone && ctx.channel().isActive()) {
            write(new DefaultHttp2ResetFrame(error));
            connection.flush();
        }
    }

    /** Event loop: the connection became writable; a streamed response below its low-water mark may go on. */
    void connectionWritable() {
        if (outlet != null) {
            outlet.connectionWritable();
        }
    }

    /** The stream was reset or closed: the body ends in error, and an unanswered handler is interrupted. */
    private void streamGone() {
        if (gone) {
            return;
        }
        gone = true;
        cancel(deadline);
        abortBody();
        if (!answered && handler != null) {
            handler.interrupt(); // settled when it returns
        }
        if (activeStream != null) {
            activeStream.wake(); // its writer sees the stream gone
        }
    }

    /** The request body's view of this stream; runs on the event loop. */
    private final class BodyStream implements Http2RequestBody.Stream {
        @Override
        public void consumed(int bytes) {
            consume(bytes);
        }

        @Override
        public void flush() {
            connection.flush();
        }

        @Override
        public void sendContinue() {
            if (!answered && !gone) {
                write(new DefaultHttp2HeadersFrame(
                        new DefaultHttp2Headers().status(HttpResponseStatus.CONTINUE.codeAsText())));
                connection.flush();
            }
        }

        @Override
        public void tooSlow(String why) {
            bodyTooSlow(why);
        }
    }
}
