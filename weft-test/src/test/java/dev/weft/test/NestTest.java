package dev.weft.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.extract.Extract;
import dev.weft.extract.PathParam;
import dev.weft.extract.State;
import dev.weft.routing.Router;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code nest(prefix, router)}: routes declared without the prefix, matched paths with it. */
class NestTest {

    record Greeting(String text) {}

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void nested_router_sees_path_without_prefix(Function<Router, Client> start) {
        Router users = Router.builder().get("/{id}", PathParam.string("id"), id -> "user " + id).build();
        Router app = Router.builder().nest("/users", users).build();
        try (Client client = start.apply(app)) {
            TestResponse response = client.get("/users/ada");
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("user ada");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void nested_route_is_not_reachable_without_its_prefix(Function<Router, Client> start) {
        Router users = Router.builder().get("/list", () -> "list").build();
        Router app = Router.builder().nest("/users", users).build();
        try (Client client = start.apply(app)) {
            assertThat(client.get("/list").status()).isEqualTo(404);
            assertThat(client.get("/users/list").status()).isEqualTo(200);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void a_nested_route_sees_the_path_the_client_sent_nothing_stripped(Function<Router, Client> start) {
        Router users = Router.builder().get("/{id}", Extract.request(), request -> request.path() + " " + request.target())
                .build();
        Router app = Router.builder().nest("/users", users).build();
        try (Client client = start.apply(app)) {
            assertThat(client.get("/users/ada?x=1").body()).isEqualTo("/users/ada /users/ada?x=1");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void matched_path_of_a_nested_route_is_the_full_pattern(Function<Router, Client> start) {
        Router users = Router.builder().get("/{id}", Extract.matchedPath(), path -> path).build();
        Router app = Router.builder().nest("/users", users).build();
        try (Client client = start.apply(app)) {
            assertThat(client.get("/users/ada").body()).isEqualTo("/users/{id}");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void matched_path_through_two_levels_of_nesting_is_the_full_pattern(Function<Router, Client> start) {
        Router users = Router.builder().get("/{id}/posts", Extract.matchedPath(), path -> path).build();
        Router v1 = Router.builder().nest("/users", users).build();
        Router app = Router.builder().nest("/v1", v1).build();
        try (Client client = start.apply(app)) {
            assertThat(client.get("/v1/users/ada/posts").body()).isEqualTo("/v1/users/{id}/posts");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void prefix_parameter_is_readable_from_a_nested_builder(Function<Router, Client> start) {
        Router.Builder members = Router.builder()
                .get("/members/{user}", PathParam.string("team"), PathParam.string("user"),
                        (team, user) -> team + ":" + user);
        Router app = Router.builder().nest("/teams/{team}", members).build();
        try (Client client = start.apply(app)) {
            assertThat(client.get("/teams/red/members/ada").body()).isEqualTo("red:ada");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void matched_path_under_a_parameter_prefix_includes_the_prefix_parameter(Function<Router, Client> start) {
        Router.Builder members = Router.builder().get("/members", Extract.matchedPath(), path -> path);
        Router app = Router.builder().nest("/teams/{team}", members).build();
        try (Client client = start.apply(app)) {
            assertThat(client.get("/teams/red/members").body()).isEqualTo("/teams/{team}/members");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void nested_root_route_serves_the_bare_prefix(Function<Router, Client> start) {
        Router api = Router.builder().get("/", () -> "api root").build();
        Router app = Router.builder().nest("/api", api).build();
        try (Client client = start.apply(app)) {
            assertThat(client.get("/api").body()).isEqualTo("api root");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void nested_root_route_does_not_serve_the_prefix_with_a_trailing_slash(Function<Router, Client> start) {
        Router api = Router.builder().get("/", () -> "api root").build();
        Router app = Router.builder().nest("/api", api).build();
        try (Client client = start.apply(app)) {
            assertThat(client.get("/api/").status()).isEqualTo(404);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void prefix_only_matches_whole_segments(Function<Router, Client> start) {
        Router api = Router.builder().get("/x", () -> "x").build();
        Router app = Router.builder().nest("/api", api).build();
        try (Client client = start.apply(app)) {
            assertThat(client.get("/apix").status()).isEqualTo(404);
            assertThat(client.get("/apix/x").status()).isEqualTo(404);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void state_given_to_the_parent_flows_into_a_nested_builder(Function<Router, Client> start) {
        Router.Builder inner = Router.builder().get("/hello", State.of(Greeting.class), Greeting::text);
        Router app = Router.builder()
                .state(Greeting.class, new Greeting("hi from parent"))
                .nest("/inner", inner)
                .build();
        try (Client client = start.apply(app)) {
            assertThat(client.get("/inner/hello").body()).isEqualTo("hi from parent");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void state_of_the_nested_router_wins_over_the_parent_state(Function<Router, Client> start) {
        Router.Builder inner = Router.builder()
                .state(Greeting.class, new Greeting("inner"))
                .get("/hello", State.of(Greeting.class), Greeting::text);
        Router app = Router.builder()
                .state(Greeting.class, new Greeting("outer"))
                .get("/hello", State.of(Greeting.class), Greeting::text)
                .nest("/inner", inner)
                .build();
        try (Client client = start.apply(app)) {
            assertThat(client.get("/inner/hello").body()).isEqualTo("inner");
            assertThat(client.get("/hello").body()).isEqualTo("outer");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void wrong_method_on_a_nested_path_answers_405(Function<Router, Client> start) {
        Router api = Router.builder().get("/items", () -> "items").build();
        Router app = Router.builder().nest("/api", api).build();
        try (Client client = start.apply(app)) {
            TestResponse response = client.delete("/api/items");
            assertThat(response.status()).isEqualTo(405);
            assertThat(response.header("allow")).hasValue("GET, HEAD, OPTIONS");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void routes_added_to_a_nested_builder_after_nest_are_served(Function<Router, Client> start) {
        Router.Builder users = Router.builder();
        Router.Builder app = Router.builder().nest("/users", users);
        users.get("/late", () -> "late");
        try (Client client = start.apply(app.build())) {
            assertThat(client.get("/users/late").body()).isEqualTo("late");
        }
    }

    @org.junit.jupiter.api.Test
    void nesting_a_builder_into_itself_fails() {
        Router.Builder app = Router.builder();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> app.nest("/self", app))
                .isInstanceOf(dev.weft.routing.InvalidRouteException.class)
                .hasMessageContaining("itself");
    }

    @org.junit.jupiter.api.Test
    void a_nesting_cycle_through_two_builders_fails_at_build() {
        Router.Builder a = Router.builder();
        Router.Builder b = Router.builder().nest("/a", a);
        a.nest("/b", b);
        org.assertj.core.api.Assertions.assertThatThrownBy(a::build)
                .isInstanceOf(dev.weft.routing.InvalidRouteException.class)
                .hasMessageContaining("nested more than 32 deep");
    }
}
