package dev.weft.test;

import static dev.weft.test.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.routing.Router;
import dev.weft.server.Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Requests the decoder cannot accept are answered with a problem, then the connection is closed. */
class MalformedRequestTest {
    private static final Router APP = Router.builder()
            .get("/", () -> "root")
            .get("/{*rest}", () -> "caught")
            .build();
    private static TestClient client;

    @BeforeAll
    static void start() {
        client = TestClient.start(APP);
    }

    @AfterAll
    static void stop() {
        client.close();
    }

    @Test
    void a_garbage_request_line_gets_400_problem_and_the_connection_is_closed() throws Exception {
        try (RawHttp connection = RawHttp.connect(client.port())) {
            RawHttp.Response response = connection.send("this is not http at all\r\n\r\n").read();

            assertProblem(response, 400);
            assertThat(response.connectionHas("close")).isTrue();
            assertThat(connection.closedByServer()).isTrue();
        }
    }

    @Test
    void the_server_serves_new_connections_after_a_garbage_request() throws Exception {
        try (RawHttp bad = RawHttp.connect(client.port())) {
            assertThat(bad.send("\u0001\u0002\u0003 garbage\r\n\r\n").read().status()).isEqualTo(400);
        }
        try (RawHttp good = RawHttp.connect(client.port())) {
            RawHttp.Response response = good.send(RawHttp.get("/")).read();

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.text()).isEqualTo("root");
        }
    }

    @Test
    void a_request_line_longer_than_the_default_8192_bytes_gets_414() throws Exception {
        try (RawHttp connection = RawHttp.connect(client.port())) {
            RawHttp.Response response = connection.send(RawHttp.get("/" + "a".repeat(9_000))).read();

            assertProblem(response, 414);
            assertThat(response.connectionHas("close")).isTrue();
            assertThat(connection.closedByServer()).isTrue();
        }
    }

    @Test
    void a_long_request_line_within_the_limit_is_served() throws Exception {
        try (RawHttp connection = RawHttp.connect(client.port())) {
            RawHttp.Response response = connection.send(RawHttp.get("/" + "a".repeat(7_500))).read();

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.text()).isEqualTo("caught");
        }
    }

    @Test
    void a_header_block_larger_than_the_default_16384_bytes_gets_431() throws Exception {
        try (RawHttp connection = RawHttp.connect(client.port())) {
            RawHttp.Response response = connection.send(RawHttp.get("/", fillerHeaders(20, 1_000))).read();

            assertProblem(response, 431);
            assertThat(response.connectionHas("close")).isTrue();
            assertThat(connection.closedByServer()).isTrue();
        }
    }

    @Test
    void a_header_block_within_the_default_limit_is_served() throws Exception {
        try (RawHttp connection = RawHttp.connect(client.port())) {
            RawHttp.Response response = connection.send(RawHttp.get("/", fillerHeaders(12, 1_000))).read();

            assertThat(response.status()).isEqualTo(200);
        }
    }

    @Test
    void max_header_bytes_is_configurable() throws Exception {
        try (TestClient small = TestClient.start(APP, Server.builder().maxHeaderBytes(2_048))) {
            try (RawHttp connection = RawHttp.connect(small.port())) {
                assertThat(connection.send(RawHttp.get("/", fillerHeaders(1, 1_000))).read().status()).isEqualTo(200);
            }
            try (RawHttp connection = RawHttp.connect(small.port())) {
                RawHttp.Response response = connection.send(RawHttp.get("/", fillerHeaders(3, 1_000))).read();

                assertProblem(response, 431);
                assertThat(connection.closedByServer()).isTrue();
            }
        }
    }

    @Test
    void max_request_line_bytes_is_configurable() throws Exception {
        try (TestClient small = TestClient.start(APP, Server.builder().maxRequestLineBytes(512))) {
            try (RawHttp connection = RawHttp.connect(small.port())) {
                assertThat(connection.send(RawHttp.get("/" + "a".repeat(400))).read().status()).isEqualTo(200);
            }
            try (RawHttp connection = RawHttp.connect(small.port())) {
                RawHttp.Response response = connection.send(RawHttp.get("/" + "a".repeat(600))).read();

                assertProblem(response, 414);
                assertThat(connection.closedByServer()).isTrue();
            }
        }
    }

    @Test
    void a_non_numeric_content_length_gets_400_and_the_connection_is_closed() throws Exception {
        try (RawHttp connection = RawHttp.connect(client.port())) {
            RawHttp.Response response = connection
                    .send(RawHttp.request("POST", "/", "HTTP/1.1", "Content-Length: abc") + "abc").read();

            assertProblem(response, 400);
            assertThat(connection.closedByServer()).isTrue();
        }
    }

    @Test
    void conflicting_content_lengths_get_400_and_the_connection_is_closed() throws Exception {
        try (RawHttp connection = RawHttp.connect(client.port())) {
            RawHttp.Response response = connection
                    .send(RawHttp.request("POST", "/", "HTTP/1.1", "Content-Length: 5", "Content-Length: 6")
                            + "hello!")
                    .read();

            assertProblem(response, 400);
            assertThat(connection.closedByServer()).isTrue();
        }
    }

    @Test
    void transfer_encoding_together_with_content_length_gets_400_and_the_connection_is_closed() throws Exception {
        // A request-smuggling shape: the two framings disagree about where the next request starts.
        String request = RawHttp.request("POST", "/", "HTTP/1.1", "Content-Length: 5", "Transfer-Encoding: chunked")
                + "5\r\nhello\r\n0\r\n\r\n" + RawHttp.get("/smuggled");
        try (RawHttp connection = RawHttp.connect(client.port())) {
            RawHttp.Response response = connection.send(request).read();

            assertProblem(response, 400);
            assertThat(connection.closedByServer()).isTrue();
        }
    }

    @Test
    void an_http_1_1_request_without_host_gets_400() throws Exception {
        // RFC 9112 section 3.2: a server MUST answer 400 to an HTTP/1.1 request without Host.
        try (RawHttp connection = RawHttp.connect(client.port())) {
            RawHttp.Response response = connection.send("GET / HTTP/1.1\r\n\r\n").read();

            assertProblem(response, 400);
        }
    }

    @Test
    void an_http_1_1_request_with_two_host_headers_gets_400() throws Exception {
        // RFC 9112 section 3.2: a server MUST answer 400 to a request with more than one Host line.
        try (RawHttp connection = RawHttp.connect(client.port())) {
            RawHttp.Response response = connection.send("GET / HTTP/1.1\r\nHost: a.example\r\nHost: b.example\r\n\r\n")
                    .read();

            assertProblem(response, 400);
        }
    }

    @Test
    void an_http_1_0_request_without_host_is_served() throws Exception {
        try (RawHttp connection = RawHttp.connect(client.port())) {
            RawHttp.Response response = connection.send("GET / HTTP/1.0\r\n\r\n").read();

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.text()).isEqualTo("root");
        }
    }

    /** {@code count} headers {@code X-Filler-i} whose values are {@code valueLength} bytes each. */
    private static String[] fillerHeaders(int count, int valueLength) {
        String[] headers = new String[count];
        for (int i = 0; i < count; i++) {
            headers[i] = "X-Filler-" + i + ": " + "v".repeat(valueLength);
        }
        return headers;
    }
}
