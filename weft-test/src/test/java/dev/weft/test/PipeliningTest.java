package dev.weft.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.extract.Body;
import dev.weft.extract.PathParam;
import dev.weft.routing.Router;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Pipelined requests, all written at once, are answered in request order. The earlier requests
 * are made slower than the later ones, so a server that answered in completion order would fail.
 */
class PipeliningTest {
    private static TestClient client;

    @BeforeAll
    static void start() {
        Router app = Router.builder()
                .get("/slow/{ms}/{id}", PathParam.of("ms", Integer.class), PathParam.string("id"), (ms, id) -> {
                    Thread.sleep(ms);
                    return "response " + id;
                })
                .post("/echo/{ms}", PathParam.of("ms", Integer.class), Body.string(), (ms, body) -> {
                    Thread.sleep(ms);
                    return body;
                })
                .build();
        client = TestClient.start(app);
    }

    @AfterAll
    static void stop() {
        client.close();
    }

    @Test
    void three_pipelined_requests_are_answered_in_order() throws Exception {
        assertAnsweredInOrder(3, 100);
    }

    @Test
    void twenty_pipelined_requests_are_answered_in_order() throws Exception {
        assertAnsweredInOrder(20, 5);
    }

    @Test
    void more_pipelined_requests_than_the_per_connection_limit_are_all_answered_in_order() throws Exception {
        // 50 > Http1Handler.MAX_PIPELINED (32): the rest wait, reading pauses, then resumes.
        assertAnsweredInOrder(50, 2);
    }

    @Test
    void pipelined_posts_with_bodies_are_answered_in_order_with_their_own_bodies() throws Exception {
        List<String> bodies = List.of("a".repeat(100_000), "second body", "", "c".repeat(70_000), "last");
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < bodies.size(); i++) {
            int ms = (bodies.size() - 1 - i) * 30;
            all.append(RawHttp.post("/echo/" + ms, bodies.get(i), "Content-Type: text/plain"));
        }
        try (RawHttp connection = RawHttp.connect(client.port())) {
            List<RawHttp.Response> responses = connection.send(all.toString()).read(bodies.size());

            for (int i = 0; i < bodies.size(); i++) {
                assertThat(responses.get(i).status()).as("status of response %d", i).isEqualTo(200);
                assertThat(responses.get(i).text()).as("body of response %d", i).isEqualTo(bodies.get(i));
            }
        }
    }

    @Test
    void a_pipelined_connection_close_ends_the_connection_after_its_own_response() throws Exception {
        String all = RawHttp.get("/slow/50/0") + RawHttp.get("/slow/0/1", "Connection: close")
                + RawHttp.get("/slow/0/2");
        try (RawHttp connection = RawHttp.connect(client.port())) {
            List<RawHttp.Response> responses = connection.send(all).read(2);

            assertThat(responses).extracting(RawHttp.Response::text).containsExactly("response 0", "response 1");
            assertThat(responses.get(0).connectionHas("close")).isFalse();
            assertThat(responses.get(1).connectionHas("close")).isTrue();
            assertThat(connection.closedByServer()).as("nothing is answered after the close").isTrue();
        }
    }

    @Test
    void requests_pipelined_before_a_malformed_one_are_answered_before_its_400() throws Exception {
        String all = RawHttp.get("/slow/50/0") + RawHttp.get("/slow/0/1") + "not a request line\r\n\r\n"
                + RawHttp.get("/slow/0/3");
        try (RawHttp connection = RawHttp.connect(client.port())) {
            List<RawHttp.Response> responses = connection.send(all).read(3);

            assertThat(responses).extracting(RawHttp.Response::status).containsExactly(200, 200, 400);
            assertThat(responses).extracting(RawHttp.Response::text).startsWith("response 0", "response 1");
            assertThat(responses.get(2).connectionHas("close")).isTrue();
            assertThat(connection.closedByServer()).isTrue();
        }
    }

    /** Sends {@code count} GETs in one write, request {@code i} sleeping {@code (count - 1 - i) * stepMs}. */
    private static void assertAnsweredInOrder(int count, int stepMs) throws Exception {
        StringBuilder all = new StringBuilder();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            all.append(RawHttp.get("/slow/" + (count - 1 - i) * stepMs + "/" + i));
            expected.add("response " + i);
        }
        try (RawHttp connection = RawHttp.connect(client.port())) {
            List<RawHttp.Response> responses = connection.send(all.toString()).read(count);

            assertThat(responses).allSatisfy(r -> assertThat(r.status()).isEqualTo(200));
            assertThat(responses).extracting(RawHttp.Response::text).containsExactlyElementsOf(expected);
            // The connection is still usable afterwards.
            assertThat(connection.send(RawHttp.get("/slow/0/after")).read().text()).isEqualTo("response after");
        }
    }
}
