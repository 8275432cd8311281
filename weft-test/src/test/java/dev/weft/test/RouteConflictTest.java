package dev.weft.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.WeftException;
import dev.weft.extract.PathParam;
import dev.weft.routing.InvalidRouteException;
import dev.weft.routing.RouteConflictException;
import dev.weft.routing.Router;
import org.junit.jupiter.api.Test;

/** Mistakes in the route set fail when the router is built, with a message naming the routes. */
class RouteConflictTest {

    @Test
    void duplicate_method_and_path_fails_naming_both_routes() {
        assertThatThrownBy(() -> Router.builder()
                        .get("/users", () -> "one")
                        .get("/users", () -> "two")
                        .build())
                .isInstanceOf(RouteConflictException.class)
                .hasMessageContaining("GET /users conflicts with GET /users");
    }

    @Test
    void parameters_differing_only_in_name_conflict() {
        assertThatThrownBy(() -> Router.builder()
                        .get("/users/{id}", PathParam.string("id"), id -> id)
                        .get("/users/{name}", PathParam.string("name"), name -> name)
                        .build())
                .isInstanceOf(RouteConflictException.class)
                .hasMessageContaining("GET /users/{id}")
                .hasMessageContaining("GET /users/{name}");
    }

    @Test
    void catch_alls_differing_only_in_name_conflict() {
        assertThatThrownBy(() -> Router.builder()
                        .get("/files/{*path}", PathParam.string("path"), p -> p)
                        .get("/files/{*rest}", PathParam.string("rest"), r -> r)
                        .build())
                .isInstanceOf(RouteConflictException.class)
                .hasMessageContaining("GET /files/{*path}")
                .hasMessageContaining("GET /files/{*rest}");
    }

    @Test
    void different_methods_on_the_same_path_do_not_conflict() {
        assertThatCode(() -> Router.builder()
                        .get("/users/{id}", PathParam.string("id"), id -> id)
                        .put("/users/{id}", PathParam.string("id"), id -> id)
                        .delete("/users/{id}", PathParam.string("id"), id -> id)
                        .build())
                .doesNotThrowAnyException();
    }

    @Test
    void legacy_colon_parameter_fails_pointing_to_the_braced_form() {
        assertThatThrownBy(() -> Router.builder()
                        .get("/users/:id", () -> "x")
                        .build())
                .isInstanceOf(InvalidRouteException.class)
                .hasMessageContaining("/users/:id")
                .hasMessageContaining("{id}");
    }

    @Test
    void legacy_star_catch_all_fails_pointing_to_the_braced_form() {
        assertThatThrownBy(() -> Router.builder()
                        .get("/files/*rest", () -> "x")
                        .build())
                .isInstanceOf(InvalidRouteException.class)
                .hasMessageContaining("/files/*rest")
                .hasMessageContaining("{*rest}");
    }

    @Test
    void path_not_starting_with_a_slash_fails() {
        assertThatThrownBy(() -> Router.builder()
                        .get("users", () -> "x")
                        .build())
                .isInstanceOf(InvalidRouteException.class)
                .hasMessageContaining("users")
                .hasMessageContaining("'/'");
    }

    @Test
    void empty_path_fails() {
        assertThatThrownBy(() -> Router.builder()
                        .get("", () -> "x")
                        .build())
                .isInstanceOf(InvalidRouteException.class);
    }

    @Test
    void catch_all_that_is_not_the_last_segment_fails() {
        assertThatThrownBy(() -> Router.builder()
                        .get("/files/{*rest}/meta", PathParam.string("rest"), r -> r)
                        .build())
                .isInstanceOf(InvalidRouteException.class)
                .hasMessageContaining("/files/{*rest}/meta")
                .hasMessageContaining("last");
    }

    @Test
    void nest_prefix_ending_with_a_slash_fails() {
        Router inner = Router.builder().get("/x", () -> "x").build();
        assertThatThrownBy(() -> Router.builder()
                        .nest("/api/", inner)
                        .build())
                .isInstanceOf(InvalidRouteException.class)
                .hasMessageContaining("/api/")
                .hasMessageContaining("'/api'");
    }

    @Test
    void nest_prefix_equal_to_slash_fails_pointing_to_merge() {
        Router inner = Router.builder().get("/x", () -> "x").build();
        assertThatThrownBy(() -> Router.builder()
                        .nest("/", inner)
                        .build())
                .isInstanceOf(InvalidRouteException.class)
                .hasMessageContaining("merge");
    }

