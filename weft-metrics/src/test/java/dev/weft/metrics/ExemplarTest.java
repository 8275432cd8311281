package dev.weft.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.routing.Router;
import dev.weft.server.RunningServer;
import dev.weft.server.Server;
import dev.weft.test.TestClient;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/** OpenMetrics exemplars: the trace of a recorded request, as a tracing layer left it in the MDC. */
class ExemplarTest {

    @Test
    void an_openmetrics_scrape_carries_the_trace_of_a_recorded_request_as_an_exemplar() throws Exception {
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        String spanId = "00f067aa0ba902b7";
        try (Metrics metrics = Metrics.builder().jvmMetrics(false).virtualThreadMetrics(false).nettyMetrics(false).build()) {
            Router app = Router.builder()
                    // Stands in for weft-otel's Tracing, which puts these keys in the MDC around the handler.
                    .layer((request, next) -> {
                        MDC.put("trace_id", traceId);
                        MDC.put("span_id", spanId);
                        MDC.put("trace_flags", "01");
                        try {
                            return next.run(request);
                        } finally {
                            MDC.remove("trace_id");
                            MDC.remove("span_id");
                            MDC.remove("trace_flags");
                        }
                    })
                    .layer(metrics.layer())
                    .get("/traced", () -> "ok")
                    .build();
            try (TestClient client = TestClient.start(app);
                    RunningServer admin = Server.builder().port(0).host("127.0.0.1").shutdownOnSignal(false).build()
                            .serve(metrics.router())) {
                assertThat(client.get("/traced").status()).isEqualTo(200);
                Scrape.awaitContaining(admin.port(), "http_route=\"/traced\"");
                HttpResponse<String> open = Scrape.get(admin.port(), "/metrics", "application/openmetrics-text; version=1.0.0");
                assertThat(open.body()).contains("trace_id=\"" + traceId + "\"", "span_id=\"" + spanId + "\"");
                HttpResponse<String> text = Scrape.get(admin.port(), "/metrics", null);
                assertThat(text.body()).doesNotContain(traceId); // the 0.0.4 text format has no exemplars
            }
        }
    }
}
