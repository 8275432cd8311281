package dev.weft.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.extract.State;
import dev.weft.response.Problem;
import dev.weft.response.Response;
import dev.weft.response.Status;
import dev.weft.routing.MissingStateException;
import dev.weft.routing.Router;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Application state, exception mapping, and the safe 500. */
class StateAndErrorsTest {

    record Config(String name) {}

    record Clock(long now) {}

    static class NotFoundInStore extends RuntimeException {
        NotFoundInStore(String message) {
            super(message);
        }
    }

    static class TodoNotFound extends NotFoundInStore {
        TodoNotFound(String message) {
            super(message);
        }
    }

    static class SecretLeakException extends RuntimeException {
        SecretLeakException(String message) {
            super(message);
        }
    }

    private static final String SECRET = "password=hunter2 at db.internal:5432";

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void state_extractor_returns_the_given_value(Function<Router, Client> start) {
        Config config = new Config("production");
        Router app = Router.builder()
                .state(Config.class, config)
                .get("/config", State.of(Config.class), c -> c == config ? "same " + c.name() : "copy")
                .build();
        try (Client client = start.apply(app)) {
            assertThat(client.get("/config").body()).isEqualTo("same production");
        }
    }

    @Test
    void route_needing_state_never_given_fails_at_build_naming_route_and_type() {
        assertThatThrownBy(() -> Router.builder()
                        .state(Config.class, new Config("x"))
                        .get("/time", State.of(Clock.class), c -> "t")
                        .build())
                .isInstanceOf(MissingStateException.class)
                .hasMessageContaining("GET /time")
                .hasMessageContaining(Clock.class.getCanonicalName());
    }

    /** A state type nested in a class, as applications often declare them. */
    static final class Store {
    }

    @Test
    void a_nested_state_type_is_named_as_in_source_not_by_its_binary_name() {
        assertThatThrownBy(() -> Router.builder().get("/s", State.of(Store.class), s -> "s").build())
                .isInstanceOf(MissingStateException.class)
                .hasMessageContaining("dev.weft.test.StateAndErrorsTest.Store")
                .hasMessageNotContaining("$");
    }

    @Test
    void nested_route_needing_state_never_given_fails_at_build_naming_the_full_route() {
        Router.Builder inner = Router.builder().get("/time", State.of(Clock.class), c -> "t");
        assertThatThrownBy(() -> Router.builder()
                        .nest("/api", inner)
                        .build())
                .isInstanceOf(MissingStateException.class)
                .hasMessageContaining("GET /api/time")
                .hasMessageContaining(Clock.class.getCanonicalName());
    }

