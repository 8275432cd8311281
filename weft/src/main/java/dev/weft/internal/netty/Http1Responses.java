package dev.weft.internal.netty;

import dev.weft.extract.Rejection;
import dev.weft.internal.http.Exchange;
import dev.weft.response.Response;
import dev.weft.response.Status;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslHandler;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;

/**
 * The writing side of an HTTP/1.x connection: the requests it has started, in order, and their
 * responses, each written once every earlier one is (RFC 9112 §9.3.2). A handler's complete
 * response waits in its {@link PipelinedRequest}; a streamed one waits for its turn, then its
 * virtual thread writes it through a {@link ResponseStream}. Decides per response whether the
 * connection stays open. The reading side ({@link Http1Handler}) starts requests and is told
 * when the connection must stop or may read on.
 *
 * <p>Confined to the connection's event loop, except {@link #respond} and {@link #stream}, which
 * run on the request's virtual thread and hop onto the loop.
 */
final class Http1Responses {

    /** What the writing side needs from the reading side; called on the event loop. */
    interface Connection {
        /** Whether {@code p}'s body is still arriving. */
        boolean bodyArriving(PipelinedRequest p);

        /** Stops receiving {@code p}'s body if it is still arriving; returns whether it did. */
        boolean abandonBody(PipelinedRequest p);

        /** Whether no further request will be read: none is queued, and the client or the server is done. */
        boolean noMoreRequests();

        /** Whether the connection reads no more requests. */
        boolean closing();

        /** The connection reads no more requests and answers none still pending. */
        void stop();

        /** Closes after the last write without losing it (a lingering close). */
        void lingerThenClose();

        /** Responses were written and the connection goes on; {@code allAnswered} if none is pending. */
        void wrote(boolean allAnswered);

        /** Inside a batch of reads: a flush waits for its end. */
        boolean inReadBatch();

        /** Whether nothing was read after {@code p}, so the connection may switch protocols after its answer. */
        boolean mayUpgradeAfter(PipelinedRequest p);

        /** The {@code 101} for {@code p} is written: the connection speaks WebSocket from here on. */
        void upgrade(PipelinedRequest p, WebSocketPipeline webSocket);
    }

    private final ChannelHandlerContext ctx;
    /** The context in front of the codec: complete responses are written from there as bytes. */
    private final ChannelHandlerContext wire;
    private final Http1Codec codec;
    private final ServerState server;
    private final Connection connection;
    private final ArrayDeque<PipelinedRequest> pending = new ArrayDeque<>();
    /** The streamed response being written, woken when writability changes. */
    private ResponseStream activeStream;
    private boolean flushNeeded;

    /**
     * @param wire the context of a handler in front of {@code codec}
     * @param codec the connection's codec, told of each complete response written past it
     */
    Http1Responses(ChannelHandlerContext ctx, ChannelHandlerContext wire, Http1Codec codec, ServerState server,
            Connection connection) {
        this.ctx = ctx;
        this.wire = wire;
        this.codec = codec;
        this.server = server;
        this.connection = connection;
    }

    /** Puts {@code p} last in the order. */
    void add(PipelinedRequest p) {
        pending.add(p);
    }

    boolean isEmpty() {
        return pending.isEmpty();
    }

    int size() {
        return pending.size();
    }

    /** The request whose response is next on the wire, or null. */
    PipelinedRequest next() {
        return pending.peek();
    }

    /** The connection will answer none of the requests still pending; their handlers finish unheard. */
    void dropAll() {
        for (PipelinedRequest p : pending) {
            p.drop();
        }
        pending.clear();
    }

    /**
     * The client ended its input and is taken to have left: the handlers still running are
     * interrupted, except {@code reading}'s (its body was cut off, and its read fails instead).
     */
    void clientLeft(PipelinedRequest reading) {
        for (PipelinedRequest p : pending) {
            if (p != reading) {
                p.clientLeft();
            }
        }
    }

    /** The batch of reads ended: flushes what was written during it. */
    void readBatchEnded() {
        if (flushNeeded) {
            flushNeeded = false;
            ctx.flush();
        }
    }

