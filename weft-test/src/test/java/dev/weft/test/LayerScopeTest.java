package dev.weft.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.middleware.Middleware;
import dev.weft.response.Response;
import dev.weft.response.Status;
import dev.weft.routing.Handler;
import dev.weft.routing.Router;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Which middleware wraps which answers, and in what order. */
class LayerScopeTest {

    /** Records "name>" on the way in and "<name" on the way out. */
    private static Middleware recording(String name, List<String> log) {
        return Middleware.named(name, (request, next) -> {
            log.add(name + ">");
            Response response = next.run(request);
            log.add("<" + name);
            return response;
        });
    }

    /** Adds header {@code x-<name>: yes} to every response it wraps. */
    private static Middleware tagging(String name) {
        return Middleware.named(name, (request, next) -> next.run(request).withHeader("x-" + name, "yes"));
    }

    /** Answers 401 unless the request carries {@code authorization}. */
    private static Middleware requireAuth() {
        return Middleware.named("auth", (request, next) -> request.header("authorization").isPresent()
                ? next.run(request)
                : Response.problem(Status.UNAUTHORIZED, "sign in first"));
    }

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void first_layer_added_is_the_outermost(Function<Router, Client> start) {
        List<String> log = new CopyOnWriteArrayList<>();
        Router app = Router.builder()
                .layer(recording("a", log))
                .layer(recording("b", log))
                .get("/x", () -> {
                    log.add("handler");
                    return "x";
                })
                .build();
        try (Client client = start.apply(app)) {
            log.clear(); // the HTTP/2 client's upgrading request already ran through the layers
            client.get("/x");
            assertThat(log).containsExactly("a>", "b>", "handler", "<b", "<a");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void layer_added_after_the_routes_still_wraps_them(Function<Router, Client> start) {
        Router app = Router.builder()
                .get("/x", () -> "x")
                .layer(tagging("late"))
                .build();
        try (Client client = start.apply(app)) {
            assertThat(client.get("/x").header("x-late")).hasValue("yes");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void layer_wraps_the_404_answer(Function<Router, Client> start) {
        Router app = Router.builder()
                .layer(tagging("outer"))
                .get("/x", () -> "x")
                .build();
        try (Client client = start.apply(app)) {
            TestResponse response = client.get("/nothing");
            assertThat(response.status()).isEqualTo(404);
            assertThat(response.header("x-outer")).hasValue("yes");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void layer_wraps_the_custom_fallback_answer(Function<Router, Client> start) {
        Router app = Router.builder()
                .layer(tagging("outer"))
                .fallback(() -> Response.text(Status.NOT_FOUND, "custom"))
                .build();
        try (Client client = start.apply(app)) {
            TestResponse response = client.get("/nothing");
            assertThat(response.body()).isEqualTo("custom");
            assertThat(response.header("x-outer")).hasValue("yes");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void layer_wraps_the_405_answer(Function<Router, Client> start) {
        Router app = Router.builder()
                .layer(tagging("outer"))
                .get("/x", () -> "x")
                .build();
        try (Client client = start.apply(app)) {
            TestResponse response = client.delete("/x");
            assertThat(response.status()).isEqualTo(405);
            assertThat(response.header("x-outer")).hasValue("yes");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void layer_wraps_the_automatic_options_answer(Function<Router, Client> start) {
        Router app = Router.builder()
                .layer(tagging("outer"))
                .get("/x", () -> "x")
                .build();
        try (Client client = start.apply(app)) {
            TestResponse response = client.options("/x");
            assertThat(response.status()).isEqualTo(204);
            assertThat(response.header("x-outer")).hasValue("yes");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void route_layer_does_not_turn_a_404_into_a_401(Function<Router, Client> start) {
        Router app = Router.builder()
                .routeLayer(requireAuth())
                .get("/private", () -> "secret")
                .build();
        try (Client client = start.apply(app)) {
            assertThat(client.get("/nothing").status()).isEqualTo(404);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void route_layer_does_not_turn_a_405_into_a_401(Function<Router, Client> start) {
        Router app = Router.builder()
                .routeLayer(requireAuth())
                .get("/private", () -> "secret")
                .build();
        try (Client client = start.apply(app)) {
            assertThat(client.delete("/private").status()).isEqualTo(405);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void route_layer_runs_for_matched_routes(Function<Router, Client> start) {
        Router app = Router.builder()
                .routeLayer(requireAuth())
                .get("/private", () -> "secret")
                .build();
        try (Client client = start.apply(app)) {
            assertThat(client.get("/private").status()).isEqualTo(401);
            TestResponse allowed = client.request(dev.weft.http.Method.GET, "/private")
                    .header("authorization", "Bearer t").send();
            assertThat(allowed.status()).isEqualTo(200);
            assertThat(allowed.body()).isEqualTo("secret");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void route_layer_added_after_the_routes_still_wraps_them(Function<Router, Client> start) {
        Router app = Router.builder()
                .get("/private", () -> "secret")
                .routeLayer(requireAuth())
                .build();
        try (Client client = start.apply(app)) {
            assertThat(client.get("/private").status()).isEqualTo(401);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void handler_layer_runs_only_for_its_route(Function<Router, Client> start) {
        Router app = Router.builder()
                .get("/tagged", Handler.of(() -> "tagged").layer(tagging("route")))
                .get("/plain", () -> "plain")
                .build();
        try (Client client = start.apply(app)) {
            assertThat(client.get("/tagged").header("x-route")).hasValue("yes");
            assertThat(client.get("/plain").header("x-route")).isEmpty();
        }
    }

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void handler_layers_run_in_the_order_they_were_added(Function<Router, Client> start) {
        List<String> log = new CopyOnWriteArrayList<>();
        Router app = Router.builder()
                .get("/x", Handler.of(() -> {
                    log.add("handler");
                    return "x";
                }).layer(recording("first", log)).layer(recording("second", log)))
                .build();
        try (Client client = start.apply(app)) {
            log.clear(); // the HTTP/2 client's upgrading request already ran through the layers
            client.get("/x");
            assertThat(log).containsExactly("first>", "second>", "handler", "<second", "<first");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void nested_router_layers_apply_only_to_its_routes(Function<Router, Client> start) {
        Router api = Router.builder()
                .layer(tagging("api"))
                .get("/items", () -> "items")
                .build();
        Router app = Router.builder()
                .get("/home", () -> "home")
                .nest("/api", api)
                .build();
        try (Client client = start.apply(app)) {
            assertThat(client.get("/api/items").header("x-api")).hasValue("yes");
            assertThat(client.get("/home").header("x-api")).isEmpty();
            assertThat(client.get("/nothing").header("x-api")).isEmpty();
        }
    }

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void parent_layer_wraps_nested_routes(Function<Router, Client> start) {
        Router api = Router.builder().get("/items", () -> "items").build();
        Router app = Router.builder()
                .layer(tagging("root"))
                .nest("/api", api)
                .build();
        try (Client client = start.apply(app)) {
            assertThat(client.get("/api/items").header("x-root")).hasValue("yes");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void nested_route_runs_parent_layers_then_parent_route_layers_then_child_layers_then_child_route_layers_then_route_layers(
            Function<Router, Client> start) {
        List<String> log = new CopyOnWriteArrayList<>();
        Router.Builder child = Router.builder()
                .routeLayer(recording("childRoute", log))
                .layer(recording("childLayer", log))
                .get("/x", Handler.of(() -> {
                    log.add("handler");
                    return "x";
                }).layer(recording("handlerLayer", log)));
        Router app = Router.builder()
                .nest("/api", child)
                .routeLayer(recording("parentRoute", log))
                .layer(recording("parentLayer", log))
                .build();
        try (Client client = start.apply(app)) {
            log.clear(); // the HTTP/2 client's upgrading request already ran through the layers
            assertThat(client.get("/api/x").status()).isEqualTo(200);
            assertThat(log).containsExactly(
                    "parentLayer>", "parentRoute>", "childLayer>", "childRoute>", "handlerLayer>",
                    "handler",
                    "<handlerLayer", "<childRoute", "<childLayer", "<parentRoute", "<parentLayer");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void middleware_can_answer_without_calling_the_handler(Function<Router, Client> start) {
        AtomicBoolean handlerRan = new AtomicBoolean();
        Router app = Router.builder()
                .layer((request, next) -> Response.text(Status.SERVICE_UNAVAILABLE, "maintenance"))
                .get("/x", () -> {
                    handlerRan.set(true);
                    return "x";
                })
                .build();
        try (Client client = start.apply(app)) {
            TestResponse response = client.get("/x");
            assertThat(response.status()).isEqualTo(503);
            assertThat(response.body()).isEqualTo("maintenance");
            assertThat(handlerRan).isFalse();
        }
    }

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void short_circuiting_layer_stops_inner_layers(Function<Router, Client> start) {
        List<String> log = new CopyOnWriteArrayList<>();
        Router app = Router.builder()
                .layer(recording("outer", log))
                .layer((request, next) -> Response.text(Status.FORBIDDEN, "no"))
                .layer(recording("inner", log))
                .get("/x", () -> "x")
                .build();
        try (Client client = start.apply(app)) {
            log.clear(); // the HTTP/2 client's upgrading request already ran through the layers
            assertThat(client.get("/x").status()).isEqualTo(403);
            assertThat(log).containsExactly("outer>", "<outer");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void layer_sees_the_matched_path_after_next_runs(Function<Router, Client> start) {
        List<String> seen = new CopyOnWriteArrayList<>();
        Router.Builder users = Router.builder().get("/{id}", () -> "user");
        Router app = Router.builder()
                .layer((request, next) -> {
                    seen.add("before=" + request.matchedPath().orElse("none"));
                    Response response = next.run(request);
                    seen.add("after=" + request.matchedPath().orElse("none"));
                    return response;
                })
                .nest("/users", users)
                .build();
        try (Client client = start.apply(app)) {
            seen.clear(); // the HTTP/2 client's upgrading request already ran through the layers
            client.get("/users/ada");
            assertThat(seen).containsExactly("before=none", "after=/users/{id}");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void layer_sees_no_matched_path_for_an_unmatched_request(Function<Router, Client> start) {
        List<String> seen = new CopyOnWriteArrayList<>();
        Router app = Router.builder()
                .layer((request, next) -> {
                    Response response = next.run(request);
                    seen.add(request.matchedPath().orElse("none"));
                    return response;
                })
                .get("/x", () -> "x")
                .build();
        try (Client client = start.apply(app)) {
            seen.clear(); // the HTTP/2 client's upgrading request already ran through the layers
            client.get("/nothing");
            assertThat(seen).containsExactly("none");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void route_layer_sees_the_matched_path_before_next_runs(Function<Router, Client> start) {
        List<String> seen = new CopyOnWriteArrayList<>();
        Router app = Router.builder()
                .routeLayer((request, next) -> {
                    seen.add(request.matchedPath().orElse("none"));
                    return next.run(request);
                })
                .get("/items/{id}", () -> "item")
                .build();
        try (Client client = start.apply(app)) {
            seen.clear(); // the HTTP/2 client's upgrading request already ran through the layers
            client.get("/items/7");
            assertThat(seen).containsExactly("/items/{id}");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void nested_router_layer_wraps_its_fallback(Function<Router, Client> start) {
        Router api = Router.builder()
                .layer(tagging("api"))
                .get("/items", () -> "items")
                .fallback(() -> Response.text(Status.NOT_FOUND, "api fallback"))
                .build();
        Router app = Router.builder().nest("/api", api).build();
        try (Client client = start.apply(app)) {
            TestResponse response = client.get("/api/nothing");
            assertThat(response.body()).isEqualTo("api fallback");
            assertThat(response.header("x-api")).hasValue("yes");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void nested_router_layer_wraps_the_405_on_its_paths(Function<Router, Client> start) {
        Router api = Router.builder()
                .layer(tagging("api"))
                .get("/items", () -> "items")
                .build();
        Router app = Router.builder().nest("/api", api).build();
        try (Client client = start.apply(app)) {
            TestResponse response = client.delete("/api/items");
            assertThat(response.status()).isEqualTo(405);
            assertThat(response.header("x-api")).hasValue("yes");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void parent_route_layer_does_not_turn_a_nested_fallback_answer_into_a_401(Function<Router, Client> start) {
        Router api = Router.builder()
                .get("/items", () -> "items")
                .fallback(() -> Response.text(Status.NOT_FOUND, "api fallback"))
                .build();
        Router app = Router.builder()
                .routeLayer(requireAuth())
                .nest("/api", api)
                .build();
        try (Client client = start.apply(app)) {
            TestResponse response = client.get("/api/nothing");
            assertThat(response.status()).isEqualTo(404);
            assertThat(response.body()).isEqualTo("api fallback");
            assertThat(client.get("/api/items").status()).isEqualTo(401);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void nested_route_layer_does_not_run_for_the_nested_fallback(Function<Router, Client> start) {
        Router api = Router.builder()
                .routeLayer(requireAuth())
                .get("/items", () -> "items")
                .fallback(() -> Response.text(Status.NOT_FOUND, "api fallback"))
                .build();
        Router app = Router.builder().nest("/api", api).build();
        try (Client client = start.apply(app)) {
            assertThat(client.get("/api/nothing").status()).isEqualTo(404);
        }
    }
}
