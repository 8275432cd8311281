package dev.weft.offload;

import dev.weft.WeftException;
import dev.weft.extract.RejectedException;
import dev.weft.extract.Rejection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Bounds concurrent calls to one slow external resource (a payment API, a legacy service, a small
 * connection pool): at most {@code maxConcurrent} calls run at once, a caller waits up to
 * {@code maxWait} for a turn, and one that gets none is refused with a {@link RejectedException}
 * carrying {@link Rejection.Unavailable} (503 problem+json naming the bulkhead, with
 * {@code retry-after}). The call runs on the caller's own (virtual) thread: this is JEP 444's
 * advice, a semaphore rather than a pool of threads.
 *
 * {@snippet class=dev.weft.offload.OffloadExamples region=bulkhead}
 *
 * <p><b>Versus {@code ConcurrencyLimit}.</b> {@code ConcurrencyLimit} is a middleware: it bounds
 * whole requests to a set of routes before their handlers run. A {@code Bulkhead} wraps one call
 * inside a handler, so routes that share a resource share its bound, and a request that does
 * several things holds the permit only while it calls the resource.
 *
 * <p>Waiters get permits in arrival order (a fair semaphore). An interrupted waiter leaves
 * without a permit and {@link #call} throws {@link InterruptedException}.
 *
 * <table class="striped">
 *   <caption>Options</caption>
 *   <thead><tr><th>option</th><th>default</th><th>meaning</th></tr></thead>
 *   <tbody>
 *   <tr><td>{@code name}</td><td>(required)</td><td>the resource, named in a 503's problem ({@code limit} member)</td></tr>
 *   <tr><td>{@code maxConcurrent}</td><td>(required)</td><td>calls running at once</td></tr>
 *   <tr><td>{@code maxWait}</td><td>1 s</td><td>how long a caller waits for a turn; zero refuses at once</td></tr>
 *   <tr><td>{@code retryAfter}</td><td>1 s</td><td>the {@code retry-after} of a 503, in whole seconds (rounded up)</td></tr>
 *   </tbody>
 * </table>
 */
public final class Bulkhead {
    private final String name;
    private final int maxConcurrent;
    private final long maxWaitNanos;
    private final long retryAfterSeconds;
    private final Semaphore permits;
    private final AtomicInteger waiting = new AtomicInteger();
    private final LongAdder rejected = new LongAdder();
    private final LongAdder completed = new LongAdder();

    private Bulkhead(String name, int maxConcurrent, Duration maxWait, Duration retryAfter) {
        this.name = name;
        this.maxConcurrent = maxConcurrent;
        this.maxWaitNanos = maxWait.toNanos();
        this.retryAfterSeconds = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
        this.permits = new Semaphore(maxConcurrent, true);
    }

    /** A bulkhead of {@code maxConcurrent} calls named {@code name}, waiting up to 1 s. */
    public static Bulkhead of(String name, int maxConcurrent) {
        return builder().name(name).maxConcurrent(maxConcurrent).build();
    }

    /** A builder; {@code name} and {@code maxConcurrent} must be set. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Runs {@code call} on this thread once a permit is free and returns its result.
     *
     * @throws RejectedException with {@link Rejection.Unavailable} (503) when no permit was free
     *     within {@code maxWait}; {@code call} does not run
     * @throws InterruptedException when interrupted while waiting; {@code call} does not run
     * @throws Exception whatever {@code call} threw, unchanged
     */
    public <T> T call(Callable<T> call) throws Exception {
        Objects.requireNonNull(call, "call");
        waiting.incrementAndGet();
        boolean acquired;
        try {
            // tryAcquire(0, unit) honours fairness; plain tryAcquire() would barge past waiters.
            acquired = permits.tryAcquire(maxWaitNanos, TimeUnit.NANOSECONDS);
        } finally {
            waiting.decrementAndGet();
        }
        if (!acquired) {
            rejected.increment();
            throw new RejectedException(new Rejection.Unavailable(name, "too many concurrent calls to " + name
                    + " (limit " + maxConcurrent + "); retry shortly", retryAfterSeconds));
        }
        try {
            return call.call();
        } finally {
            permits.release();
            completed.increment();
        }
    }

    public String name() {
        return name;
    }

    public int maxConcurrent() {
        return maxConcurrent;
    }

    /** Calls running now. */
    public int inUse() {
        return maxConcurrent - permits.availablePermits();
    }

    /** Callers waiting for a permit now. */
    public int waiting() {
        return waiting.get();
    }

    /** Callers refused since the bulkhead was built. */
    public long rejected() {
        return rejected.sum();
    }

    /** Calls that ran to an end (returned or threw). */
    public long completed() {
        return completed.sum();
    }

    /** Options for {@link Bulkhead}; {@link #build()} reports every invalid one at once. */
    public static final class Builder {
        private String name;
        private int maxConcurrent;
        private Duration maxWait = Duration.ofSeconds(1);
        private Duration retryAfter = Duration.ofSeconds(1);

        private Builder() {}

        public Builder name(String value) { this.name = value; return this; }
        public Builder maxConcurrent(int value) { this.maxConcurrent = value; return this; }
        public Builder maxWait(Duration value) { this.maxWait = value; return this; }
        public Builder retryAfter(Duration value) { this.retryAfter = value; return this; }

        /** Validates every option, throwing one exception that lists all problems. */
        public Bulkhead build() {
            List<String> problems = new ArrayList<>();
            Names.check(problems, name);
            if (maxConcurrent < 1) {
                problems.add("maxConcurrent must be positive, got " + maxConcurrent);
            }
            if (maxWait == null || maxWait.isNegative()) {
                problems.add("maxWait must be zero or positive, got " + maxWait);
            }
            if (retryAfter == null || retryAfter.isNegative() || retryAfter.isZero()) {
                problems.add("retryAfter must be positive, got " + retryAfter);
            }
            if (!problems.isEmpty()) {
                throw new WeftException("invalid bulkhead options:\n  - " + String.join("\n  - ", problems));
            }
            return new Bulkhead(name, maxConcurrent, maxWait, retryAfter);
        }
    }
}
