package dev.weft.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.extract.Extract;
import dev.weft.http.Request;
import dev.weft.response.Response;
import dev.weft.response.Status;
import dev.weft.routing.Handler;
import dev.weft.routing.Router;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** What answers when no route matches. */
class FallbackTest {

    private static final Status TEAPOT = new Status(418, "I'm a teapot");

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void custom_fallback_answers_with_its_own_status(Function<Router, Client> start) {
        Router app = Router.builder()
                .get("/known", () -> "known")
                .fallback(() -> Response.text(TEAPOT, "short and stout"))
                .build();
        try (Client client = start.apply(app)) {
            TestResponse response = client.get("/unknown");
            assertThat(response.status()).isEqualTo(418);
            assertThat(response.body()).isEqualTo("short and stout");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void custom_fallback_can_answer_an_html_404(Function<Router, Client> start) {
        Router app = Router.builder()
                .get("/known", () -> "known")
                .fallback(() -> Response.html("<h1>Nothing here</h1>").withStatus(Status.NOT_FOUND))
                .build();
        try (Client client = start.apply(app)) {
            TestResponse response = client.get("/missing/page");
            assertThat(response.status()).isEqualTo(404);
            assertThat(response.contentType()).startsWith("text/html");
            assertThat(response.body()).isEqualTo("<h1>Nothing here</h1>");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void fallback_handler_can_use_extractors(Function<Router, Client> start) {
        Router app = Router.builder()
                .fallback(Handler.of(Extract.request(), (Request request) -> Response.text(Status.NOT_FOUND,
                        "no " + request.path())))
                .build();
        try (Client client = start.apply(app)) {
            TestResponse response = client.get("/some/where");
            assertThat(response.status()).isEqualTo(404);
            assertThat(response.body()).isEqualTo("no /some/where");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void fallback_does_not_answer_a_known_path_with_the_wrong_method(Function<Router, Client> start) {
        Router app = Router.builder()
                .get("/known", () -> "known")
                .fallback(() -> Response.text(TEAPOT, "fallback"))
                .build();
        try (Client client = start.apply(app)) {
            assertThat(client.delete("/known").status()).isEqualTo(405);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void nested_fallback_answers_unmatched_paths_under_its_prefix(Function<Router, Client> start) {
        Router api = Router.builder()
                .get("/items", () -> "items")
                .fallback(() -> Response.text(Status.NOT_FOUND, "api fallback"))
                .build();
        Router app = Router.builder()
                .nest("/api", api)
                .fallback(() -> Response.text(TEAPOT, "root fallback"))
                .build();
        try (Client client = start.apply(app)) {
            TestResponse response = client.get("/api/nothing");
            assertThat(response.status()).isEqualTo(404);
            assertThat(response.body()).isEqualTo("api fallback");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void root_fallback_answers_unmatched_paths_outside_the_nested_prefix(Function<Router, Client> start) {
        Router api = Router.builder()
                .get("/items", () -> "items")
                .fallback(() -> Response.text(Status.NOT_FOUND, "api fallback"))
                .build();
        Router app = Router.builder()
                .nest("/api", api)
                .fallback(() -> Response.text(TEAPOT, "root fallback"))
                .build();
        try (Client client = start.apply(app)) {
            assertThat(client.get("/elsewhere").body()).isEqualTo("root fallback");
            assertThat(client.get("/apix").body()).isEqualTo("root fallback");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void root_fallback_answers_under_a_nested_prefix_without_its_own_fallback(Function<Router, Client> start) {
        Router api = Router.builder().get("/items", () -> "items").build();
        Router app = Router.builder()
                .nest("/api", api)
                .fallback(() -> Response.text(TEAPOT, "root fallback"))
                .build();
        try (Client client = start.apply(app)) {
            TestResponse response = client.get("/api/nothing");
            assertThat(response.status()).isEqualTo(418);
            assertThat(response.body()).isEqualTo("root fallback");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void innermost_fallback_wins_with_two_levels_of_nesting(Function<Router, Client> start) {
        Router v1 = Router.builder()
                .get("/x", () -> "x")
                .fallback(() -> Response.text(Status.NOT_FOUND, "v1 fallback"))
                .build();
        Router api = Router.builder()
                .nest("/v1", v1)
                .fallback(() -> Response.text(Status.NOT_FOUND, "api fallback"))
                .build();
        Router app = Router.builder().nest("/api", api).build();
        try (Client client = start.apply(app)) {
            assertThat(client.get("/api/v1/nothing").body()).isEqualTo("v1 fallback");
            assertThat(client.get("/api/v2/nothing").body()).isEqualTo("api fallback");
            assertThat(client.get("/nothing").contentType()).startsWith("application/problem+json");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void fallback_of_a_merged_router_answers_unmatched_paths(Function<Router, Client> start) {
        Router other = Router.builder()
                .get("/other", () -> "other")
                .fallback(() -> Response.text(TEAPOT, "merged fallback"))
                .build();
        Router app = Router.builder().get("/mine", () -> "mine").merge(other).build();
        try (Client client = start.apply(app)) {
            assertThat(client.get("/nothing").body()).isEqualTo("merged fallback");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void nested_fallback_under_a_parameter_prefix_answers_unmatched_paths_below_it(Function<Router, Client> start) {
        Router.Builder team = Router.builder()
                .get("/members", () -> "members")
                .fallback(() -> Response.text(Status.NOT_FOUND, "team fallback"));
        Router app = Router.builder()
                .nest("/teams/{team}", team)
                .fallback(() -> Response.text(TEAPOT, "root fallback"))
                .build();
        try (Client client = start.apply(app)) {
            assertThat(client.get("/teams/red/nothing").body()).isEqualTo("team fallback");
            assertThat(client.get("/teams").body()).isEqualTo("root fallback");
        }
    }
}
