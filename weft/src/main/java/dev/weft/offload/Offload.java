package dev.weft.offload;

import dev.weft.WeftException;
import dev.weft.extract.RejectedException;
import dev.weft.extract.Rejection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.MDC;

/**
 * CPU-heavy work off the virtual-thread carriers: Weft's {@code spawn_blocking}, done for virtual
 * threads. A fixed pool of platform threads (as many as cores by default) with a bounded queue
 * runs what {@link #run} is given, while the calling virtual thread waits (parked, which is cheap).
 *
 * {@snippet class=dev.weft.offload.OffloadExamples region=hash}
 *
 * <p><b>Why.</b> The virtual-thread scheduler has as many carriers as cores and does not
 * time-slice: a handler hashing a password for 300 ms holds a carrier for 300 ms, and a few of
 * them starve every other request. Platform threads are scheduled by the OS, preemptively, so
 * I/O-bound virtual threads keep running. A pool larger than the core count re-creates the
 * contention it is meant to bound; an unbounded queue hides overload. So both are bounded.
 *
 * <p><b>When it is full</b> (every thread busy, the queue full) {@link #run} throws a
 * {@link RejectedException} carrying {@link Rejection.Unavailable}: the client gets
 * {@code 503} problem+json naming the pool and a {@code retry-after}, without a handler having
 * to map anything. The task does not run.
 *
 * <p><b>Interrupts</b>: when the waiting virtual thread is interrupted (the request timeout,
 * shutdown), the task is cancelled: removed from the queue if it has not started, its platform
 * thread interrupted if it has; {@code run} throws {@link InterruptedException}. CPU loops that
 * should stop early check {@code Thread.interrupted()}.
 *
 * <p>The caller's SLF4J MDC (request id, trace id) is copied to the pool thread for the task.
 * A task that calls {@code run} on the same pool runs inline (a nested wait could deadlock a full
 * pool). Do not call it from an event loop ({@code Handler.nonBlocking()} routes): it blocks.
 *
 * <table class="striped">
 *   <caption>Options</caption>
 *   <thead><tr><th>option</th><th>default</th><th>meaning</th></tr></thead>
 *   <tbody>
 *   <tr><td>{@code name}</td><td>{@code offload}</td><td>names the threads ({@code weft-<name>-N}) and the limit in a 503's problem</td></tr>
 *   <tr><td>{@code threads}</td><td>available processors</td><td>platform threads running tasks (1 to 1024)</td></tr>
 *   <tr><td>{@code queue}</td><td>4 &times; threads</td><td>tasks waiting for a thread; more are refused with 503 (0: no queue)</td></tr>
 *   <tr><td>{@code retryAfter}</td><td>1 s</td><td>the {@code retry-after} of a 503, in whole seconds (rounded up)</td></tr>
 *   </tbody>
 * </table>
 *
 * <p>Counters for metrics: {@link #active()}, {@link #queued()}, {@link #rejected()},
 * {@link #completed()}. Close the pool at shutdown ({@link #close()}); its threads are daemons.
 */
public final class Offload implements AutoCloseable {
    private static final AtomicInteger POOLS = new AtomicInteger();

    private final String name;
    private final int threads;
    private final int queue;
    private final long retryAfterSeconds;
    private final ThreadPoolExecutor executor;
    /** One per running or queued task: {@code threads + queue}. */
    private final Semaphore slots;
    private final LongAdder rejected = new LongAdder();
    private final LongAdder completed = new LongAdder();
    /** Set on this pool's own threads, to run nested calls inline. */
    private final ThreadLocal<Boolean> own = new ThreadLocal<>();

