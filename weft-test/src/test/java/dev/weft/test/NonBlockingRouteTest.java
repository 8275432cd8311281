package dev.weft.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.extract.Body;
import dev.weft.extract.PathParam;
import dev.weft.routing.Handler;
import dev.weft.routing.Router;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code Handler.nonBlocking()}: answered inline on the I/O thread when the request has no body. */
class NonBlockingRouteTest {

    private static Router app() {
        return Router.builder()
                .get("/inline", Handler.of(() -> "inline").nonBlocking())
                .get("/virtual", Handler.of(() -> Thread.currentThread().isVirtual() ? "virtual" : "platform")
                        .nonBlocking())
                .post("/virtual", Handler.of(Body.string(),
                        body -> (Thread.currentThread().isVirtual() ? "virtual " : "platform ") + body).nonBlocking())
                .get("/n/{i}", Handler.of(PathParam.of("i", Integer.class), i -> "n" + i).nonBlocking())
                .get("/slow/{i}", PathParam.of("i", Integer.class), i -> {
                    Thread.sleep(20L * (5 - i % 5));
                    return "s" + i;
                })
                .build();
    }

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void a_non_blocking_route_answers_like_any_other(Function<Router, Client> start) {
        try (Client client = start.apply(app())) {
            TestResponse response = client.get("/inline");
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("inline");
            assertThat(response.header("content-length")).contains("6");
            assertThat(client.head("/inline").bodyBytes()).isEmpty();
        }
    }

    @Test
    void over_the_network_a_non_blocking_route_runs_on_the_io_thread() {
        try (TestClient client = TestClient.start(app())) {
            assertThat(client.get("/virtual").body()).isEqualTo("platform");
        }
    }

    @Test
    void a_request_with_a_body_still_runs_on_a_virtual_thread() {
        try (TestClient client = TestClient.start(app())) {
            assertThat(client.post("/virtual").body("text/plain", "hi").send().body()).isEqualTo("virtual hi");
        }
    }

    @Test
    void pipelined_non_blocking_requests_are_answered_in_order() throws Exception {
        try (TestClient client = TestClient.start(app()); RawHttp connection = RawHttp.connect(client.port())) {
            StringBuilder batch = new StringBuilder();
            for (int i = 0; i < 40; i++) {
                batch.append(RawHttp.get("/n/" + i));
            }
            List<RawHttp.Response> responses = connection.send(batch.toString()).read(40);
            for (int i = 0; i < 40; i++) {
                assertThat(responses.get(i).text()).isEqualTo("n" + i);
            }
        }
    }

    @Test
    void blocking_and_non_blocking_requests_pipelined_together_keep_their_order() throws Exception {
        try (TestClient client = TestClient.start(app()); RawHttp connection = RawHttp.connect(client.port())) {
            StringBuilder batch = new StringBuilder();
            for (int i = 0; i < 10; i++) {
                batch.append(RawHttp.get(i % 2 == 0 ? "/slow/" + i : "/n/" + i));
            }
            List<RawHttp.Response> responses = connection.send(batch.toString()).read(10);
            for (int i = 0; i < 10; i++) {
                assertThat(responses.get(i).text()).isEqualTo((i % 2 == 0 ? "s" : "n") + i);
            }
            // The connection is still usable afterwards.
            assertThat(connection.send(RawHttp.get("/inline")).read().text()).isEqualTo("inline");
        }
    }
}
