package dev.weft.test;

import static dev.weft.test.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.extract.Extract;
import dev.weft.routing.Router;
import dev.weft.server.Server;
import io.netty.handler.codec.http2.Http2Error;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Malformed HTTP/2 requests (RFC 9113 §8.2, §8.3.1) are never served: each gets
 * {@code RST_STREAM(PROTOCOL_ERROR)} or a 400 problem on its stream, the handler is not called,
 * and the connection goes on. Header blocks are written field by field
 * ({@link RawHttp2#literalBlock}), so order, case and repeats are exactly as sent (issue #8).
 */
class Http2MalformedRequestTest {
    private final AtomicInteger served = new AtomicInteger();
    private final List<AutoCloseable> open = new ArrayList<>();
    private RawHttp2 connection;

    private RawHttp2 connect(Server.Builder options) throws IOException {
        TestClient server = TestClient.start(Router.builder()
                .get("/", Extract.request(), request -> {
                    served.incrementAndGet();
                    return "root";
                })
                .build(), options);
        open.add(server);
        connection = RawHttp2.connect(server.port());
        open.add(connection);
        return connection;
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
    }

    /** Sends {@code fields} as stream 1 and asserts it is refused and that stream 3 is still served. */
    private void assertRefused(String... fields) throws IOException {
        if (connection == null) {
            connect(Server.builder());
        }
        RawHttp2.Response response = connection.headerBlock(1, RawHttp2.literalBlock(fields), true).response(1);
        if (response.resetCode() == null || response.status() != 0) {
            assertProblem(response.toTestResponse(), 400);
        } else {
            assertThat(response.resetCode()).as("%s", response).isEqualTo(Http2Error.PROTOCOL_ERROR.code());
        }
        assertThat(served).as("the malformed request reached the handler").hasValue(0);
        assertThat(connection.get(3, "/").response(3).text()).isEqualTo("root");
    }

    private static String[] valid(String... more) {
        String[] head = {":method", "GET", ":scheme", "http", ":path", "/", ":authority", "127.0.0.1"};
        String[] all = new String[head.length + more.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(more, 0, all, head.length, more.length);
        return all;
    }

    @Test
    void a_request_without_method_is_refused() throws IOException {
        assertRefused(":scheme", "http", ":path", "/", ":authority", "127.0.0.1");
    }

    @Test
    void a_request_without_scheme_is_refused() throws IOException {
        assertRefused(":method", "GET", ":path", "/", ":authority", "127.0.0.1");
    }

    @Test
    void a_request_without_path_is_refused() throws IOException {
        assertRefused(":method", "GET", ":scheme", "http", ":authority", "127.0.0.1");
    }

    @Test
    void a_request_with_an_empty_path_is_refused() throws IOException {
        assertRefused(":method", "GET", ":scheme", "http", ":path", "", ":authority", "127.0.0.1");
    }

    @Test
    void a_request_with_an_empty_method_is_refused() throws IOException {
        assertRefused(":method", "", ":scheme", "http", ":path", "/", ":authority", "127.0.0.1");
    }

    @Test
    void a_request_with_an_empty_scheme_is_refused() throws IOException {
        assertRefused(":method", "GET", ":scheme", "", ":path", "/", ":authority", "127.0.0.1");
    }

    @Test
    void a_path_that_is_not_origin_form_is_refused() throws IOException {
        assertRefused(":method", "GET", ":scheme", "http", ":path", "http://127.0.0.1/", ":authority", "127.0.0.1");
    }

    @Test
    void an_asterisk_path_for_a_method_other_than_options_is_refused() throws IOException {
        assertRefused(":method", "GET", ":scheme", "http", ":path", "*", ":authority", "127.0.0.1");
    }

    @Test
    void a_duplicated_path_is_refused() throws IOException {
        assertRefused(valid(":path", "/other"));
    }

    @Test
    void a_duplicated_method_is_refused() throws IOException {
        assertRefused(":method", "GET", ":method", "GET", ":scheme", "http", ":path", "/", ":authority", "127.0.0.1");
    }

    @Test
    void a_duplicated_scheme_is_refused() throws IOException {
        assertRefused(":method", "GET", ":scheme", "http", ":scheme", "http", ":path", "/");
    }

    @Test
    void a_duplicated_authority_is_refused() throws IOException {
        assertRefused(valid(":authority", "127.0.0.1"));
    }

    @Test
    void a_pseudo_header_after_a_regular_field_is_refused() throws IOException {
        assertRefused(":method", "GET", ":scheme", "http", "accept", "*/*", ":path", "/", ":authority", "127.0.0.1");
    }

    @Test
    void an_unknown_pseudo_header_is_refused() throws IOException {
        assertRefused(":method", "GET", ":scheme", "http", ":path", "/", ":authority", "127.0.0.1", ":foo", "bar");
    }

    @Test
    void a_response_pseudo_header_in_a_request_is_refused() throws IOException {
        assertRefused(":status", "200", ":method", "GET", ":scheme", "http", ":path", "/", ":authority", "127.0.0.1");
    }

    @Test
    void a_connection_header_is_refused() throws IOException {
        assertRefused(valid("connection", "keep-alive"));
    }

    @Test
    void a_keep_alive_header_is_refused() throws IOException {
        assertRefused(valid("keep-alive", "timeout=5"));
    }

    @Test
    void a_proxy_connection_header_is_refused() throws IOException {
        assertRefused(valid("proxy-connection", "keep-alive"));
    }

    @Test
    void a_transfer_encoding_header_is_refused() throws IOException {
        assertRefused(valid("transfer-encoding", "chunked"));
    }

    @Test
    void an_upgrade_header_is_refused() throws IOException {
        assertRefused(valid("upgrade", "websocket"));
    }

    @Test
    void te_other_than_trailers_is_refused() throws IOException {
        assertRefused(valid("te", "gzip"));
    }

    @Test
    void te_trailers_is_served() throws IOException {
        connect(Server.builder());
        RawHttp2.Response response = connection.headerBlock(1, RawHttp2.literalBlock(valid("te", "trailers")), true)
                .response(1);
        assertThat(response.text()).isEqualTo("root");
    }

    @Test
    void an_upper_case_field_name_is_refused() throws IOException {
        assertRefused(valid("Accept", "*/*"));
    }

    @Test
    void an_upper_case_pseudo_header_name_is_refused() throws IOException {
        assertRefused(":METHOD", "GET", ":scheme", "http", ":path", "/", ":authority", "127.0.0.1");
    }

    @Test
    void a_field_name_with_a_space_is_refused() throws IOException {
        assertRefused(valid("x a", "1"));
    }

    @Test
    void an_empty_field_name_is_refused() throws IOException {
        assertRefused(valid("", "1"));
    }

    @Test
    void a_field_value_with_a_line_feed_is_refused() throws IOException {
        assertRefused(valid("x-a", "1\nx-b: 2"));
    }

    @Test
    void a_field_value_with_a_nul_is_refused() throws IOException {
        assertRefused(valid("x-a", "1\0002"));
    }

    @Test
    void a_field_value_with_a_leading_space_is_refused() throws IOException {
        assertRefused(valid("x-a", " 1"));
    }

    @Test
    void a_host_that_differs_from_the_authority_is_refused() throws IOException {
        assertRefused(valid("host", "elsewhere.example"));
    }

    @Test
    void two_hosts_without_an_authority_are_refused() throws IOException {
        assertRefused(":method", "GET", ":scheme", "http", ":path", "/", "host", "a.example", "host", "b.example");
    }

    @Test
    void an_authority_with_userinfo_is_refused() throws IOException {
        assertRefused(":method", "GET", ":scheme", "http", ":path", "/", ":authority", "user@127.0.0.1");
    }

    @Test
    void options_asterisk_is_served() throws IOException {
        connect(Server.builder());
        RawHttp2.Response response = connection.headerBlock(1, RawHttp2.literalBlock(
                ":method", "OPTIONS", ":scheme", "http", ":path", "*", ":authority", "127.0.0.1"), true).response(1);
        assertThat(response.resetCode()).as("%s", response).isNull();
        assertThat(response.status()).isLessThan(500);
    }
}