    @Test
    void root_route_conflicting_with_a_nested_route_fails_naming_full_patterns() {
        Router inner = Router.builder()
                .get("/users/{user_id}", PathParam.string("user_id"), id -> id)
                .build();
        assertThatThrownBy(() -> Router.builder()
                        .get("/api/users/{id}", PathParam.string("id"), id -> id)
                        .nest("/api", inner)
                        .build())
                .isInstanceOf(RouteConflictException.class)
                .hasMessageContaining("GET /api/users/{id}")
                .hasMessageContaining("GET /api/users/{user_id}");
    }

    @Test
    void nested_root_route_conflicting_with_the_prefix_route_fails() {
        Router inner = Router.builder().get("/", () -> "inner").build();
        assertThatThrownBy(() -> Router.builder()
                        .get("/api", () -> "outer")
                        .nest("/api", inner)
                        .build())
                .isInstanceOf(RouteConflictException.class)
                .hasMessageContaining("GET /api conflicts with GET /api");
    }

    @Test
    void routes_of_two_nested_routers_conflicting_fail_naming_full_patterns() {
        Router.Builder members = Router.builder().get("/members", () -> "a");
        Router.Builder people = Router.builder().get("/members", () -> "b");
        assertThatThrownBy(() -> Router.builder()
                        .nest("/teams/{team}", members)
                        .nest("/teams/{id}", people)
                        .build())
                .isInstanceOf(RouteConflictException.class)
                .hasMessageContaining("GET /teams/{team}/members")
                .hasMessageContaining("GET /teams/{id}/members");
    }

    @Test
    void routes_of_two_merged_routers_conflicting_fail_naming_both_routes() {
        Router a = Router.builder().get("/items/{id}", PathParam.string("id"), id -> id).build();
        Router b = Router.builder().get("/items/{item}", PathParam.string("item"), id -> id).build();
        assertThatThrownBy(() -> Router.builder()
                        .merge(a)
                        .merge(b)
                        .build())
                .isInstanceOf(RouteConflictException.class)
                .hasMessageContaining("GET /items/{id}")
                .hasMessageContaining("GET /items/{item}");
    }

    @Test
    void route_of_a_merged_router_conflicting_with_a_root_route_fails() {
        Router other = Router.builder().post("/items", () -> "merged").build();
        assertThatThrownBy(() -> Router.builder()
                        .post("/items", () -> "root")
                        .merge(other)
                        .build())
                .isInstanceOf(RouteConflictException.class)
                .hasMessageContaining("POST /items conflicts with POST /items");
    }

    @Test
    void path_param_missing_from_the_pattern_fails_at_build_naming_the_route() {
        assertThatThrownBy(() -> Router.builder()
                        .get("/users/{id}", PathParam.string("name"), name -> name)
                        .build())
                .isInstanceOf(WeftException.class)
                .hasMessageContaining("GET /users/{id}")
                .hasMessageContaining("name");
    }

    @Test
    void path_param_missing_from_the_pattern_is_reported_as_an_invalid_route() {
        // Router.Builder#build documents InvalidRouteException for an extractor that does not fit
        // its route, "for example a path parameter the pattern does not have".
        assertThatThrownBy(() -> Router.builder()
                        .get("/users/{id}", PathParam.string("name"), name -> name)
                        .build())
                .isInstanceOf(InvalidRouteException.class);
    }

    @Test
    void path_param_missing_from_a_nested_route_names_the_full_pattern() {
        Router.Builder inner = Router.builder().get("/users/{id}", PathParam.string("name"), name -> name);
        assertThatThrownBy(() -> Router.builder()
                        .nest("/api", inner)
                        .build())
                .isInstanceOf(WeftException.class)
                .hasMessageContaining("GET /api/users/{id}");
    }

    @Test
    void path_param_reading_a_prefix_parameter_of_a_built_nested_router_fails_at_its_own_build() {
        assertThatThrownBy(() -> Router.builder()
                        .get("/members", PathParam.string("team"), team -> team)
                        .build())
                .isInstanceOf(WeftException.class)
                .hasMessageContaining("GET /members")
                .hasMessageContaining("team");
    }

