package dev.weft.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.response.Response;
import dev.weft.routing.Handler;
import dev.weft.routing.Router;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Persistent connections: HTTP/1.1 keeps them by default, HTTP/1.0 only when asked. */
class KeepAliveTest {
    private static final String BIG = "x".repeat(100_000);
    /** Larger than the head buffer the server starts with, and than the one it keeps. */
    private static final String LARGE_VALUE = "v".repeat(40_000);
    private static TestClient client;

    @BeforeAll
    static void start() {
        Router app = Router.builder()
                .get("/one", () -> "one")
                .get("/two", () -> "two")
                .get("/big", () -> BIG)
                .get("/inline", Handler.of(() -> "inline").nonBlocking())
                .get("/streamed", () -> Response.stream("text/plain", out -> {
                    out.write("streamed ".getBytes(StandardCharsets.UTF_8));
                    out.flush(); // a head without a length: chunked
                    out.write(BIG.getBytes(StandardCharsets.UTF_8));
                }))
                .get("/slow-two", () -> {
                    try {
                        Thread.sleep(200);
                    } catch (InterruptedException e) {
                        // the half-close interrupts it (halfClose is off); what it still returns is answered
                    }
                    return "two";
                })
                .get("/large-head", () -> {
                    Response response = Response.text("large").withHeader("x-large", LARGE_VALUE);
                    for (int i = 0; i < 40; i++) {
                        response = response.withAddedHeader("x-many", "value-" + i);
                    }
                    return response;
                })
                .get("/says-keep-alive", () -> Response.text("mine").withHeader("connection", "keep-alive"))
                .build();
        client = TestClient.start(app);
    }

    @AfterAll
    static void stop() {
        client.close();
    }

    @Test
    void two_sequential_requests_on_one_connection_are_both_answered() throws Exception {
        try (RawHttp connection = RawHttp.connect(client.port())) {
            RawHttp.Response first = connection.send(RawHttp.get("/one")).read();
            RawHttp.Response second = connection.send(RawHttp.get("/two")).read();

            assertThat(first.status()).isEqualTo(200);
            assertThat(first.text()).isEqualTo("one");
            assertThat(first.connectionHas("close")).isFalse();
            assertThat(second.status()).isEqualTo(200);
            assertThat(second.text()).isEqualTo("two");
        }
    }

