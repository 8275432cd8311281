package dev.weft.internal.netty;

import dev.weft.http.Method;
import dev.weft.internal.http.ServerRequest;
import dev.weft.internal.routing.RouterHooks;
import dev.weft.response.Problem;
import dev.weft.response.Response;
import dev.weft.response.Status;
import io.netty.util.concurrent.EventExecutor;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What HTTP/1.1 and HTTP/2 do alike once a request head is accepted: shed load past
 * {@code maxInFlight}, run a non-blocking route inline, otherwise start its handler on a virtual
 * thread bounded by {@code requestTimeout}, and answer a handler that overruns it. The protocols
 * differ only in how they write what comes out.
 */
final class HandlerStart {
    private static final Logger LOG = LoggerFactory.getLogger("dev.weft.server");

    /** What an {@code expect} header asks for (RFC 9110 §10.1.1). */
    enum Expectation {
        NONE,
        CONTINUE,
        /** Anything else: answered 417. */
        UNSUPPORTED;

        static Expectation of(String expect) {
            if (expect == null) {
                return NONE;
            }
            return expect.trim().equalsIgnoreCase("100-continue") ? CONTINUE : UNSUPPORTED;
        }

        static final String REFUSAL = "only 'expect: 100-continue' is supported";
    }

    private HandlerStart() {}

    /** The 503 for a request past {@code maxInFlight}; the client may retry shortly. */
    static Response overloaded(ServerConfig config) {
        return Problem.of(Status.SERVICE_UNAVAILABLE, "the server is at its limit of " + config.maxInFlight()
                + " requests in flight; retry shortly").toResponse().withHeader("retry-after", "1");
    }

    /**
     * The 503 for a handler past {@code requestTimeout}, logged at WARN; its thread is
     * interrupted (if it has one yet).
     */
    static Response overran(ServerConfig config, Method method, String path, Thread handler) {
        LOG.warn("{} {} exceeded the request timeout of {}; answering 503 and interrupting its handler",
                method, path, config.requestTimeout());
        if (handler != null) {
            handler.interrupt();
        }
        return Problem.of(Status.SERVICE_UNAVAILABLE, "the request took longer than "
                + config.requestTimeout().toMillis() + " ms").toResponse().withHeader("retry-after", "1");
    }

    /**
     * Whether the request may run inline on the event loop: it has no body to wait for and its
     * route was declared {@code Handler.nonBlocking()}.
     */
    static boolean runsInline(ServerState server, boolean bodyless, ServerRequest request) {
        return bodyless && RouterHooks.isNonBlocking(server.router(), request);
    }

    /** Starts a handler on a virtual thread of its own. */
    static Thread handler(Runnable respond) {
        return Thread.ofVirtual().name("weft-request").start(respond);
    }

    /** Starts writing a streamed response, which may block, on a virtual thread of its own. */
    static Thread streamWriter(Runnable write) {
        return Thread.ofVirtual().name("weft-response").start(write);
    }

    /** Schedules {@code overran} at {@code requestTimeout} on {@code loop}; null when there is no timeout. */
    static ScheduledFuture<?> deadline(ServerConfig config, EventExecutor loop, Runnable overran) {
        Duration timeout = config.requestTimeout();
        return timeout.isZero() ? null : loop.schedule(overran, timeout.toNanos(), TimeUnit.NANOSECONDS);
    }
}
