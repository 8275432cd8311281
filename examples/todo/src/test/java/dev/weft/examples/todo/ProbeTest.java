package dev.weft.examples.todo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.response.Response;
import dev.weft.response.Status;
import dev.weft.routing.Router;
import dev.weft.server.RunningServer;
import dev.weft.server.Server;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The {@code probe} subcommand behind the Dockerfile's HEALTHCHECK: exit 0 on 2xx only. */
class ProbeTest {
    private static RunningServer server;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    @BeforeAll
    static void start() {
        Router router = Router.builder()
                .get("/ok", () -> Response.text("ok"))
                .get("/empty", Response::noContent)
                .get("/down", () -> Response.text(Status.SERVICE_UNAVAILABLE, "draining"))
                .get("/moved", () -> Response.of(Status.FOUND).withHeader("location", "/ok"))
                .get("/slow", () -> {
                    Thread.sleep(5_000);
                    return Response.text("late");
                })
                .build();
        server = Server.builder().host("127.0.0.1").port(0).build().serve(router);
    }

    @AfterAll
    static void stop() {
        server.close(Duration.ZERO);
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.port() + path;
    }

    private String output() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void a_200_is_healthy_and_exits_0() {
        assertThat(Probe.run(new String[] {url("/ok")}, out)).isZero();
        assertThat(output()).contains("-> 200 healthy");
    }

    @Test
    void any_2xx_is_healthy() {
        assertThat(Probe.run(new String[] {url("/empty"), "1s"}, out)).isZero();
    }

    @Test
    void a_503_is_unhealthy_and_exits_1() {
        assertThat(Probe.run(new String[] {url("/down")}, out)).isEqualTo(1);
        assertThat(output()).contains("-> 503 unhealthy");
    }

    @Test
    void a_redirect_is_not_followed_and_is_unhealthy() {
        assertThat(Probe.run(new String[] {url("/moved")}, out)).isEqualTo(1);
        assertThat(output()).contains("-> 302");
    }

    @Test
    void a_404_is_unhealthy() {
        assertThat(Probe.run(new String[] {url("/nowhere")}, out)).isEqualTo(1);
    }

    @Test
    void a_refused_connection_is_unhealthy() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        assertThat(Probe.run(new String[] {"http://127.0.0.1:" + closed + "/"}, out)).isEqualTo(1);
        assertThat(output()).contains("unhealthy");
    }

    @Test
    void a_server_that_never_answers_is_unhealthy_after_the_timeout() throws Exception {
        // Accepts the connection (the kernel's backlog does) and never writes a byte.
        try (ServerSocket silent = new ServerSocket(0)) {
            long start = System.nanoTime();
            int code = Probe.run(new String[] {"http://127.0.0.1:" + silent.getLocalPort() + "/", "300ms"}, out);
            assertThat(code).isEqualTo(1);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void a_slow_handler_is_unhealthy_after_the_timeout() {
        assertThat(Probe.run(new String[] {url("/slow"), "300ms"}, out)).isEqualTo(1);
        assertThat(output()).contains("unhealthy");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "not a url", "ftp://127.0.0.1/", "http:///nohost", "127.0.0.1:8080/"})
    void a_bad_url_exits_1_with_a_message(String url) {
        assertThat(Probe.run(new String[] {url}, out)).isEqualTo(1);
        assertThat(output()).startsWith("probe: ");
    }

    @ParameterizedTest
    @ValueSource(strings = {"2", "abc", "-1s", "0ms", "2m", "61s", "99999999999999999999s"})
    void a_bad_timeout_exits_1(String timeout) {
        assertThat(Probe.run(new String[] {url("/ok"), timeout}, out)).isEqualTo(1);
        assertThat(output()).contains("bad arguments");
    }

    @Test
    void no_argument_or_too_many_prints_the_usage_and_exits_1() {
        assertThat(Probe.run(new String[0], out)).isEqualTo(1);
        assertThat(Probe.run(new String[] {url("/ok"), "1s", "extra"}, out)).isEqualTo(1);
        assertThat(output()).contains("usage: probe URL");
    }

    @Test
    void durations_parse_seconds_and_milliseconds() {
        assertThat(Probe.duration("2s")).isEqualTo(Duration.ofSeconds(2));
        assertThat(Probe.duration("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThatThrownBy(() -> Probe.duration("1h")).isInstanceOf(IllegalArgumentException.class);
    }
}