    /** Writability changed or the connection closed: the streamed response's writer looks again. */
    void wake() {
        if (activeStream != null) {
            activeStream.wake();
        }
    }

    /** Virtual thread: runs the router, then hands the response to the event loop. */
    void respond(PipelinedRequest p) {
        Exchange.Finished finished;
        try {
            finished = Exchange.run(server.router(), p.request);
        } catch (Throwable fatal) {
            // Even a fatal error must release the connection: without a response it is closed.
            onEventLoop(() -> {
                p.settle();
                ctx.close();
            }, p::settle);
            throw fatal;
        }
        if (finished.streams()) {
            stream(p, finished);
            return;
        }
        onEventLoop(() -> ready(p, finished), p::settle);
    }

    /**
     * Virtual thread: writes a streamed response once every earlier response is written. The
     * thread blocks while the client does not read (see {@link ResponseStream}).
     */
    void stream(PipelinedRequest p, Exchange.Finished finished) {
        CompletableFuture<ResponseStream> turn = new CompletableFuture<>();
        if (!onEventLoop(() -> streamReady(p, finished, turn), p::settle)) {
            finished.stream().writer().discard();
            p.request.complete(finished.status().code(), 0, true);
            return;
        }
        ResponseStream out = turn.join();
        if (out == null) {
            finished.stream().writer().discard();
            // Not completed here: drop() did if the connection gave up on it, and the answer
            // written instead (the deadline's 503, a 408) does when it is out.
            onEventLoop(() -> streamDone(p, null, null, null), p::settle);
            return;
        }
        ResponseStream.Outcome outcome;
        try {
            outcome = out.writeAll(finished.stream(), p.request);
        } catch (Error fatal) {
            p.request.complete(finished.status().code(), out.written(), true);
            onEventLoop(() -> streamDone(p, out, null, null), p::settle);
            throw fatal;
        }
        completeAfter(p, finished, out, outcome);
        onEventLoop(() -> streamDone(p, out, outcome.last(), outcome.instead()), p::settle);
    }

    /**
     * Ends {@code p}'s exchange for its listeners once the streamed body is out: when its last
     * write completes, or now if it was cut off. A body that failed before a byte was sent is
     * answered instead, and that answer completes the exchange when it is written.
     */
    private static void completeAfter(PipelinedRequest p, Exchange.Finished finished, ResponseStream out,
            ResponseStream.Outcome outcome) {
        int status = finished.status().code();
        if (outcome.last() != null) {
            long bytes = out.written();
            outcome.last().addListener(f -> p.request.complete(status, bytes, !f.isSuccess()));
        } else if (outcome.instead() == null) {
            p.request.complete(status, out.written(), true);
        }
    }

    /**
     * Runs {@code task} on the connection's event loop; if the event loops are already shut down
     * (after the shutdown deadline) runs {@code stopped} here instead and returns false.
     */
    private boolean onEventLoop(Runnable task, Runnable stopped) {
        try {
            ctx.executor().execute(task);
            return true;
        } catch (RejectedExecutionException e) {
            stopped.run();
            return false;
        }
    }

    /** Event loop: the handler of {@code p} returned a streamed response. */
    private void streamReady(PipelinedRequest p, Exchange.Finished finished, CompletableFuture<ResponseStream> turn) {
        if (!p.awaitsHandler()) {
            turn.complete(null); // the connection is gone, or the deadline answered already
            return;
        }
        if (p.deadline != null) {
            // The deadline covers the handler; a long download is bounded by the write-stall timeout.
            p.deadline.cancel(false);
        }
        p.awaitTurn(finished, turn);
        advance();
    }

