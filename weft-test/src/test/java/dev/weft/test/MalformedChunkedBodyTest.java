package dev.weft.test;

import static dev.weft.test.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.extract.Body;
import dev.weft.routing.Router;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Malformed chunked request bodies (issue #8, class 2): whatever breaks the chunked framing, the
 * request gets exactly one 400 problem and the connection closes; the handler reading the body
 * never adds a second answer. Valid chunk extensions are accepted and ignored.
 */
class MalformedChunkedBodyTest {
    private static TestClient client;

    @BeforeAll
    static void start() {
        client = TestClient.start(Router.builder()
                .get("/", () -> "root")
                .post("/echo", Body.bytes(), bytes -> bytes)
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

    private static String chunked(String body) {
        return RawHttp.request("POST", "/echo", "HTTP/1.1", "Transfer-Encoding: chunked") + body;
    }

    private static void assertOneProblemThenClose(String request) throws Exception {
        try (RawHttp connection = RawHttp.connect(client.port())) {
            RawHttp.Response response = connection.send(request).read();

            assertProblem(response, 400);
            assertThat(response.connectionHas("close")).as("connection header of %s", response).isTrue();
            assertThat(connection.closedByServer()).isTrue();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"0x5", "+5", "-5", "5_0", "g", "", " 5", "5 5", "100000000", "ffffffffffffffff",
            "80000000", "5\u0000"})
    void a_malformed_chunk_size_gets_one_400_and_the_connection_is_closed(String size) throws Exception {
        assertOneProblemThenClose(chunked(size + "\r\nhello\r\n0\r\n\r\n"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"5;", "5; ", "5;=x", "5;a=", "5;a=\"open", "5;a b", "5;a=b c", "5;a\u0001", "5;a=\u00e9",
            "5;;", "5;a,b", "5;a=\"x\"y"})
    void an_invalid_chunk_extension_gets_one_400_and_the_connection_is_closed(String line) throws Exception {
        assertOneProblemThenClose(chunked(line + "\r\nhello\r\n0\r\n\r\n"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"5;a", "5;a=b", "5;a=\"q s\"", "5 ;a", "5; a", "5;a = b", "5;a=b;c=\"\\\"\";d", "5\t;a"})
    void a_valid_chunk_extension_is_ignored(String line) throws Exception {
        try (RawHttp connection = RawHttp.connect(client.port())) {
            RawHttp.Response response = connection.send(chunked(line + "\r\nhello\r\n0\r\n\r\n")).read();

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.text()).isEqualTo("hello");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"5\nhello\n0\n\n", "5\rhello\r0\r\r", "5\r\nhello\n0\r\n\r\n", "5\r\nhello\r\n0\n\n",
            "5\r\nhello\r\n0\r\n\n"})
    void bare_lf_or_cr_line_ends_get_one_400_and_the_connection_is_closed(String body) throws Exception {
        assertOneProblemThenClose(chunked(body));
    }

    @ParameterizedTest
    @ValueSource(strings = {"3\r\nhello\r\n0\r\n\r\n", "5\r\nhelloXX\r\n0\r\n\r\n", "5\r\nhello0\r\n\r\n"})
    void chunk_data_longer_than_its_size_gets_one_400_and_the_connection_is_closed(String body) throws Exception {
        assertOneProblemThenClose(chunked(body));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0\r\nno colon\r\n\r\n", "0\r\n: empty\r\n\r\n", "0\r\nbad name: x\r\n\r\n"})
    void a_malformed_trailer_gets_one_400_and_the_connection_is_closed(String body) throws Exception {
        assertOneProblemThenClose(chunked("5\r\nhello\r\n" + body));
    }

    @Test
    void a_malformed_chunk_after_a_pipelined_request_answers_that_request_then_one_400() throws Exception {
        try (RawHttp connection = RawHttp.connect(client.port())) {
            connection.send(RawHttp.get("/") + chunked("5;\r\nhello\r\n0\r\n\r\n"));

            assertThat(connection.read().text()).isEqualTo("root");
            assertProblem(connection.read(), 400);
            assertThat(connection.closedByServer()).isTrue();
        }
    }

    @Test
    void a_valid_trailer_is_accepted() throws Exception {
        try (RawHttp connection = RawHttp.connect(client.port())) {
            RawHttp.Response response = connection.send(chunked("5\r\nhello\r\n0\r\nx-check: 1\r\n\r\n")).read();

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.text()).isEqualTo("hello");
        }
    }
}