    private Offload(Builder b) {
        this.name = b.name;
        this.threads = b.threads;
        this.queue = b.queue;
        this.retryAfterSeconds = Math.max(1, (b.retryAfter.toMillis() + 999) / 1000);
        // Admission is counted here, not by the executor's queue: a SynchronousQueue (queue 0)
        // refuses a task while a worker that just finished has not yet come back to take(),
        // which made a pool with a free thread answer 503 (found by OffloadHttpTest).
        this.slots = new Semaphore(threads + queue);
        BlockingQueue<Runnable> work = new LinkedBlockingQueue<>();
        AtomicInteger count = new AtomicInteger();
        int pool = POOLS.incrementAndGet();
        ThreadFactory factory = task -> Thread.ofPlatform().daemon()
                .name("weft-" + name + "-" + (pool > 1 ? pool + "-" : "") + count.incrementAndGet())
                .unstarted(() -> {
                    own.set(Boolean.TRUE);
                    task.run();
                });
        this.executor = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, work, factory,
                new ThreadPoolExecutor.AbortPolicy());
    }

    /** A pool with one thread per core and a queue of four tasks per thread. */
    public static Offload ofCores() {
        return builder().build();
    }

    /** A builder with the defaults of the options table. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Runs {@code task} on a pool thread and returns its result; the calling thread waits.
     *
     * @throws RejectedException with {@link Rejection.Unavailable} (503) when the pool and its
     *     queue are full, or the pool is closed; the task does not run
     * @throws InterruptedException when the caller is interrupted while waiting; the task is cancelled
     * @throws Exception whatever the task threw, unchanged
     */
    public <T> T run(Callable<T> task) throws Exception {
        Objects.requireNonNull(task, "task");
        if (own.get() != null) {
            return task.call();
        }
        if (executor.isShutdown() || !slots.tryAcquire()) {
            throw refused();
        }
        Map<String, String> mdc = MDC.getCopyOfContextMap();
        Slot slot = new Slot();
        FutureTask<T> future = new FutureTask<>(() -> {
            if (mdc != null) {
                MDC.setContextMap(mdc);
            }
            try {
                return task.call();
            } finally {
                completed.increment();
                MDC.clear();
                // Before the caller sees the result: a caller that sends its next task at once
                // must find the slot free (released after, it got 503; found by OffloadHttpTest).
                slot.release();
            }
        });
        slot.future = future;
        try {
            executor.execute(slot);
        } catch (RejectedExecutionException closed) {
            slot.release();
            throw refused();
        }
        try {
            return future.get();
        } catch (InterruptedException e) {
            future.cancel(true); // interrupts the pool thread if the task started
            if (executor.remove(slot)) {
                slot.release(); // it had not started: its queue place is free at once
            }
            throw e;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception exception) {
                throw exception;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw e;
        } catch (CancellationException e) {
            // Only close() cancels from outside: the pool went away under the task.
            throw new RejectedException(new Rejection.Unavailable(name, "the " + name + " pool is closed; retry shortly",
                    retryAfterSeconds));
        }
    }

    private RejectedException refused() {
        rejected.increment();
        return new RejectedException(new Rejection.Unavailable(name, executor.isShutdown()
                ? "the " + name + " pool is closed; retry shortly"
                : "the " + name + " pool is busy (" + threads + " threads, " + queue
                        + " queued tasks); retry shortly", retryAfterSeconds));
    }

    /** A task holding one admission slot, released exactly once: when it ends, or when removed unstarted. */
    private final class Slot implements Runnable {
        private FutureTask<?> future; // set before the slot is handed to the executor
        private final AtomicBoolean released = new AtomicBoolean();

        @Override
        public void run() {
            try {
                future.run(); // a cancelled future returns at once without calling the task
            } finally {
                release(); // the task released it already, unless it was cancelled before it started
            }
        }

        void release() {
            if (released.compareAndSet(false, true)) {
                slots.release();
            }
        }
    }

    /** The pool's name. */
    public String name() {
        return name;
    }

    /** How many platform threads run tasks. */
    public int threads() {
        return threads;
    }

    /** How many tasks may wait for a thread. */
    public int queueCapacity() {
        return queue;
    }

    /** Tasks running now (approximate, for metrics). */
    public int active() {
        return executor.getActiveCount();
    }

    /** Tasks waiting for a thread now. */
    public int queued() {
        return executor.getQueue().size();
    }

    /** Tasks refused because the pool was full, since it was built. */
    public long rejected() {
        return rejected.sum();
    }

    /** Tasks that ran to an end (returned or threw), since the pool was built. */
    public long completed() {
        return completed.sum();
    }

    /**
     * Stops the pool: queued tasks are cancelled (their callers get 503), running ones are
     * interrupted. Idempotent.
     */
    @Override
    public void close() {
        for (Runnable queuedTask : executor.shutdownNow()) {
            if (queuedTask instanceof Slot slot) {
                slot.future.cancel(false);
                slot.release();
            }
        }
    }

    /** Options for {@link Offload}; {@link #build()} reports every invalid one at once. */
    public static final class Builder {
        private String name = "offload";
        private int threads = Runtime.getRuntime().availableProcessors();
        private Integer queue;
        private Duration retryAfter = Duration.ofSeconds(1);

        private Builder() {}

        public Builder name(String value) { this.name = value; return this; }
        public Builder threads(int value) { this.threads = value; return this; }
        public Builder queue(int value) { this.queue = value; return this; }
        public Builder retryAfter(Duration value) { this.retryAfter = value; return this; }

        /** Validates every option, throwing one exception that lists all problems. */
        public Offload build() {
            List<String> problems = new ArrayList<>();
            Names.check(problems, name);
            if (threads < 1 || threads > 1024) {
                problems.add("threads must be between 1 and 1024, got " + threads);
            }
            int q = queue == null ? 4 * Math.max(1, threads) : queue;
            if (q < 0 || q > 1_000_000) {
                problems.add("queue must be between 0 and 1000000, got " + q);
            }
            if (retryAfter == null || retryAfter.isNegative() || retryAfter.isZero()) {
                problems.add("retryAfter must be positive, got " + retryAfter);
            }
            if (!problems.isEmpty()) {
                throw new WeftException("invalid offload options:\n  - " + String.join("\n  - ", problems));
            }
            Builder b = new Builder();
            b.name = name;
            b.threads = threads;
            b.queue = q;
            b.retryAfter = retryAfter;
            return new Offload(b);
        }
    }
}
