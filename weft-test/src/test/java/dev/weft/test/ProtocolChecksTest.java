package dev.weft.test;

import static dev.weft.test.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.extract.Body;
import dev.weft.routing.Router;
import dev.weft.server.Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Requests that parse but ask for what an HTTP/1.1 server must not or cannot do: another
 * protocol version, an unknown expectation, an unsupported or ambiguous transfer-coding, a
 * content-length that is not a number. Each is answered with a problem and the connection is
 * closed (the rest of the stream cannot be trusted); the server then serves new connections
 * (checked after every test).
 *
 * <p>Some of these never reach Weft's own checks: Netty's decoder refuses them first and Weft
 * answers its generic 400 ("the request is not valid HTTP/1.1"). Where that is so, the test
 * says which layer answers; the status and the close are asserted either way.
 */
class ProtocolChecksTest {
    private static TestClient client;

    @BeforeAll
    static void start() {
        Router app = Router.builder()
                .get("/", () -> "root")
                .post("/echo", Body.bytes(), bytes -> bytes)
                .build();
        client = TestClient.start(app);
    }

    @AfterAll
    static void stop() {
        client.close();
    }

    @AfterEach
    void a_new_connection_is_served() throws Exception {
        try (RawHttp connection = RawHttp.connect(client.port())) {
            RawHttp.Response response = connection.send(RawHttp.get("/")).read();

            assertThat(response.status()).as("a new connection after the test: %s", response).isEqualTo(200);
            assertThat(response.text()).isEqualTo("root");
        }
    }

    @Test
    void an_http_2_0_request_line_on_http_1_framing_gets_505_and_the_connection_is_closed() throws Exception {
        // Netty's decoder accepts any "<name>/<digit>.<digit>" version, so "HTTP/2.0" reaches Weft,
        // which refuses every major version but 1 with 505. (A version without a minor digit,
        // "HTTP/2", fails in the decoder instead: see the next test.)
        try (RawHttp connection = RawHttp.connect(client.port())) {
            RawHttp.Response response = connection.send("GET / HTTP/2.0\r\nHost: x\r\n\r\n").read();

            assertProblem(response, 505);
            assertThat(response.version()).isEqualTo("HTTP/1.1");
            assertThat(response.connectionHas("close")).as("connection header of %s", response).isTrue();
            assertThat(connection.closedByServer()).isTrue();
        }
    }

    @Test
    void with_http_2_off_the_http_2_connection_preface_gets_505_and_the_connection_is_closed() throws Exception {
        // A prior-knowledge HTTP/2 client starts with "PRI * HTTP/2.0"; it must not be mistaken for HTTP/1.
        // (With HTTP/2 on, the default, the preface starts an HTTP/2 connection: see Http2Test.)
        Router app = Router.builder().get("/", () -> "root").build();
        try (TestClient http1Only = TestClient.start(app, Server.builder().http2(false));
                RawHttp connection = RawHttp.connect(http1Only.port())) {
            RawHttp.Response response = connection.send("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n").read();

            assertProblem(response, 505);
            assertThat(connection.closedByServer()).isTrue();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"HTTP/2", "HTTP/1.10", "HTTPS/1.1"})
    void a_malformed_protocol_version_gets_400_from_the_decoder_and_the_connection_is_closed(String version)
            throws Exception {
        try (RawHttp connection = RawHttp.connect(client.port())) {
            RawHttp.Response response = connection.send("GET / " + version + "\r\nHost: x\r\n\r\n").read();

            assertProblem(response, 400);
            assertThat(connection.closedByServer()).isTrue();
        }
    }

    @Test
    void an_http_1_2_request_is_served_and_answered_as_http_1_1() throws Exception {
        // RFC 9110 section 6.2: a recipient treats a higher minor version as the highest it
        // supports, and a server must not send a version it does not conform to: HTTP/1.1.
        try (RawHttp connection = RawHttp.connect(client.port())) {
            RawHttp.Response response = connection.send("GET / HTTP/1.2\r\nHost: x\r\n\r\n").read();

            assertThat(response.status()).as("status of %s", response).isEqualTo(200);
            assertThat(response.text()).isEqualTo("root");
            assertThat(response.version()).as("the status line's version").isEqualTo("HTTP/1.1");
        }
    }