    /** Event loop: {@code p} is next on the wire; its thread may write. */
    private void startStream(PipelinedRequest p) {
        Exchange.Finished finished = p.startStreaming();
        // The writer may still read the request body while it writes (a streaming transform), so
        // the body is not cut off here; but then the connection cannot be trusted to be in step
        // afterwards, and closes after this response.
        boolean bodyArriving = connection.bodyArriving(p);
        boolean known = finished.contentLength() != null;
        // Without a length or chunked encoding, only closing the connection can end an HTTP/1.0 body.
        boolean keep = keepAlive(p, bodyArriving, pending.size() > 1, closeRequested(finished.own()))
                && (known || !p.version.equals(HttpVersion.HTTP_1_0));
        p.keepAfterStream = keep;
        ResponseStream out = new ResponseStream(ctx, server, ResponseStream.Outlet.of(ctx),
                new Http1ResponseHead.Framing(finished, p.version, keep), known ? finished.stream().length() : -1,
                finished.stream().codec(), server.config().writeTimeout());
        if (ctx.pipeline().get(SslHandler.class) == null) {
            out.allowFileRegions(); // cleartext: after the encoder, bytes go to the socket as they are
        }
        activeStream = out;
        p.giveTurn(out);
    }

    /**
     * Event loop: the thread of {@code p} is done writing. {@code last} is the final write if the
     * body was complete; {@code instead} a full response if it failed before anything was sent.
     */
    private void streamDone(PipelinedRequest p, ResponseStream out, ChannelFuture last, Exchange.Finished instead) {
        if (activeStream == out) {
            activeStream = null;
        }
        if (out == null || pending.peek() != p || p.stage() != PipelinedRequest.Stage.STREAMING) {
            // It never had its turn or lost it: the connection dropped it, or its deadline answered instead.
            if (p.stage() == PipelinedRequest.Stage.DROPPED) {
                p.settle();
            }
            return;
        }
        if (instead != null) {
            p.answerInsteadOfStream(instead);
            advance();
            return;
        }
        pending.poll();
        p.streamed();
        p.settle();
        if (last == null || !p.keepAfterStream) {
            connection.stop();
            if (last == null) {
                ctx.close(); // cut off: the client must not take a partial body for a whole one
            } else {
                last.addListener(f -> {
                    if (f.isSuccess()) {
                        connection.lingerThenClose();
                    } else {
                        ctx.close();
                    }
                });
            }
            return;
        }
        advance();
    }

    /** Event loop: the handler of {@code p} overran the request deadline. */
    void requestTimedOut(PipelinedRequest p) {
        if (!p.awaitsHandler()) {
            return;
        }
        Response late = HandlerStart.overran(server.config(), p.request.method(), p.request.path(), p.handler);
        p.closeAfter = true; // the handler may still be reading the body
        ready(p, Exchange.finish(late, p.request.method(), null));
    }

    /** Event loop: {@code p} has its response; writes every response that is now next in order. */
    void ready(PipelinedRequest p, Exchange.Finished response) {
        if (!p.awaitsHandler()) {
            // Dropped with its connection, or already answered by its deadline.
            if (p.stage() == PipelinedRequest.Stage.DROPPED) {
                p.settle();
            }
            return;
        }
        p.answer(response);
        advance();
    }

    /** Event loop: writes every response that is next in order; gives a streamed one its turn. */
    private void advance() {
        boolean wrote = false;
        while (!pending.isEmpty() && ctx.channel().isActive()) {
            PipelinedRequest next = pending.peek();
            if (next.stage() == PipelinedRequest.Stage.READY) {
                pending.poll();
                if (next.failedForLeaving()) {
                    endUnanswered(next);
                    break;
                }
                wrote = true;
                if (!writeOne(next)) {
                    connection.stop();
                    break;
                }
            } else {
                if (next.stage() == PipelinedRequest.Stage.STREAM_WAITING) {
                    startStream(next);
                }
                break;
            }
        }
        if (wrote && !connection.inReadBatch()) {
            ctx.flush();
        } else if (wrote) {
            flushNeeded = true; // inside a read batch: one flush at channelReadComplete
        }
        if (!connection.closing()) {
            connection.wrote(pending.isEmpty());
        }
    }

    /**
     * The handler of {@code p} failed because its client left: that failure is nobody's answer.
     * The answers before it are out; none after it can follow, so the connection ends once they
     * are flushed.
     */
    private void endUnanswered(PipelinedRequest p) {
        p.takeResponse();
        p.request.complete(0, 0, true);
        p.settle();
        connection.stop();
        wire.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }

