package dev.weft.internal.netty;

import dev.weft.server.RunningServer;
import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Measures how late each event loop of a server runs a task: one probe per loop, rescheduled every
 * {@code interval}, records the delay between when it was due and when it ran. A loop blocked by
 * a handler ({@code Handler.nonBlocking()} code that blocks, a slow codec) runs its probe late; a
 * watchdog on another thread ({@link Loop#overdue}) sees the probe overdue while the loop is still
 * blocked and can take the loop thread's stack at that moment, which is what the loop is doing.
 *
 * <p>Cost: one scheduled task per loop per interval, a few volatile writes each.
 */
public final class LagProbe {
    private final List<Loop> loops;

    private LagProbe(List<Loop> loops) {
        this.loops = loops;
    }

    /**
     * Starts a probe on every event loop of {@code server}; empty when {@code server} is not a
     * Weft Netty server (a test double).
     */
    public static Optional<LagProbe> attach(RunningServer server, long intervalNanos) {
        if (!(server instanceof NettyServer netty)) {
            return Optional.empty();
        }
        List<Loop> loops = new ArrayList<>();
        int index = 0;
        for (EventExecutor executor : netty.eventLoops()) {
            Loop loop = new Loop(executor, "port " + server.port() + " loop " + index++, intervalNanos);
            loops.add(loop);
            loop.first();
        }
        return Optional.of(new LagProbe(List.copyOf(loops)));
    }

    /** One probe per event loop. */
    public List<Loop> loops() {
        return loops;
    }

    /** Stops rescheduling the probes. */
    public void stop() {
        for (Loop loop : loops) {
            loop.stopped = true;
        }
    }

    /** The probe of one event loop: its lag so far, and whether it is overdue now. */
    public static final class Loop implements Runnable {
        private final EventExecutor executor;
        private final String name;
        private final long intervalNanos;
        private volatile Thread thread;
        /** When the pending probe run is due ({@link System#nanoTime}). */
        private volatile long dueNanos;
        private volatile long lastLagNanos;
        private volatile long maxLagNanos;
        /** The due time of the stall last reported, so one stall is reported once. */
        private volatile long reportedDue = Long.MIN_VALUE;
        private volatile boolean stopped;

        Loop(EventExecutor executor, String name, long intervalNanos) {
            this.executor = executor;
            this.name = name;
            this.intervalNanos = intervalNanos;
        }

        /** Runs the probe once now, so the loop's thread is known before any stall. */
        void first() {
            dueNanos = System.nanoTime();
            try {
                executor.execute(this);
            } catch (RejectedExecutionException shuttingDown) {
                stopped = true;
            }
        }

        void schedule() {
            if (stopped || executor.isShuttingDown()) {
                stopped = true;
                return;
            }
            dueNanos = System.nanoTime() + intervalNanos;
            try {
                executor.schedule(this, intervalNanos, TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException shuttingDown) {
                stopped = true;
            }
        }

        @Override
        public void run() {
            long lag = Math.max(0, System.nanoTime() - dueNanos);
            thread = Thread.currentThread();
            lastLagNanos = lag;
            if (lag > maxLagNanos) {
                maxLagNanos = lag; // only this loop's thread writes it
            }
            schedule();
        }

        /** A name for logs and metrics: the server's port and the loop's index. */
        public String name() {
            return name;
        }

        /** The delay of the last probe run, in nanoseconds. */
        public long lastLagNanos() {
            return lastLagNanos;
        }

        /** The largest delay seen, in nanoseconds. */
        public long maxLagNanos() {
            return maxLagNanos;
        }

        /** Whether the probe was stopped or its loop shut down. */
        public boolean stopped() {
            return stopped || executor.isShuttingDown();
        }

        /**
         * How long the pending probe run is overdue if that is over {@code thresholdNanos} and
         * this stall was not reported yet (marking it reported), else -1. Any thread.
         */
        public long overdue(long thresholdNanos) {
            long due = dueNanos;
            long late = System.nanoTime() - due;
            if (stopped() || late <= thresholdNanos || reportedDue == due || thread == null) {
                return -1;
            }
            reportedDue = due; // a single watchdog thread calls this: no race to report twice
            return late;
        }

        /** The loop's thread (known after the first probe run), for its stack. */
        public Optional<Thread> thread() {
            return Optional.ofNullable(thread);
        }
    }
}
