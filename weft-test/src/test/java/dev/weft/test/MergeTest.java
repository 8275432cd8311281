package dev.weft.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.extract.Extract;
import dev.weft.extract.PathParam;
import dev.weft.middleware.Middleware;
import dev.weft.routing.Router;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code merge(router)} combines route sets at the same level. */
class MergeTest {

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void merged_routes_are_served_next_to_the_routers_own(Function<Router, Client> start) {
        Router users = Router.builder().get("/users/{id}", PathParam.string("id"), id -> "user " + id).build();
        Router teams = Router.builder().get("/teams", () -> "teams").build();
        Router app = Router.builder()
                .get("/", () -> "home")
                .merge(users)
                .merge(teams)
                .build();
        try (Client client = start.apply(app)) {
            assertThat(client.get("/").body()).isEqualTo("home");
            assertThat(client.get("/users/ada").body()).isEqualTo("user ada");
            assertThat(client.get("/teams").body()).isEqualTo("teams");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void merged_builder_is_served_like_a_merged_router(Function<Router, Client> start) {
        Router.Builder extra = Router.builder().get("/extra", () -> "extra");
        Router app = Router.builder().merge(extra).build();
        try (Client client = start.apply(app)) {
            assertThat(client.get("/extra").body()).isEqualTo("extra");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void methods_of_one_path_from_two_merged_routers_combine(Function<Router, Client> start) {
        Router reads = Router.builder().get("/items", () -> "list").build();
        Router writes = Router.builder().post("/items", () -> "created").build();
        Router app = Router.builder().merge(reads).merge(writes).build();
        try (Client client = start.apply(app)) {
            assertThat(client.get("/items").body()).isEqualTo("list");
            assertThat(client.post("/items").send().body()).isEqualTo("created");
            TestResponse wrong = client.delete("/items");
            assertThat(wrong.status()).isEqualTo(405);
            assertThat(wrong.header("allow")).hasValue("GET, HEAD, POST, OPTIONS");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void merged_router_keeps_its_layers_on_its_own_routes(Function<Router, Client> start) {
        Middleware tag = Middleware.named("tag", (request, next) -> next.run(request).withHeader("x-merged", "yes"));
        Router other = Router.builder().get("/other", () -> "other").layer(tag).build();
        Router app = Router.builder()
                .get("/mine", () -> "mine")
                .merge(other)
                .build();
        try (Client client = start.apply(app)) {
            assertThat(client.get("/other").header("x-merged")).hasValue("yes");
            assertThat(client.get("/mine").header("x-merged")).isEmpty();
        }
    }

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void matched_path_of_a_merged_route_is_its_own_pattern(Function<Router, Client> start) {
        Router other = Router.builder().get("/things/{id}", Extract.matchedPath(), path -> path).build();
        Router app = Router.builder().merge(other).build();
        try (Client client = start.apply(app)) {
            assertThat(client.get("/things/1").body()).isEqualTo("/things/{id}");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void merged_routes_follow_the_same_precedence_as_own_routes(Function<Router, Client> start) {
        Router params = Router.builder().get("/users/{id}", PathParam.string("id"), id -> "param").build();
        Router statics = Router.builder().get("/users/me", () -> "static").build();
        Router app = Router.builder().merge(params).merge(statics).build();
        try (Client client = start.apply(app)) {
            assertThat(client.get("/users/me").body()).isEqualTo("static");
            assertThat(client.get("/users/ada").body()).isEqualTo("param");
        }
    }
}