    @Test
    void an_unknown_expectation_gets_417_and_the_connection_is_closed() throws Exception {
        try (RawHttp connection = RawHttp.connect(client.port())) {
            RawHttp.Response response = connection.send(RawHttp.get("/", "Expect: something")).read();

            assertProblem(response, 417);
            assertThat(response.connectionHas("close")).as("connection header of %s", response).isTrue();
            assertThat(connection.closedByServer()).isTrue();
        }
    }

    @Test
    void a_transfer_coding_other_than_chunked_gets_501_and_the_connection_is_closed() throws Exception {
        // "gzip, chunked" is framed by chunked (the decoder accepts it), but the body would then
        // need gzip decoding, which Weft does not do.
        String request = RawHttp.request("POST", "/echo", "HTTP/1.1", "Transfer-Encoding: gzip, chunked")
                + "5\r\nhello\r\n0\r\n\r\n";
        try (RawHttp connection = RawHttp.connect(client.port())) {
            RawHttp.Response response = connection.send(request).read();

            assertProblem(response, 501);
            assertThat(response.connectionHas("close")).as("connection header of %s", response).isTrue();
            assertThat(connection.closedByServer()).isTrue();
        }
    }

    @Test
    void a_transfer_coding_without_chunked_last_gets_400_and_the_connection_is_closed() throws Exception {
        // RFC 9112 section 6.3: a request whose final coding is not chunked has no reliable length:
        // 400 and close. Netty's decoder refuses it before Weft's 501 check.
        try (RawHttp connection = RawHttp.connect(client.port())) {
            RawHttp.Response response = connection
                    .send(RawHttp.request("POST", "/echo", "HTTP/1.1", "Transfer-Encoding: gzip") + "hello").read();

            assertProblem(response, 400);
            assertThat(connection.closedByServer()).isTrue();
        }
    }

    @Test
    void two_transfer_encoding_headers_get_400_and_the_connection_is_closed() throws Exception {
        // Answered by Netty's decoder, which refuses a repeated transfer-encoding header before
        // Weft's own "exactly one transfer-encoding header" check would.
        String request = RawHttp.request("POST", "/echo", "HTTP/1.1", "Transfer-Encoding: chunked",
                "Transfer-Encoding: chunked") + "5\r\nhello\r\n0\r\n\r\n";
        try (RawHttp connection = RawHttp.connect(client.port())) {
            RawHttp.Response response = connection.send(request).read();

            assertProblem(response, 400);
            assertThat(response.connectionHas("close")).as("connection header of %s", response).isTrue();
            assertThat(connection.closedByServer()).isTrue();
        }
    }

    @Test
    void an_http_1_0_request_with_transfer_encoding_chunked_gets_400_and_the_connection_is_closed()
            throws Exception {
        // RFC 9112 section 6.1: transfer-encoding in an HTTP/1.0 message is a framing fault.
        // Netty's decoder refuses it before Weft's own check would.
        String request = RawHttp.request("POST", "/echo", "HTTP/1.0", "Transfer-Encoding: chunked")
                + "5\r\nhello\r\n0\r\n\r\n";
        try (RawHttp connection = RawHttp.connect(client.port())) {
            RawHttp.Response response = connection.send(request).read();

            assertProblem(response, 400);
            assertThat(response.connectionHas("close")).as("connection header of %s", response).isTrue();
            assertThat(connection.closedByServer()).isTrue();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "+5", "-1", "0x5", "5, 6", "", "99999999999999999999"})
    void an_invalid_content_length_gets_400_and_the_connection_is_closed(String value) throws Exception {
        // RFC 9110 section 8.6: content-length is 1*DIGIT. "+5" would parse with Long.parseLong;
        // it must not be taken for 5. Netty's decoder refuses all of these.
        String request = RawHttp.request("POST", "/echo", "HTTP/1.1", "Content-Length: " + value) + "hello";
        try (RawHttp connection = RawHttp.connect(client.port())) {
            RawHttp.Response response = connection.send(request).read();

            assertProblem(response, 400);
            assertThat(response.connectionHas("close")).as("connection header of %s", response).isTrue();
            assertThat(connection.closedByServer()).isTrue();
        }
    }
}
