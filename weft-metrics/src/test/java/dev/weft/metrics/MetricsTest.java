package dev.weft.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.response.Response;
import dev.weft.response.Status;
import dev.weft.routing.Router;
import dev.weft.server.InvalidConfigException;
import dev.weft.server.Server;
import dev.weft.test.TestClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The metrics layer on a real server, scraped over HTTP from a second server serving
 * {@code metrics.router()}: names, tags, buckets and counts as Prometheus sees them.
 */
class MetricsTest {
    private final CountDownLatch blocked = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private Metrics metrics;
    private TestClient app;
    private TestClient admin;

    private Router app(Metrics m) {
        return Router.builder()
                .layer(m.layer())
                .get("/users/{id}", dev.weft.extract.PathParam.string("id"), id -> "user " + id)
                .get("/boom", () -> {
                    throw new IllegalStateException("boom");
                })
                .get("/limited", () -> Response.text(Status.of(429), "slow down"))
                .get("/stream", () -> Response.stream("text/plain", out -> {
                    for (int i = 0; i < 5; i++) {
                        out.writeText("chunk " + i + "\n");
                        out.flush();
                        try {
                            Thread.sleep(20);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                    }
                }))
                .get("/endless", () -> Response.stream("text/plain", out -> {
                    byte[] chunk = new byte[16 * 1024];
                    while (true) { // until the client leaves and a write fails
                        out.write(chunk, 0, chunk.length);
                        out.flush();
                    }
                }))
                .get("/block", () -> {
                    blocked.countDown();
                    release.await(30, TimeUnit.SECONDS);
                    return "released";
                })
                .build();
    }

    private void start(Metrics m, Server.Builder options) {
        metrics = m;
        app = TestClient.start(app(m), options);
        m.bind(app.server());
        admin = TestClient.start(m.router());
    }

    private void start() {
        start(Metrics.builder().virtualThreadMetrics(false).build(), Server.builder());
    }

    @AfterEach
    void stop() {
        release.countDown();
        if (app != null) {
            app.close();
        }
        if (admin != null) {
            admin.close();
        }
        if (metrics != null) {
            metrics.close();
        }
    }

    private HttpResponse<String> call(String method, String path) {
        return Scrape.send(app.port(), method, path, null);
    }

    @Test
    void a_matched_request_is_recorded_under_its_route_template_with_the_otel_tags_and_buckets() throws Exception {
        start();
        for (int i = 0; i < 3; i++) {
            assertThat(call("GET", "/users/" + i).body()).isEqualTo("user " + i);
        }

        String scrape = Scrape.awaitContaining(admin.port(), "http_route=\"/users/{id}\"");

        String[] labels = {"http_route=\"/users/{id}\"", "http_request_method=\"GET\"", "url_scheme=\"http\"",
                "http_response_status_code=\"200\"", "network_protocol_version=\"1.1\""};
        assertThat(Scrape.value(scrape, "http_server_request_duration_seconds_count", labels)).isEqualTo(3);
        assertThat(Scrape.value(scrape, "http_server_request_duration_seconds_bucket", "le=\"+Inf\"", labels[0]))
                .isEqualTo(3);
        for (String le : new String[] {"0.005", "0.01", "0.025", "0.05", "0.075", "0.1", "0.25", "0.5", "0.75",
                "1.0", "2.5", "5.0", "7.5", "10.0"}) {
            assertThat(scrape).as("bucket %s", le).contains("le=\"" + le + "\"");
        }
        assertThat(scrape).as("no raw path").doesNotContain("/users/0").doesNotContain("/users/1");
        assertThat(scrape).as("no error.type on success")
                .doesNotContainPattern("http_server_request_duration_seconds_count\\{[^}]*error_type[^}]*status_code=\"200\"");
        assertThat(scrape).contains("# TYPE http_server_active_requests gauge");
    }

    @Test
    void an_unmatched_request_has_no_route_tag_and_never_its_raw_path() throws Exception {
        start();
        assertThat(call("GET", "/nope/secret-token-123").statusCode()).isEqualTo(404);

        String scrape = Scrape.awaitContaining(admin.port(), "http_response_status_code=\"404\"");

        assertThat(scrape).doesNotContain("secret-token-123").doesNotContain("/nope");
        for (String line : scrape.split("\n")) {
            if (line.contains("http_response_status_code=\"404\"")) {
                assertThat(line).doesNotContain("http_route");
            }
        }
    }

    @Test
    void an_unknown_method_is_recorded_as_other_and_a_known_one_by_name() throws Exception {
        start();
        call("PURGE", "/users/1");
        call("BREW", "/users/1");
        call("DELETE", "/users/1");

        String scrape = Scrape.awaitContaining(admin.port(), "http_request_method=\"_OTHER\"",
                "http_request_method=\"DELETE\"");

        assertThat(scrape).doesNotContain("PURGE").doesNotContain("BREW");
        assertThat(Scrape.value(scrape, "http_server_request_duration_seconds_count",
                "http_request_method=\"_OTHER\"")).isEqualTo(2);
    }

    @Test
    void a_failing_handler_is_recorded_with_status_500_and_an_error_type() throws Exception {
        start();
        assertThat(call("GET", "/boom").statusCode()).isEqualTo(500);

        String scrape = Scrape.awaitContaining(admin.port(), "http_response_status_code=\"500\"");

        assertThat(Scrape.value(scrape, "http_server_request_duration_seconds_count",
                "http_route=\"/boom\"", "http_response_status_code=\"500\"", "error_type=")).isEqualTo(1);
    }

    @Test
    void a_streamed_body_is_timed_to_its_last_byte() throws Exception {
        start();
        HttpResponse<String> response = call("GET", "/stream");
        assertThat(response.body()).contains("chunk 4");

        String scrape = Scrape.awaitContaining(admin.port(), "http_route=\"/stream\"");

        double seconds = Scrape.value(scrape, "http_server_request_duration_seconds_sum", "http_route=\"/stream\"");
        // Five chunks 20 ms apart: recorded when the head went out, it would be near zero.
        assertThat(seconds).isGreaterThanOrEqualTo(0.08);
        assertThat(Scrape.value(scrape, "http_server_request_duration_seconds_bucket",
                "http_route=\"/stream\"", "le=\"0.075\"")).isZero();
    }

    @Test
    void a_client_that_leaves_mid_stream_is_recorded_with_error_type_aborted() throws Exception {
        start();
        try (Socket socket = new Socket("127.0.0.1", app.port())) {
            socket.getOutputStream().write("GET /endless HTTP/1.1\r\nhost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            socket.getInputStream().readNBytes(4096); // the head and some of the body went out
            socket.setSoLinger(true, 0); // a reset, not a polite close
        }

        String scrape = Scrape.awaitContaining(admin.port(), "error_type=\"aborted\"");

        assertThat(Scrape.value(scrape, "http_server_request_duration_seconds_count",
                "http_route=\"/endless\"", "error_type=\"aborted\"")).isEqualTo(1);
    }

    @Test
    void active_requests_count_a_request_while_its_handler_runs() throws Exception {
        start();
        Thread caller = Thread.ofVirtual().start(() -> call("GET", "/block"));
        assertThat(blocked.await(10, TimeUnit.SECONDS)).isTrue();

        String scrape = Scrape.awaitContaining(admin.port(), "http_server_active_requests{");

        assertThat(Scrape.value(scrape, "http_server_active_requests", "http_request_method=\"GET\"",
                "url_scheme=\"http\"")).isEqualTo(1);
        release.countDown();
        caller.join(10_000);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (Scrape.value(Scrape.text(admin.port()), "http_server_active_requests",
                "http_request_method=\"GET\"") != 0 && System.nanoTime() - end < 0) {
            Thread.sleep(20);
        }
        assertThat(Scrape.value(Scrape.text(admin.port()), "http_server_active_requests",
                "http_request_method=\"GET\"")).isZero();
    }

    @Test
    void the_scrape_is_prometheus_text_by_default_and_openmetrics_when_asked() throws Exception {
        start();
        call("GET", "/users/1");
        Scrape.awaitContaining(admin.port(), "http_route=\"/users/{id}\"");

        HttpResponse<String> plain = Scrape.get(admin.port(), "/metrics", null);
        HttpResponse<String> wildcard = Scrape.get(admin.port(), "/metrics", "*/*");
        // What Prometheus 2.x/3.x sends: OpenMetrics preferred over the text format.
        HttpResponse<String> open = Scrape.get(admin.port(), "/metrics",
                "application/openmetrics-text;version=1.0.0;q=0.5,text/plain;version=0.0.4;q=0.4,*/*;q=0.1");
        HttpResponse<String> textPreferred = Scrape.get(admin.port(), "/metrics",
                "application/openmetrics-text;q=0.2,text/plain;q=0.9");
        HttpResponse<String> malformed = Scrape.get(admin.port(), "/metrics", "application/openmetrics-text;q=abc");

        assertThat(plain.headers().firstValue("content-type")).hasValue(Metrics.PROMETHEUS_TEXT);
        assertThat(plain.body()).doesNotContain("# EOF");
        assertThat(wildcard.headers().firstValue("content-type")).hasValue(Metrics.PROMETHEUS_TEXT);
        assertThat(open.headers().firstValue("content-type")).hasValue(Metrics.OPENMETRICS_TEXT);
        assertThat(open.body()).endsWith("# EOF\n").contains("http_server_request_duration_seconds_bucket{");
        assertThat(textPreferred.headers().firstValue("content-type")).hasValue(Metrics.PROMETHEUS_TEXT);
        assertThat(malformed.headers().firstValue("content-type")).hasValue(Metrics.PROMETHEUS_TEXT);
    }

    @Test
    void jvm_virtual_thread_netty_and_build_info_meters_are_bound_by_default() throws Exception {
        start(Metrics.create(), Server.builder());

        String scrape = Scrape.text(admin.port());

        assertThat(scrape).contains("jvm_memory_used_bytes", "jvm_gc_", "jvm_threads_live_threads",
                "jvm_classes_loaded_classes", "system_cpu_count", "process_uptime_seconds",
                "jvm_threads_virtual_", "netty_allocator_memory_used", "weft_build_info{");
        assertThat(Scrape.value(scrape, "weft_build_info",
                "java_version=\"" + Runtime.version() + "\"")).isEqualTo(1);
        assertThat(scrape).doesNotContain("version=\"unknown\"");
    }

    @Test
    void the_cardinality_guard_folds_route_values_past_the_cap_into_other() throws Exception {
        Metrics m = Metrics.builder().maxTagValues("http.server.", "http.route", 2).jvmMetrics(false)
                .virtualThreadMetrics(false).nettyMetrics(false).build();
        start(m, Server.builder());
        call("GET", "/users/1");
        Scrape.awaitContaining(admin.port(), "http_route=\"/users/{id}\"");
        call("GET", "/limited");
        Scrape.awaitContaining(admin.port(), "http_route=\"/limited\"");
        call("GET", "/boom");
        call("GET", "/stream");

        String scrape = Scrape.awaitContaining(admin.port(), "http_route=\"_OTHER\"");

        assertThat(scrape).doesNotContain("http_route=\"/boom\"").doesNotContain("http_route=\"/stream\"");
        assertThat(Scrape.value(scrape, "http_server_request_duration_seconds_count",
                "http_route=\"_OTHER\"", "http_response_status_code=\"200\"")).isEqualTo(1);
    }

    @Test
    void engine_counters_show_open_connections_and_refusals_for_431_503_and_429() throws Exception {
        start(Metrics.builder().jvmMetrics(false).virtualThreadMetrics(false).nettyMetrics(false).build(),
                Server.builder().maxHeaderBytes(1024).maxInFlight(1).ioThreads(1));
        try (Socket open = new Socket("127.0.0.1", app.port())) {
            exchange(open, "GET /users/1 HTTP/1.1\r\nhost: x\r\n\r\n");
            String scrape = Scrape.text(admin.port());
            assertThat(Scrape.value(scrape, "weft_server_connections_active", "protocol=\"h1\""))
                    .isGreaterThanOrEqualTo(1);
            assertThat(Scrape.value(scrape, "weft_server_connections_active", "protocol=\"h2\"")).isZero();
        }

        try (Socket big = new Socket("127.0.0.1", app.port())) {
            String status = exchange(big, "GET /users/1 HTTP/1.1\r\nhost: x\r\nx-big: " + "a".repeat(4000) + "\r\n\r\n");
            assertThat(status).startsWith("HTTP/1.1 431");
        }

        Thread blocker = Thread.ofVirtual().start(() -> call("GET", "/block"));
        assertThat(blocked.await(10, TimeUnit.SECONDS)).isTrue();
        try (Socket shed = new Socket("127.0.0.1", app.port())) {
            assertThat(exchange(shed, "GET /users/1 HTTP/1.1\r\nhost: x\r\n\r\n")).startsWith("HTTP/1.1 503");
        }
        release.countDown();
        blocker.join(10_000);
        assertThat(call("GET", "/limited").statusCode()).isEqualTo(429);

        String scrape = Scrape.awaitContaining(admin.port(), "http_route=\"/limited\"");
        assertThat(Scrape.value(scrape, "weft_server_requests_refused_total", "reason=\"header_too_large\""))
                .isEqualTo(1);
        assertThat(Scrape.value(scrape, "weft_server_requests_refused_total", "reason=\"overload\"")).isEqualTo(1);
        assertThat(Scrape.value(scrape, "weft_server_requests_refused_total", "reason=\"rate_limited\""))
                .isEqualTo(1);
        assertThat(Scrape.value(scrape, "weft_server_requests_refused_total", "reason=\"head_timeout\"")).isZero();
        assertThat(Scrape.value(scrape, "weft_websocket_sessions_active")).isZero();
        assertThat(Scrape.value(scrape, "weft_sse_streams_active")).isZero();
    }

    @Test
    void http2_requests_are_tagged_protocol_version_2_and_counted_as_h2_connections() throws Exception {
        metrics = Metrics.builder().jvmMetrics(false).virtualThreadMetrics(false).nettyMetrics(false).build();
        app = TestClient.startHttp2(app(metrics));
        metrics.bind(app.server());
        admin = TestClient.start(metrics.router());

        assertThat(app.request(dev.weft.http.Method.GET, "/users/5").send().status()).isEqualTo(200);

        String scrape = Scrape.awaitContaining(admin.port(), "network_protocol_version=\"2\"");
        assertThat(Scrape.value(scrape, "weft_server_connections_active", "protocol=\"h2\""))
                .isGreaterThanOrEqualTo(1);
    }

    @Test
    void a_registry_without_prometheus_cannot_serve_a_scrape_and_bad_options_are_all_reported() {
        try (Metrics simple = Metrics.builder().registry(new SimpleMeterRegistry()).virtualThreadMetrics(false)
                .build()) {
            assertThatThrownBy(simple::router).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("PrometheusMeterRegistry");
        }
        assertThatThrownBy(() -> Metrics.builder().maxTagValues("http.", "http.route", 0).path("metrics")
                .commonTag(" ", "x").build())
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> assertThat(e.problems()).hasSize(3));
    }

    @Test
    void negotiation_handles_every_shape_of_accept_header() {
        assertThat(Metrics.negotiate("")).isEqualTo(Metrics.PROMETHEUS_TEXT);
        assertThat(Metrics.negotiate("application/openmetrics-text")).isEqualTo(Metrics.OPENMETRICS_TEXT);
        assertThat(Metrics.negotiate("APPLICATION/OpenMetrics-Text; version=1.0.0")).isEqualTo(Metrics.OPENMETRICS_TEXT);
        assertThat(Metrics.negotiate("application/openmetrics-text;q=0")).isEqualTo(Metrics.PROMETHEUS_TEXT);
        assertThat(Metrics.negotiate("application/openmetrics-text;q=2")).isEqualTo(Metrics.PROMETHEUS_TEXT);
        assertThat(Metrics.negotiate("application/openmetrics-text;q=NaN")).isEqualTo(Metrics.PROMETHEUS_TEXT);
        assertThat(Metrics.negotiate(",,;;,q=")).isEqualTo(Metrics.PROMETHEUS_TEXT);
        assertThat(Metrics.negotiate("text/html, application/json")).isEqualTo(Metrics.PROMETHEUS_TEXT);
    }

    /** Sends {@code request} and returns the status line of the answer. */
    private static String exchange(Socket socket, String request) throws Exception {
        socket.setSoTimeout(10_000);
        OutputStream out = socket.getOutputStream();
        out.write(request.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = socket.getInputStream();
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            line.append((char) c);
        }
        in.readNBytes(in.available());
        return line.toString().trim();
    }
}
