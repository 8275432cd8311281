package dev.weft.metrics;

import dev.weft.http.Request;
import dev.weft.internal.http.Completion;
import dev.weft.internal.http.ServerRequest;
import dev.weft.middleware.Middleware;
import dev.weft.middleware.Next;
import dev.weft.response.Response;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The HTTP layer: times every exchange from the moment it reaches the layer to the end the engine
 * reports through {@link ServerRequest#onComplete} (the last byte of a streamed body, or the
 * abort), and counts the requests in progress. Names and tags follow the OpenTelemetry HTTP
 * semantic conventions.
 */
final class HttpMeters implements Middleware {

    static final String DURATION = "http.server.request.duration";
    static final String ACTIVE = "http.server.active_requests";
    static final String REFUSED = "weft.server.requests.refused";
    static final String REFUSED_DESCRIPTION = "Requests refused before or instead of the handler, by reason";

    /** The OpenTelemetry bucket advice for {@code http.server.request.duration}, in seconds. */
    static final double[] BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10};

    /** RFC 9110's methods and PATCH; anything else is recorded as {@code _OTHER} (it is client input). */
    private static final Set<String> KNOWN_METHODS =
            Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH");

    private final MeterRegistry registry;
    /** One counter per (method, scheme): at most 10 x 2 entries, since both are normalized first. */
    private final ConcurrentHashMap<String, AtomicInteger> active = new ConcurrentHashMap<>();
    private final Counter bodyTooLarge;
    private final Counter rateLimited;

    HttpMeters(MeterRegistry registry) {
        this.registry = registry;
        this.bodyTooLarge = refusedCounter(registry, "body_too_large");
        this.rateLimited = refusedCounter(registry, "rate_limited");
    }

    static Counter refusedCounter(MeterRegistry registry, String reason) {
        return Counter.builder(REFUSED)
                .description(REFUSED_DESCRIPTION)
                .tag("reason", reason)
                .register(registry);
    }

    private static final Duration[] SLO = bucketDurations();

    static Duration[] bucketDurations() {
        Duration[] out = new Duration[BUCKETS.length];
        for (int i = 0; i < BUCKETS.length; i++) {
            out[i] = Duration.ofNanos(Math.round(BUCKETS[i] * 1e9));
        }
        return out;
    }

    @Override
    public String name() {
        return "Metrics";
    }

    @Override
    public Response handle(Request request, Next next) throws Exception {
        ServerRequest exchange = (ServerRequest) request; // Request is sealed
        String method = KNOWN_METHODS.contains(request.method().name()) ? request.method().name() : "_OTHER";
        String scheme = "https".equals(request.client().scheme()) ? "https" : "http";
        AtomicInteger inProgress = activeCounter(method, scheme);
        inProgress.incrementAndGet();
        long start = System.nanoTime();
        Outcome outcome = new Outcome();
        exchange.onComplete(done -> {
            inProgress.decrementAndGet();
            record(exchange, method, scheme, start, outcome, done);
        });
        try {
            Response response = next.run(request);
            outcome.route = request.matchedPath().orElse(null);
            outcome.trace = MdcSpanContext.fromMdc(); // a tracing layer outside this one put them there
            return response;
        } catch (Exception | Error e) {
            outcome.route = request.matchedPath().orElse(null);
            outcome.error = e.getClass().getName();
            throw e;
        }
    }

    /** What the layer learned on the way out; read by the completion listener on an event loop. */
    private static final class Outcome {
        volatile String route;
        volatile String error;
        volatile MdcSpanContext.Ids trace;
    }

    private AtomicInteger activeCounter(String method, String scheme) {
        return active.computeIfAbsent(method + ' ' + scheme, key -> {
            AtomicInteger count = new AtomicInteger();
            Gauge.builder(ACTIVE, count, AtomicInteger::get)
                    .description("HTTP requests in progress (from the layer to the end of the response)")
                    // no base unit: OTel's "{request}" would become part of the Prometheus name
                    .tags("http.request.method", method, "url.scheme", scheme)
                    .strongReference(true)
                    .register(registry);
            return count;
        });
    }

    private void record(ServerRequest request, String method, String scheme, long start, Outcome outcome,
            Completion done) {
        Tags tags = Tags.of("http.request.method", method, "url.scheme", scheme,
                "network.protocol.version", protocolVersion(request.protocol()));
        String route = outcome.route != null ? outcome.route : request.matchedPath().orElse(null);
        if (route != null) { // unmatched (404/405 fallback): no route tag, never the raw path
            tags = tags.and("http.route", route);
        }
        if (done.status() > 0) {
            tags = tags.and("http.response.status_code", Integer.toString(done.status()));
        }
        String error = errorType(outcome.error, done);
        if (error != null) {
            tags = tags.and("error.type", error);
        }
        Timer timer = Timer.builder(DURATION)
                .description("Duration of HTTP server requests, to the last byte of the response")
                .tags(tags)
                .serviceLevelObjectives(SLO)
                .publishPercentileHistogram(false)
                .register(registry);
        MdcSpanContext.with(outcome.trace,
                () -> timer.record(Math.max(0, done.endNanos() - start), TimeUnit.NANOSECONDS));
        if (done.status() == 413) {
            bodyTooLarge.increment();
        } else if (done.status() == 429) {
            rateLimited.increment();
        }
    }

    /**
     * OpenTelemetry's {@code error.type}: the exception's class when the chain threw, the status
     * code for a 5xx, {@code aborted} when the client did not get the whole response; none on success.
     */
    private static String errorType(String thrown, Completion done) {
        if (thrown != null) {
            return thrown;
        }
        if (done.aborted()) {
            return "aborted";
        }
        return done.status() >= 500 ? Integer.toString(done.status()) : null;
    }

    /** {@code HTTP/1.1} to {@code 1.1}, {@code HTTP/2.0} to {@code 2} (the OpenTelemetry spelling). */
    static String protocolVersion(String protocol) {
        return switch (protocol) {
            case "HTTP/1.1" -> "1.1";
            case "HTTP/1.0" -> "1.0";
            case "HTTP/2.0", "HTTP/2" -> "2";
            case "HTTP/3.0", "HTTP/3" -> "3";
            default -> "_OTHER";
        };
    }
}
