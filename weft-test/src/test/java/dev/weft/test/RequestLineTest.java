package dev.weft.test;

import static dev.weft.test.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.extract.PathParam;
import dev.weft.routing.Router;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The HTTP/1.1 request line (issue #8, class 3; RFC 9112 §3): {@code method SP target SP
 * HTTP/DIGIT.DIGIT}, one SP between the parts, a target of visible ASCII only and a
 * case-sensitive version. Anything else is one 400 problem and a close; the server serves the
 * next connection. {@code OPTIONS *} asks about the server as a whole: 204 with its Allow.
 */
class RequestLineTest {
    private static TestClient client;

    @BeforeAll
    static void start() {
        client = TestClient.start(Router.builder()
                .get("/", () -> "root")
                .get("/a/{x}", PathParam.string("x"), x -> x)
                .post("/a/{x}", () -> "posted")
                .delete("/d", () -> "deleted")
                .build());
    }

    @AfterAll
    static void stop() {
        client.close();
    }

    @AfterEach
    void the_server_still_serves() throws Exception {
        try (RawHttp connection = RawHttp.connect(client.port())) {
            assertThat(connection.send(RawHttp.get("/")).read().text()).isEqualTo("root");
        }
    }

    private static void assertRefusedAndClosed(String requestLine) throws Exception {
        try (RawHttp connection = RawHttp.connect(client.port())) {
            RawHttp.Response response = connection.send(requestLine + "\r\nHost: 127.0.0.1\r\n\r\n").read();

            assertProblem(response, 400);
            assertThat(connection.closedByServer()).as("closed after %s", response).isTrue();
        }
    }

    // ISO-8859-1 on the wire: each char below is one byte.
    @ParameterizedTest
    @ValueSource(strings = {"/a\u0000b", "/a\tb", "/a\u0001b", "/a\u001fb", "/a\u007fb", "/a\u0080b", "/a\u00ffb",
            "/caf\u00c3\u00a9", "/a\u000bb", "/a\u000cb", "/\u0000"})
    void a_target_with_a_control_or_non_ascii_byte_gets_400_and_a_close(String target) throws Exception {
        assertRefusedAndClosed("GET " + target + " HTTP/1.1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET  / HTTP/1.1", "GET /  HTTP/1.1", "GET\t/ HTTP/1.1", "GET /\tHTTP/1.1",
            "GET / HTTP/1.1 ", "GET / HTTP/1.1\t", " GET / HTTP/1.1", "GET /", "GET / HTTP/1.1 x",
            "GET\u000b/ HTTP/1.1", "GET /\u000cHTTP/1.1", "\tGET / HTTP/1.1", "\u0000GET / HTTP/1.1",
            "\r\n GET / HTTP/1.1", "\u000bGET / HTTP/1.1"})
    void a_request_line_not_separated_by_single_spaces_gets_400_and_a_close(String line) throws Exception {
        assertRefusedAndClosed(line);
    }

    @ParameterizedTest
    @ValueSource(strings = {"http/1.1", "Http/1.1", "HTTP/1.1x", "HTTP/1", "HTTP/11", "HTTP/1.", "HTTP/.1", "HTTP/a.b",
            "HTTP1.1", "HTTP /1.1", "HTTP/1,1", "HTTP/01.1", "HTTP/1.1.1", "HTTP/\u00b9.1"})
    void an_http_version_other_than_http_digit_dot_digit_gets_400_and_a_close(String version) throws Exception {
        assertRefusedAndClosed("GET / " + version);
    }

    @Test
    void a_valid_request_line_with_every_visible_ascii_character_in_its_target_is_served() throws Exception {
        try (RawHttp connection = RawHttp.connect(client.port())) {
            RawHttp.Response response = connection.send(RawHttp.get("/a/!$&'()*+,;=:@-._~%20?q=\"<>[]^`{|}\\#"))
                    .read();

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.text()).isEqualTo("!$&'()*+,;=:@-._~ ");
        }
    }

    @Test
    void empty_lines_before_a_request_line_are_ignored() throws Exception {
        try (RawHttp connection = RawHttp.connect(client.port())) {
            assertThat(connection.send("\r\n\r\n" + RawHttp.get("/")).read().text()).isEqualTo("root");
            assertThat(connection.send("\r\n" + RawHttp.get("/")).read().text()).as("between requests").isEqualTo("root");
        }
    }

    @Test
    void white_space_before_a_pipelined_request_line_gets_400_after_the_first_answer() throws Exception {
        try (RawHttp connection = RawHttp.connect(client.port())) {
            connection.send(RawHttp.get("/") + " " + RawHttp.get("/"));

            assertThat(connection.read().text()).isEqualTo("root");
            assertProblem(connection.read(), 400);
            assertThat(connection.closedByServer()).isTrue();
        }
    }

    @Test
    void options_star_gets_204_with_every_method_the_server_routes() throws Exception {
        try (RawHttp connection = RawHttp.connect(client.port())) {
            RawHttp.Response response = connection.send(RawHttp.request("OPTIONS", "*", "HTTP/1.1")).read();

            assertThat(response.status()).isEqualTo(204);
            assertThat(allowed(response.header("allow").orElseThrow()))
                    .containsExactlyInAnyOrder("GET", "HEAD", "POST", "DELETE", "OPTIONS");
            assertThat(response.body()).isEmpty();
            assertThat(connection.send(RawHttp.get("/")).read().text()).as("the connection goes on").isEqualTo("root");
        }
    }

    @Test
    void options_star_over_http_1_0_gets_204_too() throws Exception {
        try (RawHttp connection = RawHttp.connect(client.port())) {
            RawHttp.Response response = connection.send("OPTIONS * HTTP/1.0\r\n\r\n").read();

            assertThat(response.status()).isEqualTo(204);
            assertThat(response.header("allow")).isPresent();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET", "POST", "HEAD", "DELETE"})
    void an_asterisk_target_with_a_method_other_than_options_gets_400(String method) throws Exception {
        try (RawHttp connection = RawHttp.connect(client.port())) {
            String request = method.equals("POST")
                    ? RawHttp.request(method, "*", "HTTP/1.1", "Content-Length: 0")
                    : RawHttp.request(method, "*", "HTTP/1.1");
            RawHttp.Response response = connection.send(request).read(method.equals("HEAD"));

            assertThat(response.status()).isEqualTo(400);
        }
    }

    @Test
    void options_star_over_http_2_gets_204_with_allow() throws Exception {
        try (RawHttp2 connection = RawHttp2.connect(client.port())) {
            RawHttp2.Response response = connection.headers(1, RawHttp2.request("OPTIONS", "*"), true).response(1);

            assertThat(response.status()).isEqualTo(204);
            assertThat(allowed(response.toTestResponse().header("allow").orElseThrow()))
                    .containsExactlyInAnyOrder("GET", "HEAD", "POST", "DELETE", "OPTIONS");
        }
    }

    private static List<String> allowed(String allow) {
        return Arrays.stream(allow.split(",")).map(String::trim).toList();
    }
}
