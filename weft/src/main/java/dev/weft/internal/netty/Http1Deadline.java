package dev.weft.internal.netty;

import io.netty.util.concurrent.EventExecutor;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The one connection deadline an HTTP/1.x connection has at a time, by {@link Phase}: idle
 * between requests ({@code idleTimeout}), a head arriving ({@code requestHeadTimeout}, from the
 * first byte or from connecting), a body pausing ({@code bodyTimeout}, re-armed on every byte
 * unless the server holds the body back). Handlers' own {@code requestTimeout}s are separate.
 * An expiry is reported to the connection, which checks the phase is still the one it was for.
 * Confined to the connection's event loop.
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

    private final EventExecutor loop;
    private final ServerConfig config;
    private final Expiry expiry;
    private Phase phase = Phase.WAITING;
    private ScheduledFuture<?> timer;

    Http1Deadline(EventExecutor loop, ServerConfig config, Expiry expiry) {
        this.loop = loop;
        this.config = config;
        this.expiry = expiry;
    }

    Phase phase() {
        return phase;
    }

    /** The connection opened (or became HTTP/1.x): connecting and sending nothing is not free. */
    void connected() {
        arm(config.requestHeadTimeout(), expiry::head);
    }

    /** Raw bytes arrived; {@code unanswered}: requests are still pending, {@code held}: the server holds the body back. */
    void bytesArrived(boolean unanswered, boolean held) {
        if (phase == Phase.WAITING && !unanswered) {
            phase = Phase.READING_HEAD;
            arm(config.requestHeadTimeout(), expiry::head);
        } else if (phase == Phase.READING_BODY && !held) {
            arm(config.bodyTimeout(), expiry::body);
        }
    }

    /** A request's body starts to arrive. */
    void bodyStarted() {
        phase = Phase.READING_BODY;
        arm(config.bodyTimeout(), expiry::body);
    }

    /** The server holds the body back ({@code true}) or reads it again. */
    void bodyHeld(boolean held) {
        if (held) {
            cancel(); // the client is not at fault while we do not read
        } else if (phase == Phase.READING_BODY) {
            arm(config.bodyTimeout(), expiry::body);
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
        arm(config.idleTimeout(), expiry::idle);
    }

    /** No connection deadline runs (a head arrived, the connection closes or changes protocol). */
    void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private void arm(Duration timeout, Runnable onTimeout) {
        cancel();
        timer = loop.schedule(onTimeout, timeout.toNanos(), TimeUnit.NANOSECONDS);
    }
}
