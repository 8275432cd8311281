package dev.weft.test;

import static dev.weft.test.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.routing.Router;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The {@code Host} header (issue #8, class 4; RFC 9112 §3.2, RFC 3986 §3.2.2): exactly one
 * {@code host[:port]}, or empty. A list, userinfo, a path, query or fragment, a non-numeric or
 * over-long port, an unclosed IP literal, or a second Host line is a 400 problem.
 */
class HostHeaderTest {
    private static TestClient client;

    @BeforeAll
    static void start() {
        client = TestClient.start(Router.builder().get("/", () -> "root").build());
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

    private static RawHttp.Response send(String hostLines) throws Exception {
        try (RawHttp connection = RawHttp.connect(client.port())) {
            return connection.send("GET / HTTP/1.1\r\n" + hostLines + "\r\n").read();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"a.example, b.example", "a.example,b.example", "user@a.example", "user:pw@a.example",
            "a.example/x", "a.example/", "a.example?q", "a.example#f", "a.example:abc", "a.example:80x",
            "a.example:123456", "a.example:-1", "a.example:+80", "[::1", "[::1]x", "[::1]:", "[::g]", "::1",
            ":80", "a example", "a\"b", "a<b>", "a.example:80:80", "[]", "a\\b", "a.example:"})
    void a_host_that_is_not_one_host_and_port_gets_400(String host) throws Exception {
        assertProblem(send("Host: " + host + "\r\n"), 400);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Host: a.example\r\nHost: a.example\r\n", "Host: a.example\r\nHost: b.example\r\n",
            "Host: a.example\r\nhost: \r\n", "Host: \r\nHost: \r\n"})
    void two_host_lines_get_400_even_when_they_agree(String lines) throws Exception {
        assertProblem(send(lines), 400);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a.example", "A.Example", "a.example:8080", "127.0.0.1", "127.0.0.1:1", "[::1]",
            "[::1]:65535", "[2001:db8::1]", "xn--caf-dma.example", "a-b_c~d", "sub.a.example.", "%41.example",
            "localhost:0"})
    void a_host_and_port_is_served(String host) throws Exception {
        RawHttp.Response response = send("Host: " + host + "\r\n");

        assertThat(response.status()).as("host %s", host).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Host:\r\n", "Host: \r\n", "Host:   \r\n"})
    void an_empty_host_is_served(String line) throws Exception {
        // RFC 9112 §3.2: a target without an authority is sent with an empty Host.
        assertThat(send(line).status()).isEqualTo(200);
    }
}