    @Test
    void http_1_1_connection_close_is_echoed_and_the_server_closes_the_connection() throws Exception {
        try (RawHttp connection = RawHttp.connect(client.port())) {
            RawHttp.Response response = connection.send(RawHttp.get("/one", "Connection: close")).read();

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.text()).isEqualTo("one");
            assertThat(response.connectionHas("close")).as("connection header of %s", response).isTrue();
            assertThat(connection.closedByServer()).isTrue();
        }
    }

    @Test
    void http_1_0_without_keep_alive_is_closed_after_the_response() throws Exception {
        try (RawHttp connection = RawHttp.connect(client.port())) {
            RawHttp.Response response = connection.send(RawHttp.request("GET", "/one", "HTTP/1.0")).read();

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.version()).isEqualTo("HTTP/1.0");
            assertThat(response.text()).isEqualTo("one");
            assertThat(response.connectionHas("keep-alive")).isFalse();
            assertThat(connection.closedByServer()).isTrue();
        }
    }

    @Test
    void http_1_0_with_keep_alive_stays_open_and_says_keep_alive() throws Exception {
        try (RawHttp connection = RawHttp.connect(client.port())) {
            String request = RawHttp.request("GET", "/one", "HTTP/1.0", "Connection: keep-alive");
            RawHttp.Response first = connection.send(request).read();
            RawHttp.Response second = connection.send(request).read();

            assertThat(first.status()).isEqualTo(200);
            assertThat(first.connectionHas("keep-alive")).as("connection header of %s", first).isTrue();
            assertThat(second.status()).isEqualTo(200);
            assertThat(second.text()).isEqualTo("one");
            assertThat(second.connectionHas("keep-alive")).isTrue();
        }
    }

    @Test
    void a_head_response_has_the_content_length_but_no_body_and_the_connection_stays_in_step() throws Exception {
        try (RawHttp connection = RawHttp.connect(client.port())) {
            RawHttp.Response head = connection.send(RawHttp.request("HEAD", "/big", "HTTP/1.1")).read(true);
            RawHttp.Response next = connection.send(RawHttp.get("/one")).read();

            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("content-length")).contains(Integer.toString(BIG.length()));
            assertThat(next.status()).as("the request after HEAD: %s", next).isEqualTo(200);
            assertThat(next.text()).isEqualTo("one");
        }
    }

    /**
     * Complete responses leave as bytes past the codec, streamed ones through it: in one pipelined
     * batch mixing both, with HEAD among them, every answer is in order and has exactly the body
     * its request asks for (the codec's record of which requests were HEAD stays in step).
     */
    @Test
    void a_pipelined_mix_of_head_get_complete_and_streamed_responses_stays_in_step() throws Exception {
        List<String[]> batch = List.of(
                new String[] {"GET", "/one"}, new String[] {"HEAD", "/streamed"}, new String[] {"GET", "/streamed"},
                new String[] {"HEAD", "/inline"}, new String[] {"GET", "/inline"}, new String[] {"HEAD", "/big"},
                new String[] {"GET", "/streamed"}, new String[] {"HEAD", "/one"}, new String[] {"GET", "/two"});
        StringBuilder requests = new StringBuilder();
        batch.forEach(r -> requests.append(RawHttp.request(r[0], r[1], "HTTP/1.1")));
        try (RawHttp connection = RawHttp.connect(client.port())) {
            connection.send(requests.toString());
            for (String[] r : batch) {
                boolean head = r[0].equals("HEAD");
                RawHttp.Response response = connection.read(head);
                String expected = switch (r[1]) {
                    case "/one" -> "one";
                    case "/two" -> "two";
                    case "/inline" -> "inline";
                    case "/big" -> BIG;
                    default -> "streamed " + BIG;
                };
                assertThat(response.status()).as("%s %s: %s", r[0], r[1], response).isEqualTo(200);
                assertThat(response.text()).as("%s %s", r[0], r[1]).isEqualTo(head ? "" : expected);
                if (r[1].equals("/streamed")) {
                    // A stream that flushes promises no length, to GET or HEAD.
                    assertThat(response.header("content-length")).as("%s %s", r[0], r[1]).isEmpty();
                    assertThat(response.chunked()).as("%s %s", r[0], r[1]).isEqualTo(!head);
                } else {
                    assertThat(response.header("content-length")).as("%s %s", r[0], r[1])
                            .contains(Integer.toString(expected.getBytes(StandardCharsets.UTF_8).length));
                }
            }
            RawHttp.Response last = connection.send(RawHttp.get("/one")).read();
            assertThat(last.text()).as("the connection is still in step").isEqualTo("one");
        }
    }

    /** A head far larger than usual grows the server's head buffer; the next, small one is written whole. */
    @Test
    void a_response_head_larger_than_the_head_buffer_is_written_whole_and_the_next_one_too() throws Exception {
        try (RawHttp connection = RawHttp.connect(client.port())) {
            for (int round = 0; round < 2; round++) {
                RawHttp.Response large = connection.send(RawHttp.get("/large-head")).read();
                assertThat(large.status()).isEqualTo(200);
                assertThat(large.header("x-large")).contains(LARGE_VALUE);
                assertThat(large.headers().get("x-many")).hasSize(40).endsWith("value-39");
                assertThat(large.text()).isEqualTo("large");

                RawHttp.Response small = connection.send(RawHttp.get("/one")).read();
                assertThat(small.text()).isEqualTo("one");
                assertThat(small.header("x-large")).isEmpty();
            }
        }
    }

    /** The server decides the connection header; a handler's own is replaced, never doubled. */
    @Test
    void a_handlers_connection_header_is_replaced_by_the_servers_decision() throws Exception {
        try (RawHttp connection = RawHttp.connect(client.port())) {
            RawHttp.Response kept = connection.send(RawHttp.get("/says-keep-alive")).read();
            assertThat(kept.headers().get("connection")).as("HTTP/1.1 keeps the handler's").containsExactly("keep-alive");

            RawHttp.Response closed = connection.send(RawHttp.get("/says-keep-alive", "Connection: close")).read();
            assertThat(closed.text()).isEqualTo("mine");
            assertThat(closed.headers().get("connection")).as("the server closes").containsExactly("close");
            assertThat(connection.closedByServer()).isTrue();
        }
        try (RawHttp connection = RawHttp.connect(client.port())) {
            String request = RawHttp.request("GET", "/says-keep-alive", "HTTP/1.0", "Connection: keep-alive");
            RawHttp.Response response = connection.send(request).read();
            assertThat(response.headers().get("connection")).containsExactly("keep-alive");
            assertThat(connection.send(request).read().text()).isEqualTo("mine");
        }
    }

    @Test
    void http_1_0_responses_have_a_content_length_and_are_never_chunked() throws Exception {
        for (List<String> headers : List.of(List.<String>of(), List.of("Connection: keep-alive"))) {
            try (RawHttp connection = RawHttp.connect(client.port())) {
                String request = RawHttp.request("GET", "/big", "HTTP/1.0", headers.toArray(String[]::new));
                RawHttp.Response response = connection.send(request).read();

                assertThat(response.status()).isEqualTo(200);
                assertThat(response.chunked()).isFalse();
                assertThat(response.header("transfer-encoding")).isEmpty();
                assertThat(response.header("content-length")).contains(Integer.toString(BIG.length()));
                assertThat(response.text()).isEqualTo(BIG);
            }
        }
    }

    @Test
    void a_client_that_half_closes_after_its_request_still_gets_the_answer_then_the_connection_closes()
            throws Exception {
        try (RawHttp connection = RawHttp.connect(client.port())) {
            RawHttp.Response response = connection.send(RawHttp.get("/one")).shutdownOutput().read();

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.text()).isEqualTo("one");
            assertThat(connection.closedByServer()).isTrue();
        }
    }

    @Test
    void pipelined_requests_before_a_half_close_are_all_answered_the_last_with_connection_close()
            throws Exception {
        try (RawHttp connection = RawHttp.connect(client.port())) {
            // The last handler takes a while, so the server has seen the half-close before it
            // answers: otherwise its answer may leave first, and only the close can follow it.
            connection.send(RawHttp.get("/one") + RawHttp.get("/big") + RawHttp.get("/slow-two")).shutdownOutput();
            List<RawHttp.Response> responses = connection.read(3);

            assertThat(responses).extracting(RawHttp.Response::status).containsExactly(200, 200, 200);
            assertThat(responses.get(1).text()).isEqualTo(BIG);
            assertThat(responses.get(2).text()).isEqualTo("two");
            assertThat(responses.get(2).connectionHas("close")).isTrue();
            assertThat(connection.closedByServer()).isTrue();
        }
    }

    @Test
    void a_client_that_half_closes_without_a_request_is_closed() throws Exception {
        try (RawHttp connection = RawHttp.connect(client.port())) {
            connection.shutdownOutput();

            assertThat(connection.closedByServer()).isTrue();
        }
    }
}