    @Test
    void state_given_to_a_nested_router_does_not_reach_the_parent_routes() {
        Router.Builder inner = Router.builder().state(Clock.class, new Clock(1)).get("/t", () -> "t");
        assertThatThrownBy(() -> Router.builder()
                        .nest("/api", inner)
                        .get("/time", State.of(Clock.class), c -> "t")
                        .build())
                .isInstanceOf(MissingStateException.class)
                .hasMessageContaining("GET /time");
    }

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void exception_mapper_turns_a_custom_exception_into_a_response(Function<Router, Client> start) {
        Router app = Router.builder()
                .onException(NotFoundInStore.class, (e, request) -> Problem.of(Status.NOT_FOUND, "not in the store"))
                .get("/things/1", () -> {
                    throw new NotFoundInStore("thing 1");
                })
                .build();
        try (Client client = start.apply(app)) {
            TestResponse response = client.get("/things/1");
            assertThat(response.status()).isEqualTo(404);
            assertThat(response.contentType()).startsWith("application/problem+json");
            assertThat(response.body()).contains("not in the store");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void exception_mapper_also_maps_subclasses_of_its_type(Function<Router, Client> start) {
        Router app = Router.builder()
                .onException(NotFoundInStore.class, (e, request) -> Response.text(Status.NOT_FOUND, "mapped: " + e.getMessage()))
                .get("/todos/1", () -> {
                    throw new TodoNotFound("todo 1");
                })
                .build();
        try (Client client = start.apply(app)) {
            TestResponse response = client.get("/todos/1");
            assertThat(response.status()).isEqualTo(404);
            assertThat(response.body()).isEqualTo("mapped: todo 1");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void most_specific_exception_mapper_wins(Function<Router, Client> start) {
        Router app = Router.builder()
                .onException(RuntimeException.class, (e, request) -> Response.text(Status.BAD_GATEWAY, "runtime"))
                .onException(TodoNotFound.class, (e, request) -> Response.text(Status.NOT_FOUND, "todo"))
                .onException(NotFoundInStore.class, (e, request) -> Response.text(Status.GONE, "store"))
                .get("/todo", () -> {
                    throw new TodoNotFound("x");
                })
                .get("/store", () -> {
                    throw new NotFoundInStore("x");
                })
                .get("/other", () -> {
                    throw new IllegalStateException("x");
                })
                .build();
        try (Client client = start.apply(app)) {
            assertThat(client.get("/todo").body()).isEqualTo("todo");
            assertThat(client.get("/store").body()).isEqualTo("store");
            assertThat(client.get("/other").body()).isEqualTo("runtime");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void exception_mapper_of_the_parent_applies_to_nested_routes(Function<Router, Client> start) {
        Router.Builder inner = Router.builder().get("/x", () -> {
            throw new NotFoundInStore("x");
        });
        Router app = Router.builder()
                .onException(NotFoundInStore.class, (e, request) -> Response.text(Status.NOT_FOUND, "parent mapper"))
                .nest("/api", inner)
                .build();
        try (Client client = start.apply(app)) {
            assertThat(client.get("/api/x").body()).isEqualTo("parent mapper");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void unmapped_exception_answers_500_problem_json(Function<Router, Client> start) {
        Router app = Router.builder()
                .get("/boom", () -> {
                    throw new SecretLeakException(SECRET);
                })
                .build();
        try (Client client = start.apply(app)) {
            TestResponse response = client.get("/boom");
            assertThat(response.status()).isEqualTo(500);
            assertThat(response.contentType()).startsWith("application/problem+json");
            assertThat(response.body())
                    .contains("\"type\":\"about:blank\"")
                    .contains("\"title\":\"Internal Server Error\"")
                    .contains("\"status\":500");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void body_of_a_500_reveals_no_stack_trace_class_name_or_message(Function<Router, Client> start) {
        Router app = Router.builder()
                .get("/boom", () -> {
                    throw new SecretLeakException(SECRET);
                })
                .build();
        try (Client client = start.apply(app)) {
            String body = client.get("/boom").body();
            assertThat(body)
                    .doesNotContain("SecretLeakException")
                    .doesNotContain("StateAndErrorsTest")
                    .doesNotContain("dev.weft")
                    .doesNotContain("Exception")
                    .doesNotContain("hunter2")
                    .doesNotContain("db.internal")
                    .doesNotContain("\tat ")
                    .doesNotContain(".java:");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void checked_exception_from_a_handler_answers_500(Function<Router, Client> start) {
        Router app = Router.builder()
                .get("/io", () -> {
                    throw new java.io.IOException(SECRET);
                })
                .build();
        try (Client client = start.apply(app)) {
            TestResponse response = client.get("/io");
            assertThat(response.status()).isEqualTo(500);
            assertThat(response.body()).doesNotContain("hunter2").doesNotContain("IOException");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void next_request_on_the_same_client_works_after_a_500(Function<Router, Client> start) {
        Router app = Router.builder()
                .get("/boom", () -> {
                    throw new SecretLeakException(SECRET);
                })
                .get("/ok", () -> "fine")
                .build();
        try (Client client = start.apply(app)) {
            assertThat(client.get("/boom").status()).isEqualTo(500);
            TestResponse next = client.get("/ok");
            assertThat(next.status()).isEqualTo(200);
            assertThat(next.body()).isEqualTo("fine");
            assertThat(client.get("/boom").status()).isEqualTo(500);
            assertThat(client.get("/ok").body()).isEqualTo("fine");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void handler_returning_null_answers_500(Function<Router, Client> start) {
        Router app = Router.builder().get("/null", () -> null).build();
        try (Client client = start.apply(app)) {
            TestResponse response = client.get("/null");
            assertThat(response.status()).isEqualTo(500);
            assertThat(response.contentType()).startsWith("application/problem+json");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void exception_thrown_by_a_layer_answers_500(Function<Router, Client> start) {
        Router app = Router.builder()
                .layer((request, next) -> {
                    throw new SecretLeakException(SECRET);
                })
                .get("/x", () -> "x")
                .build();
        try (Client client = start.apply(app)) {
            TestResponse response = client.get("/x");
            assertThat(response.status()).isEqualTo(500);
            assertThat(response.contentType()).startsWith("application/problem+json");
            assertThat(response.body()).doesNotContain("hunter2").doesNotContain("SecretLeakException");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void exception_thrown_by_a_route_layer_answers_500(Function<Router, Client> start) {
        Router app = Router.builder()
                .routeLayer((request, next) -> {
                    throw new SecretLeakException(SECRET);
                })
                .get("/x", () -> "x")
                .build();
        try (Client client = start.apply(app)) {
            TestResponse response = client.get("/x");
            assertThat(response.status()).isEqualTo(500);
            assertThat(response.body()).doesNotContain("hunter2");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void exception_thrown_by_a_layer_after_the_handler_answers_500(Function<Router, Client> start) {
        Router app = Router.builder()
                .layer((request, next) -> {
                    next.run(request);
                    throw new SecretLeakException(SECRET);
                })
                .get("/x", () -> "x")
                .build();
        try (Client client = start.apply(app)) {
            assertThat(client.get("/x").status()).isEqualTo(500);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void exception_thrown_by_a_layer_is_mapped_by_the_exception_mapper(Function<Router, Client> start) {
        Router app = Router.builder()
                .onException(NotFoundInStore.class, (e, request) -> Response.text(Status.NOT_FOUND, "mapped"))
                .layer((request, next) -> {
                    throw new NotFoundInStore("x");
                })
                .get("/x", () -> "x")
                .build();
        try (Client client = start.apply(app)) {
            TestResponse response = client.get("/x");
            assertThat(response.status()).isEqualTo(404);
            assertThat(response.body()).isEqualTo("mapped");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void layer_sees_the_500_of_a_failing_handler_as_a_response(Function<Router, Client> start) {
        Router app = Router.builder()
                .layer((request, next) -> {
                    Response response = next.run(request);
                    return response.withHeader("x-seen-status", Integer.toString(response.status().code()));
                })
                .get("/boom", () -> {
                    throw new SecretLeakException(SECRET);
                })
                .build();
        try (Client client = start.apply(app)) {
            TestResponse response = client.get("/boom");
            assertThat(response.status()).isEqualTo(500);
            assertThat(response.header("x-seen-status")).hasValue("500");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void failing_exception_mapper_answers_500(Function<Router, Client> start) {
        Router app = Router.builder()
                .onException(NotFoundInStore.class, (e, request) -> {
                    throw new SecretLeakException(SECRET);
                })
                .get("/x", () -> {
                    throw new NotFoundInStore("x");
                })
                .build();
        try (Client client = start.apply(app)) {
            TestResponse response = client.get("/x");
            assertThat(response.status()).isEqualTo(500);
            assertThat(response.body()).doesNotContain("hunter2");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void exception_mapper_of_a_nested_router_does_not_apply_to_parent_routes(Function<Router, Client> start) {
        Router.Builder inner = Router.builder()
                .onException(NotFoundInStore.class, (e, request) -> Response.text(Status.NOT_FOUND, "inner mapper"))
                .get("/x", () -> {
                    throw new NotFoundInStore("x");
                });
        Router app = Router.builder()
                .nest("/api", inner)
                .get("/x", () -> {
                    throw new NotFoundInStore("x");
                })
                .build();
        try (Client client = start.apply(app)) {
            assertThat(client.get("/api/x").body()).isEqualTo("inner mapper");
            assertThat(client.get("/x").status()).isEqualTo(500);
        }
    }
}
