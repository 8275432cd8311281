package dev.weft.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.http.Method;
import dev.weft.response.Response;
import dev.weft.response.Status;
import dev.weft.routing.Handler;
import dev.weft.routing.Router;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** 404, 405 with Allow, HEAD from GET, and automatic OPTIONS. */
class MethodHandlingTest {

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void unknown_path_answers_404_problem_json(Function<Router, Client> start) {
        Router app = Router.builder().get("/known", () -> "known").build();
        try (Client client = start.apply(app)) {
            TestResponse response = client.get("/unknown");
            assertThat(response.status()).isEqualTo(404);
            assertThat(response.contentType()).startsWith("application/problem+json");
            assertThat(response.body())
                    .contains("\"type\":\"about:blank\"")
                    .contains("\"title\":\"Not Found\"")
                    .contains("\"status\":404")
                    .contains("\"detail\":");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void wrong_method_on_known_path_answers_405_problem_json(Function<Router, Client> start) {
        Router app = Router.builder().get("/items", () -> "items").build();
        try (Client client = start.apply(app)) {
            TestResponse response = client.delete("/items");
            assertThat(response.status()).isEqualTo(405);
            assertThat(response.contentType()).startsWith("application/problem+json");
            assertThat(response.body()).contains("\"status\":405").contains("\"title\":\"Method Not Allowed\"");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void allow_on_405_lists_routed_methods_with_head_and_options(Function<Router, Client> start) {
        Router app = Router.builder()
                .get("/items", () -> "list")
                .post("/items", () -> "created")
                .build();
        try (Client client = start.apply(app)) {
            TestResponse response = client.delete("/items");
            assertThat(response.status()).isEqualTo(405);
            assertThat(response.header("allow")).hasValue("GET, HEAD, POST, OPTIONS");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void allow_on_405_omits_head_when_get_is_not_routed(Function<Router, Client> start) {
        Router app = Router.builder()
                .post("/items", () -> "created")
                .delete("/items", () -> "gone")
                .build();
        try (Client client = start.apply(app)) {
            TestResponse response = client.get("/items");
            assertThat(response.status()).isEqualTo(405);
            assertThat(response.header("allow")).hasValue("POST, DELETE, OPTIONS");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void allow_on_405_for_a_parameter_route_lists_its_methods(Function<Router, Client> start) {
        Router app = Router.builder()
                .get("/items/{id}", () -> "item")
                .put("/items/{id}", () -> "put")
                .build();
        try (Client client = start.apply(app)) {
            TestResponse response = client.post("/items/7").send();
            assertThat(response.status()).isEqualTo(405);
            assertThat(response.header("allow")).hasValue("GET, HEAD, PUT, OPTIONS");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void head_runs_the_get_handler_and_sends_no_body(Function<Router, Client> start) {
        AtomicInteger calls = new AtomicInteger();
        Router app = Router.builder()
                .get("/page", () -> {
                    calls.incrementAndGet();
                    return Response.text("hello world").withHeader("x-from", "get");
                })
                .build();
        try (Client client = start.apply(app)) {
            TestResponse response = client.head("/page");
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.header("x-from")).hasValue("get");
            assertThat(response.bodyBytes()).isEmpty();
            assertThat(calls).hasValue(1);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void head_keeps_the_content_length_of_the_get_body(Function<Router, Client> start) {
        Router app = Router.builder().get("/page", () -> "hello world").build();
        try (Client client = start.apply(app)) {
            TestResponse response = client.head("/page");
            assertThat(response.header("content-length")).hasValue("11");
            assertThat(response.contentType()).startsWith("text/plain");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void head_keeps_the_content_length_of_a_json_get_body(Function<Router, Client> start) {
        Router app = Router.builder().get("/item", () -> java.util.Map.of("name", "milk")).build();
        try (Client client = start.apply(app)) {
            int getLength = client.get("/item").bodyBytes().length;
            TestResponse response = client.head("/item");
            assertThat(response.header("content-length")).hasValue(Integer.toString(getLength));
            assertThat(response.bodyBytes()).isEmpty();
        }
    }

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void explicit_head_route_overrides_the_get_handler(Function<Router, Client> start) {
        AtomicInteger getCalls = new AtomicInteger();
        Router app = Router.builder()
                .get("/page", () -> {
                    getCalls.incrementAndGet();
                    return "hello world";
                })
                .route(Method.HEAD, "/page", Handler.of(() -> Response.ok().withHeader("x-from", "head")))
                .build();
        try (Client client = start.apply(app)) {
            TestResponse response = client.head("/page");
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.header("x-from")).hasValue("head");
            assertThat(getCalls).hasValue(0);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void head_on_a_path_without_get_answers_405(Function<Router, Client> start) {
        Router app = Router.builder().post("/items", () -> "created").build();
        try (Client client = start.apply(app)) {
            TestResponse response = client.head("/items");
            assertThat(response.status()).isEqualTo(405);
            assertThat(response.header("allow")).hasValue("POST, OPTIONS");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void options_on_known_path_answers_204_with_allow(Function<Router, Client> start) {
        Router app = Router.builder()
                .get("/items", () -> "list")
                .post("/items", () -> "created")
                .build();
        try (Client client = start.apply(app)) {
            TestResponse response = client.options("/items");
            assertThat(response.status()).isEqualTo(204);
            assertThat(response.header("allow")).hasValue("GET, HEAD, POST, OPTIONS");
            assertThat(response.bodyBytes()).isEmpty();
        }
    }

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void explicit_options_route_wins_over_the_automatic_answer(Function<Router, Client> start) {
        Router app = Router.builder()
                .get("/items", () -> "list")
                .route(Method.OPTIONS, "/items", Handler.of(() -> Response.text("custom options")))
                .build();
        try (Client client = start.apply(app)) {
            TestResponse response = client.options("/items");
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("custom options");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void options_on_unknown_path_answers_404(Function<Router, Client> start) {
        Router app = Router.builder().get("/items", () -> "list").build();
        try (Client client = start.apply(app)) {
            TestResponse response = client.options("/nothing-here");
            assertThat(response.status()).isEqualTo(404);
            assertThat(response.contentType()).startsWith("application/problem+json");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void get_route_answers_get_with_its_body(Function<Router, Client> start) {
        Router app = Router.builder()
                .get("/items", () -> Response.text(Status.OK, "list"))
                .build();
        try (Client client = start.apply(app)) {
            TestResponse response = client.get("/items");
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("list");
            assertThat(response.header("content-length")).hasValue("4");
        }
    }
}
