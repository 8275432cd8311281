package dev.weft.examples.live;

import java.time.Instant;

/** A tick clock for tests: time stands still until the test {@link #advance}s it. */
final class ManualTickClock implements TickClock {
    private long current;

    ManualTickClock(long current) {
        this.current = current;
    }

    /** Makes the next tick due. */
    synchronized void advance() {
        current++;
        notifyAll();
    }

    @Override
    public synchronized long current() {
        return current;
    }

    @Override
    public synchronized void awaitTick(long n) throws InterruptedException {
        while (current < n) {
            wait();
        }
    }

    @Override
    public Instant timeOf(long n) {
        return Instant.ofEpochSecond(n);
    }
}
