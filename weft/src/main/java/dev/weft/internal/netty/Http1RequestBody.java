package dev.weft.internal.netty;

import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.EventExecutor;
import java.util.OptionalLong;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The request body of one HTTP/1.x request while it arrives: content goes into the back-pressured
 * {@link StreamingBody} its handler reads, and the connection stops reading the socket while the
 * reader is behind. Its pace is checked every {@link BodyPace#CHECK_INTERVAL}: below
 * {@code minBodyBytesPerSecond} after {@code bodyRateGrace}, or past {@code bodyDeadline}, it is
 * cut off ({@link Connection#tooSlow}). Time the server holds the client back (the reader
 * behind, {@code 100 Continue} not sent yet) does not count. (A pause past {@code bodyTimeout} is
 * the connection's own deadline, re-armed on every byte.)
 *
 * <p>Confined to the connection's event loop, except the {@link StreamingBody.Connection}
 * callbacks, which the reader's virtual thread calls and which hop onto the loop.
 */
final class Http1RequestBody implements StreamingBody.Connection {

    /** What the body needs from its connection; called on the event loop. */
    interface Connection {
        /** Sends {@code 100 Continue} if nothing is due before it on the wire; returns whether it did. */
        boolean continueNow(Http1RequestBody body);

        /** The reader fell behind ({@code true}: stop reading the socket) or caught up. */
        void paused(boolean paused);

        /** The body arrives too slowly ({@code detail} says how); the connection answers 408. */
        void tooSlow(Http1RequestBody body, String detail);
    }

    private final StreamingBody body;
    private final Connection connection;
    private final EventExecutor loop;
    private final ServerConfig config;
    private final BodyPace pace;
    private ScheduledFuture<?> paceCheck;
    private PipelinedRequest owner;
    /** Content still goes into {@link #body}: false once it ended or was aborted. */
    private boolean arriving;

    /**
     * A body that follows a head seen at {@code now}. (A request without a body gets an empty
     * in-memory one instead: nothing arrives, so nothing is paced or held back.)
     */
    Http1RequestBody(OptionalLong declared, ServerConfig config, EventExecutor loop, Connection connection,
            boolean expectContinue, long now) {
        this.body = new StreamingBody(declared, this);
        this.connection = connection;
        this.loop = loop;
        this.config = config;
        this.arriving = true;
        this.pace = BodyPace.start(config, now);
        if (expectContinue) {
            pace.pause(now); // the client waits for 100 Continue: its time is not counted until then
        }
        if (pace.enabled()) {
            long every = BodyPace.CHECK_INTERVAL.toNanos();
            paceCheck = loop.scheduleAtFixedRate(this::checkPace, every, every, TimeUnit.NANOSECONDS);
        }
    }

    /** What the handler reads. */
    StreamingBody body() {
        return body;
    }

    /** The request this body belongs to (set once it exists). */
    void owner(PipelinedRequest request) {
        owner = request;
    }

    PipelinedRequest owner() {
        return owner;
    }

    /** Whether content is still expected. */
    boolean arriving() {
        return arriving;
    }

    /** The next piece of the body; the caller releases it. */
    void content(ByteBuf data) {
        pace.received(data.readableBytes());
        if (body.offer(data)) {
            // The reader is behind; the client is not at fault while we do not read.
            pace.pause(System.nanoTime());
            connection.paused(true);
        }
    }

    /** The body is complete. */
    void finish() {
        stop();
        body.finish();
    }

    /** The body will not be complete: its reader sees it cut off. */
    void abort() {
        stop();
        body.abort();
    }

    private void stop() {
        arriving = false;
        if (paceCheck != null) {
            paceCheck.cancel(false);
            paceCheck = null;
        }
    }

    private void checkPace() {
        if (!arriving) {
            return;
        }
        switch (pace.check(System.nanoTime())) {
            case OK -> { }
            case TOO_SLOW -> connection.tooSlow(this, "the request body arrived slower than "
                    + config.minBodyBytesPerSecond() + " bytes per second");
            case TOO_LONG -> connection.tooSlow(this, "the request body took longer than "
                    + config.bodyDeadline().toMillis() + " ms");
        }
    }

    @Override
    public void continueIfExpected() {
        loop.execute(() -> {
            if (arriving && owner != null && owner.expectContinue && !owner.continued && connection.continueNow(this)) {
                owner.continued = true;
                pace.resume(System.nanoTime());
            }
        });
    }

    @Override
    public void resumeReading() {
        loop.execute(() -> {
            if (pace != null) {
                pace.resume(System.nanoTime());
            }
            connection.paused(false);
        });
    }
}
