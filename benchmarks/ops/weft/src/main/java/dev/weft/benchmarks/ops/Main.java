package dev.weft.benchmarks.ops;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.weft.metrics.Metrics;
import dev.weft.middleware.AccessLog;
import dev.weft.middleware.RequestId;
import dev.weft.otel.Tracing;
import dev.weft.routing.Handler;
import dev.weft.routing.Router;
import dev.weft.server.Server;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;

/**
 * The operations benchmark's Weft app ({@code benchmarks/ops-run}): the same small JSON,
 * {@code {"message":"Hello, World!"}}, on four routes, so the harness can put the cost of metrics
 * and tracing next to the plain route's:
 *
 * <ul>
 *   <li>{@code /json}: no layer;
 *   <li>{@code /metrics-json}: {@link Metrics#layer()} (a {@link PrometheusMeterRegistry});
 *   <li>{@code /traced-json}: {@link Tracing}, every request sampled, exported over OTLP/HTTP to
 *       a fake collector this app starts on a free port (JDK {@link HttpServer});
 *   <li>{@code /all-json}: {@link RequestId}, the metrics layer, Tracing and {@link AccessLog}.
 * </ul>
 *
 * <p>The layers are put on each route ({@code Handler.layer}), not on the root router, so each
 * route pays only for its own layers. Both layers work there (the docs recommend the root router
 * so they also see 404s, which this benchmark does not send). AccessLog logs at INFO to the
 * {@code dev.weft.access} logger, which logback.xml sets to WARN: the layer runs, the line is not
 * written (the benchmark measures the layer, not a disk).
 *
 * <p>{@code /stats} reports what the fake collector received (exports, bytes, spans counted in
 * the protobuf bodies, and the CPU time its handler used, which is part of the server's CPU) and
 * how many requests the metrics layer recorded, so the harness can check that both did their work.
 *
 * <p>Environment: {@code PORT} (8080).
 */
public final class Main {
    private Main() {}

    public record Message(String message) {}

    /** The fake OTLP collector: answers 200 to {@code POST /v1/traces} and counts what came. */
    static final class Collector implements AutoCloseable {
        private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
        private final HttpServer server;
        final AtomicLong exports = new AtomicLong();
        final AtomicLong bytes = new AtomicLong();
        final AtomicLong spans = new AtomicLong();
        final AtomicLong cpuNanos = new AtomicLong();

        Collector() throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/v1/traces", this::handle);
            server.start();
        }

        URI endpoint() {
            return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1/traces");
        }

        private void handle(HttpExchange exchange) throws IOException {
            long cpu = THREADS.getCurrentThreadCpuTime();
            try (exchange) {
                if (!exchange.getRequestMethod().equals("POST")) {
                    exchange.sendResponseHeaders(405, -1);
                    return;
                }
                InputStream in = exchange.getRequestBody();
                if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("content-encoding"))) {
                    in = new GZIPInputStream(in);
                }
                byte[] body = in.readAllBytes();
                exports.incrementAndGet();
                bytes.addAndGet(body.length);
                spans.addAndGet(countSpans(body));
                exchange.getResponseHeaders().set("content-type", "application/x-protobuf");
                exchange.sendResponseHeaders(200, -1); // an empty ExportTraceServiceResponse: all accepted
            } finally {
                cpuNanos.addAndGet(THREADS.getCurrentThreadCpuTime() - cpu);
            }
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    /**
     * Spans in an OTLP ExportTraceServiceRequest: resource_spans (1) → scope_spans (2) → spans (2),
     * each a length-delimited field. Only those fields are walked; others are skipped.
     */
    static long countSpans(byte[] message) {
        long count = 0;
        for (long[] resource : fields(message, 0, message.length, 1)) {
            for (long[] scope : fields(message, (int) resource[0], (int) resource[1], 2)) {
                count += fields(message, (int) scope[0], (int) scope[1], 2).size();
            }
        }
        return count;
    }

    /** The [start, end) of every length-delimited field {@code number} in message[from, to). */
    private static java.util.List<long[]> fields(byte[] m, int from, int to, int number) {
        var found = new java.util.ArrayList<long[]>();
        int[] at = {from};
        while (at[0] < to) {
            long key = varint(m, at);
            int wire = (int) (key & 7);
            switch (wire) {
                case 0 -> varint(m, at);
                case 1 -> at[0] += 8;
                case 5 -> at[0] += 4;
                case 2 -> {
                    int length = (int) varint(m, at);
                    if (key >>> 3 == number) {
                        found.add(new long[] {at[0], at[0] + length});
                    }
                    at[0] += length;
                }
                default -> throw new IllegalArgumentException("unexpected wire type " + wire);
            }
        }
        return found;
    }

    private static long varint(byte[] m, int[] at) {
        long value = 0;
        for (int shift = 0; ; shift += 7) {
            byte b = m[at[0]++];
            value |= (long) (b & 0x7f) << shift;
            if (b >= 0) {
                return value;
            }
        }
    }

    /** The app's layers and the fake collector; close it when the app stops. */
    record Layers(Metrics metrics, PrometheusMeterRegistry registry, Tracing tracing, Collector collector,
                  RequestId requestId, AccessLog accessLog) implements AutoCloseable {
        static Layers create() throws IOException {
            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            Collector collector = new Collector();
            return new Layers(
                    Metrics.builder().registry(registry).build(),
                    registry,
                    Tracing.builder().serviceName("ops-bench").otlpEndpoint(collector.endpoint()).sampleRatio(1.0).build(),
                    collector,
                    RequestId.create(),
                    AccessLog.create());
        }

        @Override
        public void close() {
            tracing.close();
            collector.close();
            metrics.close();
            registry.close();
        }
    }

    static Router app(Layers layers) {
        Message message = new Message("Hello, World!");
        return Router.builder()
                .get("/json", () -> message)
                .get("/metrics-json", Handler.of(() -> message).layer(layers.metrics().layer()))
                .get("/traced-json", Handler.of(() -> message).layer(layers.tracing()))
                // The order the docs give for the root router: metrics first (outermost), the
                // request id before tracing and the access log, so both can read it.
                .get("/all-json", Handler.of(() -> message)
                        .layer(layers.metrics().layer())
                        .layer(layers.requestId())
                        .layer(layers.tracing())
                        .layer(layers.accessLog()))
                .get("/stats", () -> stats(layers))
                .build();
    }

    private static Map<String, Object> stats(Layers layers) {
        Map<String, Object> stats = new LinkedHashMap<>();
        Collector c = layers.collector();
        stats.put("exports", c.exports.get());
        stats.put("exportedBytes", c.bytes.get());
        stats.put("exportedSpans", c.spans.get());
        stats.put("collectorCpuNanos", c.cpuNanos.get());
        var timers = layers.registry().find("http.server.request.duration").timers();
        stats.put("metricsRecorded", timers.stream().mapToLong(t -> t.count()).sum());
        return stats;
    }

    public static void main(String[] args) throws InterruptedException, IOException {
        int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "8080"));
        try (Layers layers = Layers.create()) {
            Server.builder().port(port).build().serve(app(layers)).awaitShutdown();
        }
    }
}
