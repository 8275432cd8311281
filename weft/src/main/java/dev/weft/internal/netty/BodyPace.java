package dev.weft.internal.netty;

import java.time.Duration;

/**
 * Whether one request body arrives fast enough: within {@code bodyDeadline} in all, and, once
 * {@code bodyRateGrace} has passed, at no less than {@code minBodyBytesPerSecond} on average since
 * its head. A body trickled a few bytes at a time never pauses long enough for {@code bodyTimeout},
 * so only a rate and a total bound stop it (slowloris on the body).
 *
 * <p>Time the server itself holds the client back (reading paused because the handler is behind)
 * is not the client's: it counts neither against the rate nor towards the deadline.
 *
 * <p>Pure arithmetic on {@link System#nanoTime()} values passed in, so it is tested without a
 * clock; the connection checks it every {@link #CHECK_INTERVAL} while the body arrives. Confined
 * to the connection's event loop.
 */
final class BodyPace {
    /** How often a connection checks the pace of a body still arriving. */
    static final Duration CHECK_INTERVAL = Duration.ofSeconds(1);

    enum Verdict {
        /** Fast enough so far. */
        OK,
        /** Slower than {@code minBodyBytesPerSecond} after the grace period. */
        TOO_SLOW,
        /** Still arriving after {@code bodyDeadline}. */
        TOO_LONG
    }

    private final long minBytesPerSecond;
    private final long graceNanos;
    private final long deadlineNanos;
    private final long start;
    private long bytes;
    private long pausedNanos;
    /** When the server paused reading, or -1 while it reads. */
    private long pausedSince = -1;

    private BodyPace(long minBytesPerSecond, long graceNanos, long deadlineNanos, long start) {
        this.minBytesPerSecond = minBytesPerSecond;
        this.graceNanos = graceNanos;
        this.deadlineNanos = deadlineNanos;
        this.start = start;
    }

    /** A body whose head arrived at {@code now}, held to the server's options. */
    static BodyPace start(ServerConfig config, long now) {
        return of(config.minBodyBytesPerSecond(), config.bodyRateGrace(), config.bodyDeadline(), now);
    }

    /** A body held to {@code minBytesPerSecond} (0: none) after {@code grace}, and {@code deadline} (zero: none). */
    static BodyPace of(long minBytesPerSecond, Duration grace, Duration deadline, long now) {
        return new BodyPace(minBytesPerSecond, grace.toNanos(), deadline.toNanos(), now);
    }

    /** Whether there is anything to check: a rate or a deadline is set. */
    boolean enabled() {
        return minBytesPerSecond > 0 || deadlineNanos > 0;
    }

    /** {@code count} more bytes of the body arrived. */
    void received(long count) {
        bytes += count;
    }

    /** The server stopped reading at {@code now}: the client is held back, not slow. */
    void pause(long now) {
        if (pausedSince < 0) {
            pausedSince = now;
        }
    }

    /** The server reads again. */
    void resume(long now) {
        if (pausedSince >= 0) {
            pausedNanos += now - pausedSince;
            pausedSince = -1;
        }
    }

    /** The verdict at {@code now}. */
    Verdict check(long now) {
        long active = now - start - pausedNanos - (pausedSince >= 0 ? now - pausedSince : 0);
        if (deadlineNanos > 0 && active > deadlineNanos) {
            return Verdict.TOO_LONG;
        }
        // In doubles: bytes × 1e9 overflows a long past 9 GB.
        if (minBytesPerSecond > 0 && active >= graceNanos && active > 0
                && bytes * 1e9 / active < minBytesPerSecond) {
            return Verdict.TOO_SLOW;
        }
        return Verdict.OK;
    }
}
