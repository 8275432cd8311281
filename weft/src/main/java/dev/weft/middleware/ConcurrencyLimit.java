package dev.weft.middleware;

import dev.weft.WeftException;
import dev.weft.http.Request;
import dev.weft.response.Problem;
import dev.weft.response.Response;
import dev.weft.response.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Load shedding: at most {@code maxInFlight} requests run the wrapped handlers at once, at most
 * {@code maxQueued} more wait for a turn (first come, first served) for up to
 * {@code queueTimeout}, and every other request is answered {@code 503 Service Unavailable} with a
 * problem+json body naming the limit and a {@code retry-after} header. The handler of a refused
 * request does not run.
 *
 * {@snippet class=dev.weft.middleware.ConcurrencyLimitExamples region=shared}
 *
 * <p><b>One value, one limit.</b> A {@code ConcurrencyLimit} holds its own permits: the same value
 * given to several routes or routers (with {@code layer}, {@code routeLayer} or
 * {@code Handler.layer}) counts all their requests together. Build one value per limit you want.
 *
 * <table class="striped">
 *   <caption>Options</caption>
 *   <thead><tr><th>option</th><th>default</th><th>meaning</th></tr></thead>
 *   <tbody>
 *   <tr><td>{@code maxInFlight}</td><td>(required)</td><td>requests running the wrapped handlers at once</td></tr>
 *   <tr><td>{@code maxQueued}</td><td>0</td><td>requests that may wait for a permit; 0 sheds at once (Helidon's default)</td></tr>
 *   <tr><td>{@code queueTimeout}</td><td>1 s</td><td>how long a queued request waits before it is answered 503</td></tr>
 *   <tr><td>{@code retryAfter}</td><td>1 s</td><td>the {@code retry-after} sent with a 503, in whole seconds (rounded up)</td></tr>
 *   </tbody>
 * </table>
 *
 * <p><b>What holds a permit.</b> A permit is held while the wrapped middleware and handler run,
 * and released when they return a response. A streamed body ({@code Response.stream},
 * {@code chunks}, SSE) is written after that, so a slow reader does not hold a permit: the limit
 * bounds handler work (database connections, CPU), while slow clients are bounded by the server's
 * connection count and write timeout. To bound a stream's work, do it before returning.
 *
 * <p><b>Versus {@code Server.Builder.maxInFlight}.</b> The server's limit (4096 by default) is a
 * global safety net: it counts every request, 404s included, never queues, and answers before
 * any router runs. A {@code ConcurrencyLimit} guards a chosen set of routes (an expensive report,
 * everything behind one database pool) with a smaller number and an optional queue.
 *
 * <p>Runs on the request's virtual thread: a queued request parks it. A waiter that is
 * interrupted (request timeout, shutdown) leaves the queue without a permit, gets 503, and keeps
 * its interrupt status. Waiters are served in arrival order; a request arriving while others wait
 * joins the end of the queue rather than taking a freed permit first.
 */
public final class ConcurrencyLimit implements Middleware {
    private final int maxInFlight;
    private final int maxQueued;
    private final Duration queueTimeout;
    private final long retryAfterSeconds;
    private final Semaphore permits;
    private final AtomicInteger queued = new AtomicInteger();
    private final LongAdder rejected = new LongAdder();

    private ConcurrencyLimit(Builder builder) {
        this.maxInFlight = builder.maxInFlight;
        this.maxQueued = builder.maxQueued;
        this.queueTimeout = builder.queueTimeout;
        this.retryAfterSeconds = ceilSeconds(builder.retryAfter);
        // Fair: waiters get permits in arrival order, and a newcomer cannot barge past them.
        this.permits = new Semaphore(maxInFlight, true);
    }

    /** A limit of {@code maxInFlight} requests at once, no queue, {@code retry-after: 1}. */
    public static ConcurrencyLimit of(int maxInFlight) {
        return builder().maxInFlight(maxInFlight).build();
    }

    /** A builder; {@link Builder#maxInFlight} must be set. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Response handle(Request request, Next next) throws Exception {
        if (!acquire()) {
            rejected.increment();
            return refusal();
        }
        try {
            return next.run(request);
        } finally {
            permits.release();
        }
    }

    /** Takes a permit, waiting in the queue if there is room; false when refused. */
    private boolean acquire() {
        try {
            // tryAcquire(0, unit) honours fairness (plain tryAcquire() would barge past waiters).
            if (permits.tryAcquire(0, TimeUnit.NANOSECONDS)) {
                return true;
            }
            if (!enqueue()) {
                return false;
            }
            try {
                return permits.tryAcquire(queueTimeout.toNanos(), TimeUnit.NANOSECONDS);
            } finally {
                queued.decrementAndGet();
            }
        } catch (InterruptedException e) {
            // No permit was taken (Semaphore acquires nothing when it throws): nothing to give back.
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private boolean enqueue() {
        while (true) {
            int n = queued.get();
            if (n >= maxQueued) {
                return false;
            }
            if (queued.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    private Response refusal() {
        String detail = "this service is at its limit of " + maxInFlight + " requests in flight"
                + (maxQueued > 0 ? " and " + maxQueued + " waiting" : "") + "; retry shortly";
        return Problem.of(Status.SERVICE_UNAVAILABLE, detail)
                .with("limit", "concurrency")
                .toResponse()
                .withHeader("retry-after", Long.toString(retryAfterSeconds));
    }

    /** Requests running the wrapped handlers now. */
    public int inFlight() {
        return maxInFlight - permits.availablePermits();
    }

    /** Requests waiting for a permit now. */
    public int queued() {
        return queued.get();
    }

    /** Requests refused (503) since this limit was built. */
    public long rejected() {
        return rejected.sum();
    }

    @Override
    public String name() {
        return "ConcurrencyLimit(" + maxInFlight + (maxQueued > 0 ? ", queue " + maxQueued : "") + ")";
    }

    @Override
    public Kind kind() {
        return Kind.CONCURRENCY_LIMIT;
    }

    private static long ceilSeconds(Duration d) {
        long seconds = d.getSeconds();
        return d.getNano() > 0 ? seconds + 1 : seconds;
    }

    /** Options of a {@link ConcurrencyLimit}; {@link #build} checks them all at once. */
    public static final class Builder {
        private int maxInFlight = -1;
        private int maxQueued = 0;
        private Duration queueTimeout = Duration.ofSeconds(1);
        private Duration retryAfter = Duration.ofSeconds(1);

        private Builder() {}

        /** Requests running the wrapped handlers at once (required, at least 1). */
        public Builder maxInFlight(int value) { this.maxInFlight = value; return this; }

        /** Requests that may wait for a permit (default 0: refuse at once). */
        public Builder maxQueued(int value) { this.maxQueued = value; return this; }

        /** How long a queued request waits for a permit (default 1 s; positive). */
        public Builder queueTimeout(Duration value) { this.queueTimeout = value; return this; }

        /** The {@code retry-after} of a 503 (default 1 s; at least 1 s, rounded up to whole seconds). */
        public Builder retryAfter(Duration value) { this.retryAfter = value; return this; }

        /**
         * Checks every option.
         *
         * @throws WeftException listing every invalid option, one per line
         */
        public ConcurrencyLimit build() {
            List<String> problems = new ArrayList<>();
            if (maxInFlight == -1) {
                problems.add("maxInFlight must be set (requests handled at once, e.g. maxInFlight(64))");
            } else if (maxInFlight < 1) {
                problems.add("maxInFlight must be at least 1, got " + maxInFlight);
            }
            if (maxQueued < 0) {
                problems.add("maxQueued must be zero or more, got " + maxQueued);
            }
            if (queueTimeout == null) {
                problems.add("queueTimeout must be set");
            } else if (queueTimeout.isNegative() || queueTimeout.isZero()) {
                problems.add("queueTimeout must be positive, got " + queueTimeout);
            }
            if (retryAfter == null) {
                problems.add("retryAfter must be set");
            } else if (retryAfter.compareTo(Duration.ofSeconds(1)) < 0) {
                problems.add("retryAfter must be at least 1 s (retry-after counts whole seconds), got " + retryAfter);
            }
            if (!problems.isEmpty()) {
                throw new WeftException("invalid ConcurrencyLimit options:\n  - " + String.join("\n  - ", problems));
            }
            return new ConcurrencyLimit(this);
        }
    }
}
