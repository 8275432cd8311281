package dev.weft.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.extract.PathParam;
import dev.weft.routing.Router;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class RoutingPrecedenceTest {

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void static_segment_beats_parameter_registered_before_it(Function<Router, Client> start) {
        Router app = Router.builder()
                .get("/users/{id}", PathParam.string("id"), id -> "param " + id)
                .get("/users/me", () -> "static")
                .build();
        try (Client client = start.apply(app)) {
            assertThat(client.get("/users/me").body()).isEqualTo("static");
            assertThat(client.get("/users/ada").body()).isEqualTo("param ada");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void static_segment_beats_parameter_registered_after_it(Function<Router, Client> start) {
        Router app = Router.builder()
                .get("/users/me", () -> "static")
                .get("/users/{id}", PathParam.string("id"), id -> "param " + id)
                .build();
        try (Client client = start.apply(app)) {
            assertThat(client.get("/users/me").body()).isEqualTo("static");
            assertThat(client.get("/users/ada").body()).isEqualTo("param ada");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void parameter_beats_catch_all_for_a_single_segment(Function<Router, Client> start) {
        Router app = Router.builder()
                .get("/files/{*rest}", PathParam.string("rest"), rest -> "rest " + rest)
                .get("/files/{name}", PathParam.string("name"), name -> "name " + name)
                .build();
        try (Client client = start.apply(app)) {
            assertThat(client.get("/files/a.txt").body()).isEqualTo("name a.txt");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void catch_all_takes_paths_the_parameter_route_cannot_match(Function<Router, Client> start) {
        Router app = Router.builder()
                .get("/files/{name}", PathParam.string("name"), name -> "name " + name)
                .get("/files/{*rest}", PathParam.string("rest"), rest -> "rest " + rest)
                .build();
        try (Client client = start.apply(app)) {
            assertThat(client.get("/files/dir/a.txt").body()).isEqualTo("rest dir/a.txt");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void literal_branch_wins_when_both_branches_lead_to_a_route(Function<Router, Client> start) {
        Router app = Router.builder()
                .get("/a/{x}/c", PathParam.string("x"), x -> "x=" + x)
                .get("/a/b/{y}", PathParam.string("y"), y -> "y=" + y)
                .build();
        try (Client client = start.apply(app)) {
            assertThat(client.get("/a/b/c").body()).isEqualTo("y=c");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void parameter_branch_serves_paths_the_literal_branch_does_not_cover(Function<Router, Client> start) {
        Router app = Router.builder()
                .get("/a/{x}/c", PathParam.string("x"), x -> "x=" + x)
                .get("/a/b/{y}", PathParam.string("y"), y -> "y=" + y)
                .build();
        try (Client client = start.apply(app)) {
            assertThat(client.get("/a/q/c").body()).isEqualTo("x=q");
            assertThat(client.get("/a/b/zzz").body()).isEqualTo("y=zzz");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void matcher_backtracks_from_a_dead_end_literal_branch_to_a_parameter(Function<Router, Client> start) {
        Router app = Router.builder()
                .get("/a/b/d", () -> "static")
                .get("/a/{x}/c", PathParam.string("x"), x -> "x=" + x)
                .build();
        try (Client client = start.apply(app)) {
            assertThat(client.get("/a/b/c").body()).isEqualTo("x=b");
            assertThat(client.get("/a/b/d").body()).isEqualTo("static");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void matcher_backtracks_from_a_dead_end_parameter_branch_to_a_catch_all(Function<Router, Client> start) {
        Router app = Router.builder()
                .get("/files/static/x", () -> "static")
                .get("/files/{dir}/y", PathParam.string("dir"), dir -> "dir=" + dir)
                .get("/files/{*rest}", PathParam.string("rest"), rest -> "rest=" + rest)
                .build();
        try (Client client = start.apply(app)) {
            assertThat(client.get("/files/static/z").body()).isEqualTo("rest=static/z");
            assertThat(client.get("/files/static/y").body()).isEqualTo("dir=static");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void parameters_after_backtracking_hold_the_values_of_the_route_that_matched(Function<Router, Client> start) {
        Router app = Router.builder()
                .get("/{a}/{b}/end", PathParam.string("a"), PathParam.string("b"), (a, b) -> a + "," + b)
                .get("/{a}/x/{c}/other", PathParam.string("a"), PathParam.string("c"), (a, c) -> "other")
                .build();
        try (Client client = start.apply(app)) {
            assertThat(client.get("/one/x/end").body()).isEqualTo("one,x");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void catch_all_captures_several_segments(Function<Router, Client> start) {
        Router app = Router.builder()
                .get("/files/{*rest}", PathParam.string("rest"), rest -> rest)
                .build();
        try (Client client = start.apply(app)) {
            assertThat(client.get("/files/a/b/c.txt").body()).isEqualTo("a/b/c.txt");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void catch_all_value_is_percent_decoded(Function<Router, Client> start) {
        Router app = Router.builder()
                .get("/files/{*rest}", PathParam.string("rest"), rest -> rest)
                .build();
        try (Client client = start.apply(app)) {
            assertThat(client.get("/files/my%20docs/caf%C3%A9.txt").body()).isEqualTo("my docs/café.txt");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void catch_all_does_not_match_an_empty_remainder(Function<Router, Client> start) {
        Router app = Router.builder()
                .get("/files/{*rest}", PathParam.string("rest"), rest -> rest)
                .build();
        try (Client client = start.apply(app)) {
            assertThat(client.get("/files/").status()).isEqualTo(404);
            assertThat(client.get("/files").status()).isEqualTo(404);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void path_with_and_without_trailing_slash_are_different_routes(Function<Router, Client> start) {
        Router app = Router.builder()
                .get("/a", () -> "without")
                .get("/a/", () -> "with")
                .build();
        try (Client client = start.apply(app)) {
            assertThat(client.get("/a").body()).isEqualTo("without");
            assertThat(client.get("/a/").body()).isEqualTo("with");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void route_without_trailing_slash_does_not_match_path_with_one(Function<Router, Client> start) {
        Router app = Router.builder()
                .get("/a", () -> "without")
                .get("/users/{id}", PathParam.string("id"), id -> id)
                .build();
        try (Client client = start.apply(app)) {
            assertThat(client.get("/a/").status()).isEqualTo(404);
            assertThat(client.get("/users/1/").status()).isEqualTo(404);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void route_with_trailing_slash_does_not_match_path_without_one(Function<Router, Client> start) {
        Router app = Router.builder()
                .get("/a/", () -> "with")
                .get("/users/{id}/", PathParam.string("id"), id -> id)
                .build();
        try (Client client = start.apply(app)) {
            assertThat(client.get("/a").status()).isEqualTo(404);
            assertThat(client.get("/users/1").status()).isEqualTo(404);
            assertThat(client.get("/users/1/").body()).isEqualTo("1");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void matching_is_case_sensitive(Function<Router, Client> start) {
        Router app = Router.builder()
                .get("/users", () -> "users")
                .get("/teams/{id}", PathParam.string("id"), id -> id)
                .build();
        try (Client client = start.apply(app)) {
            assertThat(client.get("/users").status()).isEqualTo(200);
            assertThat(client.get("/Users").status()).isEqualTo(404);
            assertThat(client.get("/USERS").status()).isEqualTo(404);
            assertThat(client.get("/Teams/1").status()).isEqualTo(404);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void parameter_does_not_match_an_empty_segment(Function<Router, Client> start) {
        Router app = Router.builder()
                .get("/users/{id}/posts", PathParam.string("id"), id -> id)
                .build();
        try (Client client = start.apply(app)) {
            assertThat(client.get("/users//posts").status()).isEqualTo(404);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void a_thousand_routes_each_reach_their_own_handler(Function<Router, Client> start) {
        Router.Builder builder = Router.builder();
        for (int i = 0; i < 500; i++) {
            int n = i;
            builder.get("/s" + n + "/info", () -> "static " + n);
            builder.get("/p" + n + "/{id}", PathParam.string("id"), id -> "param " + n + " " + id);
        }
        Router app = builder.build();
        assertThat(app.routes()).hasSize(1000);
        try (Client client = start.apply(app)) {
            for (int i = 0; i < 500; i += 7) {
                assertThat(client.get("/s" + i + "/info").body()).isEqualTo("static " + i);
                assertThat(client.get("/p" + i + "/x" + i).body()).isEqualTo("param " + i + " x" + i);
            }
            assertThat(client.get("/s499/info").body()).isEqualTo("static 499");
            assertThat(client.get("/p499/last").body()).isEqualTo("param 499 last");
            assertThat(client.get("/s500/info").status()).isEqualTo(404);
            assertThat(client.get("/p7").status()).isEqualTo(404);
        }
    }
}