    @Test
    void two_merged_routers_with_fallbacks_fail() {
        Router a = Router.builder().get("/a", () -> "a").fallback(() -> "fallback a").build();
        Router b = Router.builder().get("/b", () -> "b").fallback(() -> "fallback b").build();
        assertThatThrownBy(() -> Router.builder()
                        .merge(a)
                        .merge(b)
                        .build())
                .isInstanceOf(RouteConflictException.class)
                .hasMessageContaining("fallback");
    }

    @Test
    void root_fallback_and_a_merged_router_fallback_fail() {
        Router a = Router.builder().get("/a", () -> "a").fallback(() -> "fallback a").build();
        assertThatThrownBy(() -> Router.builder()
                        .fallback(() -> "root fallback")
                        .merge(a)
                        .build())
                .isInstanceOf(RouteConflictException.class)
                .hasMessageContaining("fallback");
    }

    @Test
    void nested_router_with_its_own_fallback_does_not_conflict_with_the_root_fallback() {
        Router inner = Router.builder().get("/x", () -> "x").fallback(() -> "inner").build();
        assertThat(Router.builder()
                        .fallback(() -> "root")
                        .nest("/api", inner)
                        .build()
                        .routes())
                .extracting(r -> r.method() + " " + r.pattern())
                .contains("GET /api/x");
    }

    @Test
    void two_routers_nested_at_the_same_prefix_both_with_fallbacks_fail() {
        Router a = Router.builder().get("/a", () -> "a").fallback(() -> "fallback a").build();
        Router b = Router.builder().get("/b", () -> "b").fallback(() -> "fallback b").build();
        assertThatThrownBy(() -> Router.builder()
                        .nest("/api", a)
                        .nest("/api", b)
                        .build())
                .isInstanceOf(RouteConflictException.class)
                .hasMessageContaining("/api")
                .hasMessageContaining("fallback");
    }

    @Test
    void two_routers_nested_at_prefixes_differing_only_in_parameter_name_both_with_fallbacks_fail() {
        // The prefixes match exactly the same paths, like /users/{id} and /users/{name} do for routes;
        // only one of the two fallbacks could ever answer.
        Router.Builder a = Router.builder().get("/a", () -> "a").fallback(() -> "fallback a");
        Router.Builder b = Router.builder().get("/b", () -> "b").fallback(() -> "fallback b");
        assertThatThrownBy(() -> Router.builder()
                        .nest("/teams/{team}", a)
                        .nest("/teams/{id}", b)
                        .build())
                .isInstanceOf(RouteConflictException.class)
                .hasMessageContaining("fallback");
    }

    @Test
    void nested_route_reusing_a_prefix_parameter_name_fails() {
        Router.Builder inner = Router.builder().get("/members/{id}", PathParam.string("id"), id -> id);
        assertThatThrownBy(() -> Router.builder()
                        .nest("/teams/{id}", inner)
                        .build())
                .isInstanceOf(InvalidRouteException.class)
                .hasMessageContaining("/teams/{id}/members/{id}")
                .hasMessageContaining("{id}");
    }

    @Test
    void same_parameter_name_twice_in_one_route_fails() {
        assertThatThrownBy(() -> Router.builder()
                        .get("/a/{id}/b/{id}", PathParam.string("id"), id -> id)
                        .build())
                .isInstanceOf(InvalidRouteException.class)
                .hasMessageContaining("/a/{id}/b/{id}");
    }

    @Test
    void parameter_that_is_not_a_whole_segment_fails() {
        assertThatThrownBy(() -> Router.builder()
                        .get("/files/{name}.json", PathParam.string("name"), n -> n)
                        .build())
                .isInstanceOf(InvalidRouteException.class)
                .hasMessageContaining("/files/{name}.json");
    }

    @Test
    void empty_segment_in_a_route_fails() {
        assertThatThrownBy(() -> Router.builder()
                        .get("/a//b", () -> "x")
                        .build())
                .isInstanceOf(InvalidRouteException.class)
                .hasMessageContaining("/a//b");
    }

    @Test
    void nest_prefix_with_a_catch_all_fails() {
        Router inner = Router.builder().get("/x", () -> "x").build();
        assertThatThrownBy(() -> Router.builder()
                        .nest("/files/{*rest}", inner)
                        .build())
                .isInstanceOf(InvalidRouteException.class)
                .hasMessageContaining("/files/{*rest}");
    }
}
