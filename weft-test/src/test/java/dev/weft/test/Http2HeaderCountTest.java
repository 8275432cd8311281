package dev.weft.test;

import static dev.weft.test.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.routing.Router;
import dev.weft.server.Server;
import io.netty.handler.codec.http2.Http2Headers;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** {@code maxHeaderCount} on HTTP/2: a header list with more fields gets 431 on its stream (issue #8). */
class Http2HeaderCountTest {

    private static Http2Headers withFields(int count) {
        Http2Headers headers = RawHttp2.request("GET", "/");
        for (int i = 0; i < count; i++) {
            headers.add("x-h" + i, "v");
        }
        return headers;
    }

    @Test
    void a_header_list_with_one_field_over_max_header_count_gets_431_and_the_connection_goes_on() throws IOException {
        try (TestClient server = TestClient.start(Router.builder().get("/", () -> "root").build(), Server.builder());
                RawHttp2 connection = RawHttp2.connect(server.port())) {
            // 100 fields with the host that :authority becomes: the default limit exactly.
            RawHttp2.Response atLimit = connection.headers(1, withFields(99), true).response(1);
            RawHttp2.Response over = connection.headers(3, withFields(100), true).response(3);

            assertThat(atLimit.text()).isEqualTo("root");
            assertProblem(over.toTestResponse(), 431);
            assertThat(connection.get(5, "/").response(5).text()).isEqualTo("root");
        }
    }

    @Test
    void a_configured_max_header_count_applies_on_http_2() throws IOException {
        try (TestClient server = TestClient.start(Router.builder().get("/", () -> "root").build(),
                        Server.builder().maxHeaderCount(10));
                RawHttp2 connection = RawHttp2.connect(server.port())) {
            assertThat(connection.headers(1, withFields(9), true).response(1).text()).isEqualTo("root");
            assertProblem(connection.headers(3, withFields(10), true).response(3).toTestResponse(), 431);
        }
    }
}
