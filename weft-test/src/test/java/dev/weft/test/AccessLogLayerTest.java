package dev.weft.test;

import static dev.weft.test.LogCapture.fields;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.weft.extract.PathParam;
import dev.weft.http.Method;
import dev.weft.middleware.AccessLog;
import dev.weft.middleware.RequestId;
import dev.weft.response.Response;
import dev.weft.response.Status;
import dev.weft.routing.Router;
import io.netty.handler.codec.http2.Http2Error;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class AccessLogLayerTest {
    private static final byte[] KIB = new byte[1024];

    static Stream<Named<Function<Router, Client>>> clients() {
        return Clients.both();
    }

    public record Todo(long id, String title) {}

    private static Router app(AccessLog log) {
        return Router.builder()
                .layer(RequestId.create())
                .layer(log)
                .get("/todos/{id}", PathParam.of("id", Long.class), id -> new Todo(id, "write tests"))
                .get("/bytes", () -> Response.bytes(new byte[1234]))
                .get("/stream", () -> Response.stream("application/octet-stream", out -> {
                    for (int i = 0; i < 100; i++) {
                        out.write(KIB); // 100 KiB: several chunks, sent chunked
                    }
                }))
                .get("/fail", () -> {
                    throw new IllegalStateException("boom");
                })
                .get("/teapot", () -> Response.text(Status.of(418), "short and stout"))
                .build();
    }

    private static final Router APP = app(AccessLog.builder()
            .requestHeaders("user-agent", "authorization", "x-api-key", "cookie")
            .sensitiveHeaders("x-api-key")
            .build());

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void one_line_per_request_names_the_route_template_status_bytes_and_request_id(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP); LogCapture log = new LogCapture("dev.weft.access")) {
            TestResponse response = client.request(Method.GET, "/todos/42").header("x-request-id", "log-1").send();
            ILoggingEvent line = only(log);
            Map<String, Object> f = fields(line);
            assertThat(f).containsEntry("method", "GET").containsEntry("route", "/todos/{id}")
                    .containsEntry("path", "/todos/42").containsEntry("status", 200)
                    .containsEntry("bytes", (long) response.bodyBytes().length)
                    .containsEntry("request_id", "log-1").containsEntry("client", "127.0.0.1")
                    .containsEntry("aborted", false).containsKeys("duration_ms", "head_ms", "protocol");
            assertThat((double) f.get("duration_ms")).isGreaterThanOrEqualTo((double) f.get("head_ms"));
            assertThat(line.getLevel()).isEqualTo(Level.INFO);
            assertThat(line.getFormattedMessage()).startsWith("GET /todos/42 → 200, " + response.bodyBytes().length
                    + " bytes in ").contains("route /todos/{id}", "id log-1", "client 127.0.0.1");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void bytes_count_the_body_of_byte_json_and_streamed_responses(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP); LogCapture log = new LogCapture("dev.weft.access")) {
            assertThat(client.get("/bytes").bodyBytes()).hasSize(1234);
            assertThat(fields(only(log))).containsEntry("bytes", 1234L);
        }
        try (Client client = clients.apply(APP); LogCapture log = new LogCapture("dev.weft.access")) {
            assertThat(client.get("/stream").bodyBytes()).hasSize(100 * 1024);
            assertThat(fields(only(log))).containsEntry("bytes", 100L * 1024).containsEntry("aborted", false);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void head_requests_log_no_body_bytes(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP); LogCapture log = new LogCapture("dev.weft.access")) {
            client.head("/bytes");
            assertThat(fields(only(log))).containsEntry("method", "HEAD").containsEntry("bytes", 0L);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void an_unmatched_request_has_no_route_and_a_4xx_is_info_a_5xx_warn(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP); LogCapture log = new LogCapture("dev.weft.access")) {
            assertThat(client.get("/no/such/page").status()).isEqualTo(404);
            ILoggingEvent miss = only(log);
            assertThat(fields(miss)).doesNotContainKey("route").containsEntry("status", 404);
            assertThat(miss.getLevel()).isEqualTo(Level.INFO);
            assertThat(miss.getFormattedMessage()).contains("(route none");
        }
        try (Client client = clients.apply(APP); LogCapture log = new LogCapture("dev.weft.access")) {
            assertThat(client.get("/fail").status()).isEqualTo(500);
            ILoggingEvent failure = only(log);
            assertThat(failure.getLevel()).isEqualTo(Level.WARN);
            assertThat(fields(failure)).containsEntry("status", 500).containsEntry("route", "/fail");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void sensitive_headers_are_redacted_and_others_logged_when_asked(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP); LogCapture log = new LogCapture("dev.weft.access")) {
            client.request(Method.GET, "/bytes").header("authorization", "Bearer s3cret-token")
                    .header("x-api-key", "s3cret-key").header("cookie", "sid=s3cret").header("user-agent", "probe/1.0")
                    .send();
            ILoggingEvent line = only(log);
            assertThat(fields(line)).containsEntry("header.authorization", "<redacted>")
                    .containsEntry("header.x-api-key", "<redacted>").containsEntry("header.cookie", "<redacted>")
                    .containsEntry("header.user-agent", "probe/1.0");
            assertThat(fields(line).toString() + line.getFormattedMessage()).doesNotContain("s3cret");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void hostile_paths_are_escaped_and_cut(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP); LogCapture log = new LogCapture("dev.weft.access")) {
            TestResponse response = Clients.rawGet(client, "/caf\u00e9/\u202e/%0d%0a");
            if (client instanceof TestClient network && !network.http2()) {
                assertThat(response.status()).isEqualTo(400); // HTTP/1.1 refuses raw non-ASCII before routing
                return;
            }
            String path = (String) fields(only(log)).get("path");
            assertThat(path).doesNotContain("\u202e").doesNotContain("\u00e9").contains("caf\\x").endsWith("/%0d%0a");
            assertThat(path).matches("[\\x20-\\x7e]+");
        }
        try (Client client = clients.apply(APP); LogCapture log = new LogCapture("dev.weft.access")) {
            client.get("/" + "a".repeat(4000));
            String path = (String) fields(only(log)).get("path");
            assertThat(path).hasSize(257).endsWith("…");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void successes_are_sampled_but_errors_never_are(Function<Router, Client> clients) {
        Router app = app(AccessLog.builder().sampleSuccess(3).build());
        try (Client client = clients.apply(app); LogCapture log = new LogCapture("dev.weft.access")) {
            for (int i = 0; i < 6; i++) {
                client.get("/bytes");
            }
            for (int i = 0; i < 4; i++) {
                client.get("/teapot");
            }
            log.awaitEvents(6);
            sleepBriefly();
            assertThat(requests(log)).extracting(e -> fields(e).get("status")).containsExactlyInAnyOrder(200, 200,
                    418, 418, 418, 418);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void levels_are_configurable_per_status_class(Function<Router, Client> clients) {
        Router app = app(AccessLog.builder().successLevel(AccessLog.Level.DEBUG).clientErrorLevel(AccessLog.Level.WARN)
                .serverErrorLevel(AccessLog.Level.ERROR).build());
        try (Client client = clients.apply(app); LogCapture log = new LogCapture("dev.weft.access")) {
            client.get("/bytes"); // DEBUG: below the capture's INFO
            client.get("/teapot");
            client.get("/fail");
            log.awaitEvents(2);
            sleepBriefly();
            assertThat(requests(log)).extracting(ILoggingEvent::getLevel).containsExactlyInAnyOrder(Level.WARN,
                    Level.ERROR);
        }
    }

    // ---------------------------------------------------------------- clients that leave

    private static final CountDownLatch NEVER = new CountDownLatch(1);

    private static Router endless() {
        return Router.builder()
                .layer(AccessLog.create())
                .get("/endless", () -> Response.stream("application/octet-stream", out -> {
                    for (int i = 0; i < 10_000; i++) {
                        out.write(new byte[16 * 1024]);
                        out.flush();
                        try {
                            Thread.sleep(5);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new java.io.InterruptedIOException();
                        }
                    }
                }))
                .get("/slow", () -> {
                    NEVER.await(2, TimeUnit.SECONDS);
                    return "late";
                })
                .build();
    }

    @Test
    void a_client_that_disconnects_mid_stream_over_http1_is_logged_as_aborted() throws Exception {
        try (TestClient client = TestClient.start(endless()); LogCapture log = new LogCapture("dev.weft.access")) {
            try (RawHttp connection = RawHttp.connect(client.port())) {
                connection.send(RawHttp.get("/endless"));
                connection.readHead();
                connection.readSome(new byte[32 * 1024]);
                connection.abort();
            }
            Map<String, Object> f = fields(only(log));
            assertThat(f).containsEntry("aborted", true).containsEntry("status", 200).containsEntry("route", "/endless");
            assertThat((long) f.get("bytes")).isLessThan(10_000L * 16 * 1024);
        }
    }

    @Test
    void a_client_that_resets_its_stream_mid_body_over_http2_is_logged_as_aborted() throws Exception {
        try (TestClient client = TestClient.startHttp2(endless()); LogCapture log = new LogCapture("dev.weft.access")) {
            try (RawHttp2 connection = RawHttp2.connect(client.port())) {
                connection.headers(1, RawHttp2.request("GET", "/endless"), true);
                connection.await(frame -> frame instanceof RawHttp2.DataFrame);
                connection.reset(1, Http2Error.CANCEL);
                Map<String, Object> f = fields(only(log));
                assertThat(f).containsEntry("aborted", true).containsEntry("status", 200);
            }
        }
    }

    @Test
    void a_client_that_leaves_before_the_handler_answers_is_logged_as_aborted_without_a_status() throws Exception {
        try (TestClient client = TestClient.start(endless()); LogCapture log = new LogCapture("dev.weft.access")) {
            try (RawHttp connection = RawHttp.connect(client.port())) {
                connection.send(RawHttp.get("/slow"));
                Thread.sleep(100);
                connection.abort();
            }
            Map<String, Object> f = fields(only(log));
            assertThat(f).containsEntry("aborted", true).containsEntry("status", 0).containsEntry("bytes", 0L);
        }
    }

    /** A handler that overruns the server's requestTimeout, then returns a streamed body anyway. */
    private static Router lateStream() {
        return Router.builder()
                .layer(AccessLog.create())
                .get("/late", () -> {
                    long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(600);
                    while (System.nanoTime() < until) {
                        Thread.onSpinWait(); // ignores the server's interrupt
                    }
                    return Response.stream("text/plain", out -> out.write(KIB));
                })
                .build();
    }

    @Test
    void the_servers_own_503_is_what_is_logged_when_a_late_handler_returns_a_stream_over_http1() {
        assertLateStreamLogged(TestClient.start(lateStream(),
                dev.weft.server.Server.builder().requestTimeout(java.time.Duration.ofMillis(200))));
    }

    @Test
    void the_servers_own_503_is_what_is_logged_when_a_late_handler_returns_a_stream_over_http2() {
        assertLateStreamLogged(TestClient.startHttp2(lateStream(),
                dev.weft.server.Server.builder().requestTimeout(java.time.Duration.ofMillis(200))));
    }

    private static void assertLateStreamLogged(TestClient started) {
        try (TestClient client = started; LogCapture log = new LogCapture("dev.weft.access")) {
            assertThat(client.get("/late").status()).isEqualTo(503);
            log.awaitEvents(1);
            try {
                Thread.sleep(700); // the handler returns its stream after the 503 was written
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            List<ILoggingEvent> lines = requests(log);
            assertThat(lines).hasSize(1);
            assertThat(fields(lines.getFirst())).containsEntry("status", 503).containsEntry("aborted", false);
        }
    }

    /** The one line logged (waiting for it: it is logged when the exchange ends, maybe after the client read it). */
    private static ILoggingEvent only(LogCapture log) {
        log.awaitEvents(1);
        sleepBriefly(); // a second line would be a bug
        List<ILoggingEvent> events = requests(log);
        assertThat(events).hasSize(1);
        return events.getFirst();
    }

    /** The lines logged, but for the HTTP/2 test client's own {@code OPTIONS} probe. */
    private static List<ILoggingEvent> requests(LogCapture log) {
        return log.events().stream().filter(e -> !"OPTIONS".equals(fields(e).get("method"))).toList();
    }

    private static void sleepBriefly() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
