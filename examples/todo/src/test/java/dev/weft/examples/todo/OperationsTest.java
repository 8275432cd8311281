package dev.weft.examples.todo;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The demo as a real process: its configuration check, and its admin port after real requests. */
class OperationsTest {

    @Test
    void every_bad_variable_is_reported_at_once_and_the_process_exits_78_without_a_port() throws Exception {
        DemoProcess process = DemoProcess.start(Map.of("PORT", "http", "WRITES_PER_MINUTE", "0",
                "ADMIN_TOKEN", "s3cr3t-value", "CORS_ORIGINS", "https://app.example.com",
                "OTEL_EXPORTER_OTLP_ENDPOINT", "ftp://collector", "WEFT_IDLE_TIMOUT", "5s"));
        assertThat(process.exited(Duration.ofSeconds(30))).isTrue();
        String all = process.output();
        assertThat(process.exitValue()).as(all).isEqualTo(78);
        assertThat(all).contains("PORT", "WRITES_PER_MINUTE", "OTEL_EXPORTER_OTLP_ENDPOINT")
                .contains("WEFT_IDLE_TIMEOUT") // the "did you mean" for the misspelt variable
                .doesNotContain("s3cr3t-value")
                .doesNotContain("listening on");
    }

    @Test
    void check_config_prints_the_table_masked_and_exits_0() throws Exception {
        DemoProcess process = DemoProcess.start(Map.of("ADMIN_TOKEN", "s3cr3t-value",
                "DATABASE_URL", "postgres://todo:db-s3cr3t@db.internal:5432/todo"), "--check-config");
        assertThat(process.exited(Duration.ofSeconds(30))).isTrue();
        String all = process.output();
        assertThat(process.exitValue()).as(all).isZero();
        assertThat(all).contains("ADMIN_TOKEN", "WRITES_PER_MINUTE", "DATABASE_URL").doesNotContain("s3cr3t-value")
                .doesNotContain("db-s3cr3t");
    }

    @Test
    void the_admin_port_serves_metrics_health_and_in_flight_requests() throws Exception {
        try (DemoProcess process = DemoProcess.start(Map.of()); HttpClient http = HttpClient.newHttpClient()) {
            int api = process.apiPort();
            int admin = process.adminPort();
            assertThat(get(http, api, "/todos").statusCode()).isEqualTo(200);
            assertThat(get(http, api, "/todos/42").statusCode()).isEqualTo(404);
            HttpResponse<String> publicHealth = get(http, api, "/health/ready");
            assertThat(publicHealth.statusCode()).isEqualTo(200);
            assertThat(publicHealth.headers().firstValue("content-type")).contains("application/health+json");

            String metrics = get(http, admin, "/metrics").body();
            assertThat(metrics).contains("http_server_request_duration_seconds_bucket")
                    .contains("http_route=\"/todos\"")
                    .contains("http_route=\"/todos/{id}\"")
                    .doesNotContain("/todos/42")
                    .contains("weft_server_connections_active")
                    .contains("jvm_memory_used_bytes");
            assertThat(get(http, admin, "/health/ready").statusCode()).isEqualTo(200);
            assertThat(get(http, admin, "/debug/requests").statusCode()).isEqualTo(200);
            assertThat(get(http, api, "/metrics").statusCode()).as("metrics stay off the public port").isEqualTo(404);
        }
    }

    private static HttpResponse<String> get(HttpClient http, int port, String path) throws Exception {
        return DemoProcess.get(http, port, path);
    }
}
