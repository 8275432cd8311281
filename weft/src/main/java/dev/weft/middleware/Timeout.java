package dev.weft.middleware;

import dev.weft.WeftException;
import dev.weft.http.Request;
import dev.weft.internal.http.AbstractBody;
import dev.weft.internal.http.ServerRequest;
import dev.weft.response.Problem;
import dev.weft.response.Response;
import dev.weft.response.ResponseBody;
import dev.weft.response.Status;
import io.netty.util.concurrent.FastThreadLocalThread;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A deadline for the layers and handler inside it to produce their response. Past the deadline
 * the handler's virtual thread is interrupted and the request is answered {@code 503 Service
 * Unavailable} with {@code retry-after}, or {@code 408 Request Timeout} if the handler was still
 * reading the request body when the deadline passed (the client was slow, not the server).
 *
 * {@snippet class=dev.weft.middleware.TimeoutExamples region=timeout}
 *
 * <p><b>What it covers.</b> Only the time until the handler returns its response. A streamed body
 * returned in time is not cut (a long download is bounded by the server's write timeout), and an
 * accepted WebSocket handshake passes (the session is not a request).
 *
 * <p><b>How it stops a handler.</b> The handler runs on its own thread, as without this layer, and
 * is interrupted at the deadline: blocking calls ({@code Thread.sleep}, JDBC drivers that honour
 * interrupts, {@code InputStream}s of the request body, {@code HttpClient.send}) throw, and the
 * answer goes out as soon as the handler returns. A handler that ignores the interrupt delays the
 * answer until it returns, and that answer is still the 503 (its own response is discarded, a
 * streamed body's writer {@linkplain dev.weft.response.BodyWriter#discard() discarded}). Running
 * the handler on the request's thread keeps what that thread carries (MDC, the request, which is
 * not thread-safe, scoped values) and costs no thread hand-off; a child thread would answer on
 * time but leave the handler running unobserved, sharing the request with the answer. For a
 * deadline that answers even a handler that never returns, use the server's
 * {@code requestTimeout} (which closes the connection). The interrupt flag is cleared before this
 * layer returns, so it never reaches outer layers, the body writer or the next request.
 *
 * <table class="striped">
 *   <caption>Options</caption>
 *   <thead><tr><th>option</th><th>default</th><th>meaning</th></tr></thead>
 *   <tbody>
 *     <tr><td>{@code deadline}</td><td>(required)</td><td>how long the inner layers and handler may take, 1 ms to 1 day</td></tr>
 *     <tr><td>{@code retryAfter}</td><td>1 s</td><td>{@code retry-after} of the 503, in whole seconds (rounded up); zero sends none</td></tr>
 *   </tbody>
 * </table>
 *
 * <p>Runs on the request's virtual thread; the deadline fires on one shared timer thread. On a
 * route declared {@code nonBlocking()} (run inline on an event loop, which must never block) the
 * layer does nothing: interrupting an event loop would break every connection it serves.
 */
public final class Timeout implements Middleware {
    private static final Logger LOG = LoggerFactory.getLogger(Timeout.class);
    /** One timer for every Timeout layer: its task only flips a state and interrupts a thread. */
    private static final ScheduledThreadPoolExecutor TIMER = timer();

    private final Duration deadline;
    private final long deadlineNanos;
    private final long retryAfterSeconds;

    private Timeout(Builder b) {
        this.deadline = b.deadline;
        this.deadlineNanos = b.deadline.toNanos();
        long seconds = b.retryAfter.toSeconds();
        this.retryAfterSeconds = b.retryAfter.toNanosPart() > 0 ? seconds + 1 : seconds;
    }

    /** A deadline of {@code deadline}, other options at their defaults. */
    public static Timeout of(Duration deadline) {
        return builder().deadline(deadline).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Response handle(Request request, Next next) throws Exception {
        if (Thread.currentThread() instanceof FastThreadLocalThread) {
            // A route declared non-blocking runs inline on a Netty event loop: it must not block,
            // so it needs no deadline, and interrupting an event loop would break its connections.
            return next.run(request);
        }
        AbstractBody body = ((ServerRequest) request).rawBody(); // Request is sealed
        Watch watch = new Watch(Thread.currentThread(), body);
        ScheduledFuture<?> timer = TIMER.schedule(watch, deadlineNanos, TimeUnit.NANOSECONDS);
        Response response = null;
        Exception failure = null;
        try {
            response = next.run(request);
        } catch (Exception e) {
            failure = e;
        } finally {
            timer.cancel(false);
        }
        if (!watch.expired()) {
            if (failure != null) {
                throw failure;
            }
            return response;
        }
        if (response != null && response.body() instanceof ResponseBody.Streaming late) {
            late.writer().discard(); // never written: it may hold a cursor or a file open
        }
        if (watch.bodyArriving) {
            LOG.debug("{} {}: the request body was still arriving at the {} ms deadline; answering 408",
                    request.method(), request.path(), deadline.toMillis());
            return Problem.of(Status.REQUEST_TIMEOUT, "the request body did not arrive within "
                    + deadline.toMillis() + " ms").with("timeoutMs", deadline.toMillis()).toResponse();
        }
        LOG.warn("{} {} exceeded its timeout of {} ms; answering 503", request.method(), request.path(),
                deadline.toMillis());
        Response unavailable = Problem.of(Status.SERVICE_UNAVAILABLE, "the request took longer than "
                + deadline.toMillis() + " ms").with("timeoutMs", deadline.toMillis()).toResponse();
        return retryAfterSeconds > 0
                ? unavailable.withHeader("retry-after", Long.toString(retryAfterSeconds)) : unavailable;
    }

    @Override
    public String name() {
        return "Timeout(" + deadline.toMillis() + " ms)";
    }

    @Override
    public Kind kind() {
        return Kind.TIMEOUT;
    }

    /**
     * The deadline of one request. States: RUNNING → DONE (the handler returned in time) or
     * RUNNING → EXPIRING → EXPIRED (the timer interrupted it). The handler's thread waits out
     * EXPIRING, so the interrupt has landed before it clears the flag: it cannot arrive later.
     */
    private static final class Watch extends AtomicInteger implements Runnable {
        private static final int RUNNING = 0;
        private static final int DONE = 1;
        private static final int EXPIRING = 2;
        private static final int EXPIRED = 3;

        private final Thread handler;
        private final AbstractBody body;
        /** Whether the body was being read when the deadline passed; written before EXPIRED. */
        boolean bodyArriving;

        Watch(Thread handler, AbstractBody body) {
            this.handler = handler;
            this.body = body;
        }

        /** Timer thread: the deadline passed. */
        @Override
        public void run() {
            if (compareAndSet(RUNNING, EXPIRING)) {
                bodyArriving = body.readingUnfinished();
                handler.interrupt();
                set(EXPIRED);
            }
        }

        /** Handler thread, after it returned: whether the deadline passed (then the interrupt flag is cleared). */
        boolean expired() {
            if (compareAndSet(RUNNING, DONE)) {
                return false;
            }
            while (get() == EXPIRING) {
                Thread.onSpinWait();
            }
            Thread.interrupted(); // ours: it must not reach outer layers, the body writer or the next request
            return true;
        }
    }

    private static ScheduledThreadPoolExecutor timer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "weft-timeout");
            thread.setDaemon(true);
            return thread;
        });
        timer.setRemoveOnCancelPolicy(true); // most deadlines are cancelled: don't keep them queued
        return timer;
    }

    /** Options built one by one; {@link #build()} checks them all. */
    public static final class Builder {
        private Duration deadline;
        private Duration retryAfter = Duration.ofSeconds(1);

        private Builder() {}

        /** How long the inner layers and the handler may take to return a response. */
        public Builder deadline(Duration deadline) {
            this.deadline = deadline;
            return this;
        }

        /** The {@code retry-after} of the 503 (rounded up to seconds); zero sends none. Default 1 s. */
        public Builder retryAfter(Duration retryAfter) {
            this.retryAfter = retryAfter;
            return this;
        }

        /**
         * Checks every option at once.
         *
         * @throws WeftException listing every invalid option, one per line
         */
        public Timeout build() {
            List<String> problems = new ArrayList<>();
            if (deadline == null) {
                problems.add("deadline must be set");
            } else if (deadline.compareTo(Duration.ofMillis(1)) < 0 || deadline.compareTo(Duration.ofDays(1)) > 0) {
                problems.add("deadline must be 1 ms to 1 day, got " + deadline);
            }
            if (retryAfter == null) {
                problems.add("retryAfter must be set (zero for none)");
            } else if (retryAfter.isNegative() || retryAfter.compareTo(Duration.ofDays(1)) > 0) {
                problems.add("retryAfter must be zero to 1 day, got " + retryAfter);
            }
            if (!problems.isEmpty()) {
                throw new WeftException("invalid Timeout options:\n  - " + String.join("\n  - ", problems));
            }
            return new Timeout(this);
        }
    }
}
