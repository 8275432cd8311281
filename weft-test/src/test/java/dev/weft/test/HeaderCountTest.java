package dev.weft.test;

import static dev.weft.test.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.routing.Router;
import dev.weft.server.Server;
import org.junit.jupiter.api.Test;

/**
 * {@code maxHeaderCount} on HTTP/1.1 (issue #8, class 5): a head with more header fields than the
 * limit gets 431 and a close, however small each field is; at the limit it is served. The count
 * includes Host and repeated names. (HTTP/2: {@link Http2HeaderCountTest}.)
 */
class HeaderCountTest {

    /** A GET head with Host and {@code extra} more fields. */
    private static String withFields(int extra, String name) {
        String[] fields = new String[extra];
        for (int i = 0; i < extra; i++) {
            fields[i] = (name == null ? "X-H" + i : name) + ": v";
        }
        return RawHttp.get("/", fields);
    }

    @Test
    void one_field_over_the_default_100_gets_431_and_a_close_and_100_are_served() throws Exception {
        try (TestClient server = TestClient.start(Router.builder().get("/", () -> "root").build())) {
            try (RawHttp connection = RawHttp.connect(server.port())) {
                assertThat(connection.send(withFields(99, null)).read().text()).isEqualTo("root");
            }
            try (RawHttp connection = RawHttp.connect(server.port())) {
                RawHttp.Response response = connection.send(withFields(100, null)).read();

                assertProblem(response, 431);
                assertThat(connection.closedByServer()).isTrue();
            }
        }
    }

    @Test
    void repeated_names_count_once_each() throws Exception {
        try (TestClient server = TestClient.start(Router.builder().get("/", () -> "root").build());
                RawHttp connection = RawHttp.connect(server.port())) {
            assertProblem(connection.send(withFields(100, "X-Same")).read(), 431);
        }
    }

    @Test
    void thousands_of_tiny_fields_get_431_not_a_slow_or_failed_parse() throws Exception {
        try (TestClient server = TestClient.start(Router.builder().get("/", () -> "root").build(),
                        Server.builder().maxHeaderBytes(64 * 1024));
                RawHttp connection = RawHttp.connect(server.port())) {
            assertProblem(connection.send(withFields(5_000, "a")).read(), 431);
        }
    }

    @Test
    void a_configured_max_header_count_applies_on_http_1_1() throws Exception {
        try (TestClient server = TestClient.start(Router.builder().get("/", () -> "root").build(),
                Server.builder().maxHeaderCount(10))) {
            try (RawHttp connection = RawHttp.connect(server.port())) {
                assertThat(connection.send(withFields(9, null)).read().text()).isEqualTo("root");
            }
            try (RawHttp connection = RawHttp.connect(server.port())) {
                assertProblem(connection.send(withFields(10, null)).read(), 431);
            }
        }
    }
}
