package dev.weft.internal.netty;

import io.netty.util.concurrent.EventExecutor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The one connection deadline an HTTP/1.x connection has at a time, by {@link Phase}: idle
 * between requests ({@code idleTimeout}), a head arriving ({@code requestHeadTimeout}, from the
 * first byte or from connecting), a body pausing ({@code bodyTimeout}, re-armed on every byte
 * unless the server holds the body back). Handlers' own {@code requestTimeout}s are separate.
 * An expiry is reported to the connection, which checks the phase is still the one it was for.
 * Confined to the connection's event loop.
 *
 * <p>The timer is lazy: arming or cancelling a deadline writes two fields, and the one scheduled
 * task per connection is moved only when a deadline comes earlier than it. When the task runs
 * and the deadline has moved later, it re-schedules itself for the rest. A keep-alive request
 * arms and cancels three deadlines (head, handling, idle), and a body re-arms one on every read;
 * scheduling and cancelling a task for each cost more than the request's routing.
 */
final class Http1Deadline {
    /** Which deadline applies to the connection now. */
    enum Phase {
        /** Between requests (or before the first): the idle or head deadline runs. */
        WAITING,
        /** Bytes of a request head have arrived: the head deadline runs. */
        READING_HEAD,
        /** A body is arriving: the body inactivity deadline runs, re-armed on every byte. */
        READING_BODY,
        /** Handlers run; only their optional request deadlines apply. */
        HANDLING
    }

    /** What happens when a deadline passes; each is called on the event loop. */
    interface Expiry {
        void idle();

        void head();

        void body();
    }

    /** Which expiry an armed deadline reports. */
    private enum Kind {
        IDLE,
        HEAD,
        BODY
    }

    private final EventExecutor loop;
    private final Expiry expiry;
    private final long idleNanos;
    private final long headNanos;
    private final long bodyNanos;
    private final Runnable fire = this::fire;
    private Phase phase = Phase.WAITING;
    /** The deadline that runs ({@code System.nanoTime()} based), if {@link #kind} is not null. */
    private long deadline;
    private Kind kind;
    /** The scheduled task, or null, and when it runs. */
    private ScheduledFuture<?> timer;
    private long timerAt;

    Http1Deadline(EventExecutor loop, ServerConfig config, Expiry expiry) {
        this.loop = loop;
        this.expiry = expiry;
        this.idleNanos = config.idleTimeout().toNanos();
        this.headNanos = config.requestHeadTimeout().toNanos();
        this.bodyNanos = config.bodyTimeout().toNanos();
    }

    Phase phase() {
        return phase;
    }

    /** The connection opened (or became HTTP/1.x): connecting and sending nothing is not free. */
    void connected() {
        arm(headNanos, Kind.HEAD);
    }

    /** Raw bytes arrived; {@code unanswered}: requests are still pending, {@code held}: the server holds the body back. */
    void bytesArrived(boolean unanswered, boolean held) {
        if (phase == Phase.WAITING && !unanswered) {
            phase = Phase.READING_HEAD;
            arm(headNanos, Kind.HEAD);
        } else if (phase == Phase.READING_BODY && !held) {
            arm(bodyNanos, Kind.BODY);
        }
    }

    /** A request's body starts to arrive. */
    void bodyStarted() {
        phase = Phase.READING_BODY;
        arm(bodyNanos, Kind.BODY);
    }

    /** The server holds the body back ({@code true}) or reads it again. */
    void bodyHeld(boolean held) {
        if (held) {
            cancel(); // the client is not at fault while we do not read
        } else if (phase == Phase.READING_BODY) {
            arm(bodyNanos, Kind.BODY);
        }
    }

    /** Nothing arrives that the connection waits for: only handlers run. */
    void handling() {
        phase = Phase.HANDLING;
        cancel();
    }

    /** The body ended; if it was the one awaited, only handlers run. */
    void bodyEnded() {
        if (phase == Phase.READING_BODY) {
            handling();
        }
    }

    /** Every request is answered and the connection goes on: the idle deadline runs. */
    void waiting() {
        phase = Phase.WAITING;
        arm(idleNanos, Kind.IDLE);
    }

    /** No connection deadline runs (a head arrived, the connection closes). */
    void cancel() {
        kind = null;
    }

    /** No deadline runs again, and no task stays scheduled: the connection closed or changed protocol. */
    void stop() {
        kind = null;
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private void arm(long timeoutNanos, Kind what) {
        long now = System.nanoTime();
        deadline = now + timeoutNanos;
        kind = what;
        if (timer == null || timerAt - deadline > 0) {
            if (timer != null) {
                timer.cancel(false);
            }
            schedule(now);
        }
    }

    private void schedule(long now) {
        timerAt = deadline;
        timer = loop.schedule(fire, deadline - now, TimeUnit.NANOSECONDS);
    }

    private void fire() {
        timer = null;
        if (kind == null) {
            return;
        }
        long now = System.nanoTime();
        if (deadline - now > 0) {
            schedule(now); // re-armed later since the task was scheduled
            return;
        }
        Kind expired = kind;
        kind = null;
        switch (expired) {
            case IDLE -> expiry.idle();
            case HEAD -> expiry.head();
            case BODY -> expiry.body();
        }
    }
}
