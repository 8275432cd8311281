package dev.weft.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.diagnostics.Diagnostics;
import dev.weft.offload.Offload;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

/** Diagnostics and offload pools bound into the registry. */
class BoundPartsTest {

    @Test
    void diagnostics_and_an_offload_pool_show_up_in_the_scrape() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (Metrics metrics = Metrics.builder().registry(registry).jvmMetrics(false).virtualThreadMetrics(false)
                .nettyMetrics(false).build();
                Diagnostics diagnostics = Diagnostics.builder().build();
                Offload pool = Offload.builder().name("hashing").threads(1).queue(1).build()) {
            metrics.bind(diagnostics);
            metrics.bind(pool);
            assertThat(pool.run(() -> 6 * 7)).isEqualTo(42);
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (pool.completed() < 1 && System.nanoTime() < deadline) {
                Thread.sleep(10); // the pool counts a task done just after its caller has the result
            }
            String scrape = registry.scrape();
            assertThat(scrape).contains("weft_virtualthreads_pinned_total 0.0", "weft_eventloop_stalls_total 0.0",
                    "weft_handlers_slow_total 0.0", "weft_eventloop_lag_max_seconds 0.0",
                    "weft_offload_completed_total{pool=\"hashing\"} 1.0", "weft_offload_active{pool=\"hashing\"}",
                    "weft_offload_queued{pool=\"hashing\"}", "weft_offload_rejected_total{pool=\"hashing\"} 0.0");
        }
    }
}
