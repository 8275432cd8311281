package dev.weft.internal.netty;

import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.util.concurrent.EventExecutor;
import java.util.OptionalLong;

/**
 * The request body of one HTTP/2 stream while it arrives: DATA goes into the same back-pressured
 * {@link StreamingBody} as on HTTP/1.1, and the client's flow-control window is given back as it
 * arrives, except while the reader is behind: then the credit is held back until it catches up,
 * so the client's stream window runs out.
 *
 * <p>Three bounds stop a body that arrives too slowly, each answered by
 * {@link Stream#tooSlow}: a pause longer than {@code bodyTimeout}, an average rate below
 * {@code minBodyBytesPerSecond} once {@code bodyRateGrace} has passed, and {@code bodyDeadline}
 * for the whole body (the last two by {@link BodyPace}). Time the server holds the client back
 * (the reader behind, or {@code 100 Continue} not sent yet) counts for none of them. They are
 * checked by the connection's sweep ({@link #check}), not by a timer per DATA frame.
 *
 * <p>Confined to the connection's event loop, except the {@link StreamingBody.Connection}
 * callbacks, which the reader's virtual thread calls and which hop onto the loop.
 */
final class Http2RequestBody implements StreamingBody.Connection {

    /** What the body needs from its stream; called on the event loop. */
    interface Stream {
        /** Gives {@code bytes} back to the client's stream and connection windows (not flushed). */
        void consumed(int bytes);

        /** Flushes what the body wrote. */
        void flush();

        /** Sends {@code 100 Continue}, unless the stream was answered or is gone. */
        void sendContinue();

        /** The body arrived too slowly ({@code why}); it no longer receives. */
        void tooSlow(String why);
    }

    private final StreamingBody body;
    private final Stream stream;
    private final EventExecutor loop;
    private final long pauseLimitNanos;
    /** Null for a body that was complete with its head (nothing to pace). */
    private final BodyPace pace;
    /** DATA goes into {@link #body}; false once the body ended, was aborted or answered. */
    private boolean receiving;
    /** The reader is behind: window credit is held back. */
    private boolean held;
    /** {@code 100 Continue} is expected and not sent yet: the client waits for the server. */
    private boolean awaitingContinue;
    /** Bytes of DATA received while {@link #held}, given back to the client's window on resume. */
    private int unconsumed;
    /** When DATA last arrived or the server last let the client go on. */
    private long lastProgress;

    /**
     * A body that arrives after a head seen at {@code now}; already complete if {@code ended}.
     * {@code expectContinue}: the client waits for {@code 100 Continue} before it sends.
     */
    Http2RequestBody(OptionalLong declaredLength, ServerConfig config, EventExecutor loop, Stream stream,
            boolean expectContinue, boolean ended, long now) {
        this.body = new StreamingBody(declaredLength, this);
        this.stream = stream;
        this.loop = loop;
        this.pauseLimitNanos = config.bodyTimeout().toNanos();
        this.lastProgress = now;
        if (ended) {
            this.pace = null;
            body.finish();
        } else {
            this.pace = BodyPace.start(config, now);
            receiving = true;
            awaitingContinue = expectContinue;
            if (expectContinue) {
                pace.pause(now);
            }
        }
    }

    /** What the handler reads. */
    StreamingBody body() {
        return body;
    }

    /** Whether DATA is still expected (and checked by {@link #check}). */
    boolean receiving() {
        return receiving;
    }

    /** A DATA frame on the stream; the caller releases it and ends the body on END_STREAM. */
    void data(Http2DataFrame frame) {
        int bytes = frame.initialFlowControlledBytes();
        if (receiving) {
            long now = System.nanoTime();
            lastProgress = now;
            pace.received(frame.content().readableBytes());
            if (body.offer(frame.content())) {
                if (!held) {
                    held = true;
                    pace.pause(now);
                }
            }
        }
        if (held) {
            unconsumed += bytes;
        } else {
            stream.consumed(bytes);
        }
    }

    /** The client ended the stream: the body is complete. */
    void end() {
        if (receiving) {
            receiving = false;
            body.finish();
        }
    }

    /** The stream was answered or is gone before the body ended: the reader sees it cut off. */
    void abort() {
        if (receiving) {
            receiving = false;
            body.abort();
        }
    }

    /**
     * Event loop, from the connection's sweep: stops the body if it is too slow at {@code now}.
     * Returns whether it still receives (and needs checking again).
     */
    boolean check(long now) {
        if (!receiving) {
            return false;
        }
        String why = null;
        if (!held && !awaitingContinue && now - lastProgress > pauseLimitNanos) {
            why = "no request body data arrived for " + pauseLimitNanos / 1_000_000 + " ms";
        } else {
            switch (pace.check(now)) {
                case TOO_SLOW -> why = "the request body arrives more slowly than the server accepts";
                case TOO_LONG -> why = "the request body takes longer than the server accepts";
                case OK -> { }
            }
        }
        if (why == null) {
            return true;
        }
        abort();
        stream.tooSlow(why);
        return false;
    }

    @Override
    public void continueIfExpected() {
        loop.execute(() -> {
            if (awaitingContinue && receiving) {
                awaitingContinue = false;
                resumed(System.nanoTime());
                stream.sendContinue();
            }
        });
    }

    @Override
    public void resumeReading() {
        loop.execute(() -> {
            if (held) {
                held = false;
                resumed(System.nanoTime());
            }
            if (unconsumed > 0) {
                stream.consumed(unconsumed);
                unconsumed = 0;
                stream.flush();
            }
        });
    }

    /** The server lets the client go on at {@code now}: the clocks run again from here. */
    private void resumed(long now) {
        lastProgress = now;
        if (!held && !awaitingContinue && pace != null) {
            pace.resume(now);
        }
    }
}
