package dev.weft.otel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.extract.PathParam;
import dev.weft.http.Method;
import dev.weft.middleware.RequestId;
import dev.weft.routing.Router;
import dev.weft.test.Client;
import dev.weft.test.InMemoryClient;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The examples in the Javadoc of {@link Tracing} and in docs/tracing.md. */
class TracingExamples {
    private static final Logger LOG = LoggerFactory.getLogger(TracingExamples.class);

    static Router app(Map<String, String> env) {
        // @start region=setup
        Tracing tracing = Tracing.builder()
                .serviceName("todo")
                // tracing is off (a layer that only calls the next one) unless an endpoint is set
                .otlpEndpoint(Optional.ofNullable(env.get("OTEL_EXPORTER_OTLP_ENDPOINT")).map(URI::create))
                .build();                               // close() it at shutdown: sends what is queued
        Router app = Router.builder()
                .layer(RequestId.create())              // request_id in the MDC
                .layer(tracing)                         // the root router: 404s too, route known after routing
                .get("/todos/{id}", PathParam.of("id", Long.class), id -> {
                    LOG.info("loading todo {}", id);    // this line carries trace_id and span_id
                    return "todo " + id;
                })
                .build();
        // @end
        return app;
    }

    @Test
    void setup_without_an_endpoint_leaves_tracing_off() {
        try (Client client = InMemoryClient.of(app(Map.of()))) {
            assertThat(client.request(Method.GET, "/todos/7").send().body()).isEqualTo("todo 7");
        }
    }

    @Test
    void offloaded_work_keeps_the_trace() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(1);
        try {
            // @start region=offload
            // The context is a thread local: wrap a task handed to another thread, so its spans
            // and log lines belong to the request (MDC included).
            String answer = pool.submit(Tracing.wrap(() -> {
                LOG.info("hashing on a pool thread");
                return "hashed";
            })).get();
            // @end
            assertThat(answer).isEqualTo("hashed");
        } finally {
            pool.shutdown();
        }
    }
}
