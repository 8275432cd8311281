package dev.weft.internal.netty;

import dev.weft.internal.http.Exchange;
import dev.weft.internal.http.ServerRequest;
import io.netty.handler.codec.http.HttpVersion;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;

/**
 * One request on an HTTP/1.x connection, from its head until its response is written or dropped.
 * Responses leave in request order, so each waits for every earlier one; its {@link Stage} says
 * where it is, and every change of stage is checked. Confined to the connection's event loop.
 */
final class PipelinedRequest {
    /** Where the request is; the arrows are the only transitions. */
    enum Stage {
        /** Its handler runs; nothing to write yet. → READY, STREAM_WAITING, DROPPED */
        HANDLING,
        /** A complete response waits for every earlier one. → WRITTEN, DROPPED */
        READY,
        /** Its handler returned a streamed response, which waits for its turn. → STREAMING, HANDLING (cancelled), DROPPED */
        STREAM_WAITING,
        /** Its thread writes the streamed response now. → WRITTEN, READY (failed before a byte was sent), DROPPED */
        STREAMING,
        /** Its response is on the wire. */
        WRITTEN,
        /** The connection gave up on it; whatever its handler returns is dropped. */
        DROPPED
    }

    final ServerRequest request;
    final boolean keepAlive;
    final HttpVersion version;
    final boolean expectContinue;
    /** Takes the request out of the server's in-flight count. */
    private final Runnable finished;
    private Stage stage = Stage.HANDLING;
    private Exchange.Finished response;
    private Exchange.Finished stream;
    /** Completed when the streamed response may be written (with {@code null}: it never will). */
    private CompletableFuture<ResponseStream> turn;
    /** Whether the connection stays open after the streamed response. */
    boolean keepAfterStream;
    /** Close the connection after this response (refusals, deadlines). */
    boolean closeAfter;
    /** {@code 100 Continue} was sent. */
    boolean continued;
    ScheduledFuture<?> deadline;
    /** The virtual thread running its handler; null while none runs (inline routes, refusals). */
    Thread handler;
    /** The client ended its input while the handler ran, and the handler was interrupted for it. */
    private boolean clientLeft;
    private boolean settled;

    /** @param finished called once when the request leaves the server's in-flight count */
    PipelinedRequest(Runnable finished, ServerRequest request, boolean keepAlive, HttpVersion version,
            boolean expectContinue) {
        this.finished = finished;
        this.request = request;
        this.keepAlive = keepAlive;
        this.version = version;
        this.expectContinue = expectContinue;
    }

    /**
     * A place in the order for a refusal of a head that never became a request: not counted as
     * in flight, and the connection closes after it.
     */
    static PipelinedRequest refusal() {
        PipelinedRequest refusal = new PipelinedRequest(() -> { }, null, false, HttpVersion.HTTP_1_1, false);
        refusal.closeAfter = true;
        refusal.settled = true;
        return refusal;
    }

    Stage stage() {
        return stage;
    }

    /**
     * The client ended its input: if its handler still runs, it is interrupted, since nobody may
     * hear its answer (see {@code Server.Builder.halfClose}).
     */
    void clientLeft() {
        if (stage == Stage.HANDLING && handler != null) {
            clientLeft = true;
            handler.interrupt();
        }
    }

    /**
     * Whether its ready response is the failure of a handler interrupted because its client left
     * (a 5xx): not the server's answer to the request, so it is not written.
     */
    boolean failedForLeaving() {
        return clientLeft && stage == Stage.READY && response.status().code() >= 500;
    }

    /** Whether its handler may still hand over a response: nothing has answered it yet. */
    boolean awaitsHandler() {
        return stage == Stage.HANDLING;
    }

    /** A complete response is ready: HANDLING → READY. */
    void answer(Exchange.Finished complete) {
        to(Stage.READY, Stage.HANDLING);
        response = complete;
    }

    /** Its handler returned a streamed response: HANDLING → STREAM_WAITING. */
    void awaitTurn(Exchange.Finished streamed, CompletableFuture<ResponseStream> whenWritable) {
        to(Stage.STREAM_WAITING, Stage.HANDLING);
        stream = streamed;
        turn = whenWritable;
    }

    /** The streamed response will not be written (something answers instead): STREAM_WAITING → HANDLING. */
    void cancelStream() {
        to(Stage.HANDLING, Stage.STREAM_WAITING);
        turn.complete(null); // its thread discards the streamed body
        stream = null;
        turn = null;
    }

    /** It is next on the wire: STREAM_WAITING → STREAMING. Returns the streamed response. */
    Exchange.Finished startStreaming() {
        to(Stage.STREAMING, Stage.STREAM_WAITING);
        return stream;
    }

    /** Lets its thread write to {@code out}. */
    void giveTurn(ResponseStream out) {
        if (stage != Stage.STREAMING) {
            throw new IllegalStateException("a turn for a request in stage " + stage);
        }
        turn.complete(out);
    }

    /** The streamed response failed before a byte was sent; {@code instead} answers: STREAMING → READY. */
    void answerInsteadOfStream(Exchange.Finished instead) {
        to(Stage.READY, Stage.STREAMING);
        stream = null;
        response = instead;
        closeAfter = true;
    }

    /** Takes the ready response to write it: READY → WRITTEN. */
    Exchange.Finished takeResponse() {
        to(Stage.WRITTEN, Stage.READY);
        Exchange.Finished out = response;
        response = null;
        return out;
    }

    /** The streamed response is written: STREAMING → WRITTEN. */
    void streamed() {
        to(Stage.WRITTEN, Stage.STREAMING);
        stream = null;
    }

    /**
     * The connection gives up on it: any stage but WRITTEN → DROPPED. Forgets a ready response;
     * a streaming one's thread writes on until it notices the close, then settles. A handler
     * still running is interrupted: nobody will hear its answer, so its work (a transaction) is
     * abandoned rather than finished.
     */
    void drop() {
        if (deadline != null) {
            deadline.cancel(false);
        }
        if (stage == Stage.WRITTEN || stage == Stage.DROPPED) {
            return;
        }
        Stage was = stage;
        stage = Stage.DROPPED;
        if (was == Stage.HANDLING && handler != null) {
            handler.interrupt(); // settled when it returns
        }
        if (request != null && was != Stage.STREAMING) {
            // Nothing of it will be written (a streaming one's thread completes it when it stops).
            request.complete(was == Stage.READY ? response.status().code() : 0, 0, true);
        }
        if (was == Stage.READY) {
            response = null;
            settle();
        } else if (was == Stage.STREAM_WAITING) {
            turn.complete(null); // its thread discards the body and settles
        }
    }

    /** Takes this request out of the server's in-flight count, exactly once. */
    void settle() {
        if (!settled) {
            settled = true;
            finished.run();
        }
    }

    private void to(Stage next, Stage from) {
        if (stage != from) {
            throw new IllegalStateException((request == null ? "a refusal" : request.method() + " " + request.path())
                    + ": " + stage + " → " + next);
        }
        stage = next;
    }
}
