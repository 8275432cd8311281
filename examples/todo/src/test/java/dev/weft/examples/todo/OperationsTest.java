package dev.weft.examples.todo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The demo as a real process: its configuration check, and its admin port after real requests. */
class OperationsTest {
    private static final Pattern API = Pattern.compile("listening on http://[^:]+:(\\d+)");
    private static final Pattern ADMIN = Pattern.compile("admin endpoints on port (\\d+)");

    private static Process start(Map<String, String> env, String... args) throws Exception {
        String javaBin = ProcessHandle.current().info().command().orElseThrow();
        List<String> command = new java.util.ArrayList<>(List.of(javaBin, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("WEFT_") || name.startsWith("OTEL_"));
        builder.environment().putAll(env);
        return builder.start();
    }

    private static List<String> lines(Process process) {
        List<String> output = new CopyOnWriteArrayList<>();
        BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        Thread.ofPlatform().daemon().start(() -> lines.lines().forEach(output::add));
        return output;
    }

    private static int find(List<String> output, Pattern pattern, Process process) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline && process.isAlive()) {
            for (String line : output) {
                Matcher m = pattern.matcher(line);
                if (m.find()) {
                    return Integer.parseInt(m.group(1));
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no line matching " + pattern + " in " + output);
    }

    @Test
    void every_bad_variable_is_reported_at_once_and_the_process_exits_78_without_a_port() throws Exception {
        Process process = start(Map.of("PORT", "http", "WRITES_PER_MINUTE", "0", "ADMIN_TOKEN", "s3cr3t-value",
                "CORS_ORIGINS", "https://app.example.com", "OTEL_EXPORTER_OTLP_ENDPOINT", "ftp://collector",
                "WEFT_IDLE_TIMOUT", "5s"));
        List<String> output = lines(process);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        Thread.sleep(200); // the last lines
        String all = String.join("\n", output);
        assertThat(process.exitValue()).as(all).isEqualTo(78);
        assertThat(all).contains("PORT", "WRITES_PER_MINUTE", "OTEL_EXPORTER_OTLP_ENDPOINT")
                .contains("WEFT_IDLE_TIMEOUT") // the "did you mean" for the misspelt variable
                .doesNotContain("s3cr3t-value")
                .doesNotContain("listening on");
    }

    @Test
    void check_config_prints_the_table_masked_and_exits_0() throws Exception {
        Process process = start(Map.of("PORT", "0", "ADMIN_PORT", "0", "ADMIN_TOKEN", "s3cr3t-value",
                "DATABASE_URL", "postgres://todo:db-s3cr3t@db.internal:5432/todo"), "--check-config");
        List<String> output = lines(process);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        Thread.sleep(200);
        String all = String.join("\n", output);
        assertThat(process.exitValue()).as(all).isZero();
        assertThat(all).contains("ADMIN_TOKEN", "WRITES_PER_MINUTE", "DATABASE_URL").doesNotContain("s3cr3t-value")
                .doesNotContain("db-s3cr3t");
    }

    @Test
    void the_admin_port_serves_metrics_health_and_in_flight_requests() throws Exception {
        Process process = start(Map.of("PORT", "0", "ADMIN_PORT", "0"));
        List<String> output = lines(process);
        try (HttpClient http = HttpClient.newHttpClient()) {
            int api = find(output, API, process);
            int admin = find(output, ADMIN, process);
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
        } finally {
            process.toHandle().destroy();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            process.destroyForcibly();
        }
    }

    private static HttpResponse<String> get(HttpClient http, int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
