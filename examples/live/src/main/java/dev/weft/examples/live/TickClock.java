package dev.weft.examples.live;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;

/**
 * When the ticker's ticks are due. Tick {@code n} is due {@code n} periods after the epoch, so a
 * tick's number is also its event id: every server instance and every reconnecting client agree
 * on it. Tests pass a clock they advance by hand instead of waiting for real seconds.
 */
public interface TickClock {

    /** The number of the latest tick that is due. */
    long current();

    /** Blocks until tick {@code n} is due (returns at once if it is). */
    void awaitTick(long n) throws InterruptedException;

    /** When tick {@code n} is (or was) due. */
    Instant timeOf(long n);

    /** Real time: one tick every {@code period}. */
    static TickClock every(Duration period) {
        return every(period, InstantSource.system());
    }

    /** One tick every {@code period} of {@code time}. */
    static TickClock every(Duration period, InstantSource time) {
        Objects.requireNonNull(time, "time");
        long millis = period.toMillis();
        if (millis <= 0) {
            throw new IllegalArgumentException("the tick period must be at least 1 ms, got " + period);
        }
        return new TickClock() {
            @Override
            public long current() {
                return time.millis() / millis;
            }

            @Override
            public void awaitTick(long n) throws InterruptedException {
                for (long wait = n * millis - time.millis(); wait > 0; wait = n * millis - time.millis()) {
                    Thread.sleep(wait);
                }
            }

            @Override
            public Instant timeOf(long n) {
                return Instant.ofEpochMilli(n * millis);
            }
        };
    }
}