    /** Writes {@code p}'s response (not flushed); returns whether the connection stays open. */
    private boolean writeOne(PipelinedRequest p) {
        if (p.deadline != null) {
            p.deadline.cancel(false);
        }
        Exchange.Finished response = p.takeResponse();
        if (response.upgrades()) {
            if (!server.draining() && pending.isEmpty() && connection.mayUpgradeAfter(p)) {
                switchProtocols(p, response);
                return false;
            }
            response = refuseUpgrade(p);
        }
        boolean bodyUnread = connection.abandonBody(p);
        boolean keep = keepAlive(p, bodyUnread, !pending.isEmpty(), closeRequested(response.own()));
        String connectionValue = !keep ? "close" : p.version.equals(HttpVersion.HTTP_1_0) ? "keep-alive" : null;
        ByteBuf bytes = Http1ResponseHead.encode(ctx.alloc(), response, p.version, connectionValue, codec.answeredHead());
        if (p.request != null) {
            p.request.headSent();
        }
        int status = response.status().code();
        long bodyBytes = response.body().length;
        // Complete responses pass the encoder (which writes only messages, and streamed heads).
        wire.write(bytes).addListener((ChannelFutureListener) future -> {
            if (p.request != null) {
                p.request.complete(status, bodyBytes, !future.isSuccess());
            }
            p.settle();
            if (!future.isSuccess()) {
                ctx.close();
            } else if (!keep) {
                connection.lingerThenClose();
            }
        });
        return keep;
    }

    /**
     * Writes the {@code 101} that accepts a WebSocket handshake and hands the connection over to
     * the WebSocket handlers; HTTP ends on it.
     */
    private void switchProtocols(PipelinedRequest p, Exchange.Finished response) {
        WebSocketPipeline webSocket = WebSocketPipeline.negotiate(response.upgrade());
        ByteBuf bytes = Http1ResponseHead.encode(ctx.alloc(), webSocket.head(response), p.version, "upgrade",
                codec.answeredHead());
        p.request.headSent();
        wire.writeAndFlush(bytes).addListener((ChannelFutureListener) future -> {
            p.request.complete(101, 0, !future.isSuccess());
            p.settle(); // the session is not a request in flight: shutdown tracks it on its own
            if (!future.isSuccess()) {
                ctx.close();
            }
        });
        connection.upgrade(p, webSocket);
    }

    /**
     * The answer instead of a {@code 101}: 503 once shutdown has started; 400 when the client sent
     * more after its handshake without waiting for the answer (RFC 6455 §4.1 says it must wait):
     * those bytes were read as HTTP and cannot be WebSocket frames any more.
     */
    private Exchange.Finished refuseUpgrade(PipelinedRequest p) {
        p.closeAfter = true;
        Rejection refusal = server.draining()
                ? new Rejection.WebSocketRefused(Status.SERVICE_UNAVAILABLE, "the server is shutting down")
                : new Rejection.WebSocketRefused(Status.BAD_REQUEST,
                        "the client sent data after its WebSocket handshake before the answer");
        return Exchange.finish(refusal.toResponse(), p.request.method(), null);
    }

    /**
     * Whether the connection stays open after the response to {@code p}. At shutdown, or after
     * the client half-closed, requests already received are still answered; the last one says
     * {@code connection: close}.
     *
     * @param laterStarted whether requests after {@code p} were started on this connection
     */
    private boolean keepAlive(PipelinedRequest p, boolean bodyUnread, boolean laterStarted, boolean handlerCloses) {
        boolean last = !laterStarted && connection.noMoreRequests();
        return p.keepAlive && !p.closeAfter && !bodyUnread && !handlerCloses && !last;
    }

    private static boolean closeRequested(dev.weft.http.Headers headers) {
        for (String value : headers.all("connection")) {
            if (value.trim().equalsIgnoreCase("close")) {
                return true;
            }
        }
        return false;
    }
}
