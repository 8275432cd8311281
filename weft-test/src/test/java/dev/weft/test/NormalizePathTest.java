package dev.weft.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.extract.Extract;
import dev.weft.extract.PathParam;
import dev.weft.http.Method;
import dev.weft.http.Request;
import dev.weft.middleware.NormalizePath;
import dev.weft.response.Response;
import dev.weft.routing.Router;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link NormalizePath} over every client: 308 redirects that keep the method and query, rewrites,
 * only towards a route, and paths that must never become an open redirect.
 */
class NormalizePathTest {

    static Stream<Named<Function<Router, Client>>> clients() {
        return Clients.both();
    }

    private static Router app(NormalizePath layer) {
        Router api = Router.builder().get("/items", () -> "items").build();
        return Router.builder()
                .layer(layer)
                .get("/users", Extract.request(), NormalizePathTest::describe)
                .post("/users", Extract.request(), NormalizePathTest::describe)
                .delete("/users", () -> Response.noContent())
                .get("/users/{id}", PathParam.string("id"), id -> "user " + id)
                .get("/docs/", () -> "docs")
                .get("/evil.com", () -> "a local page called evil.com")
                .get("/files/{name}", PathParam.string("name"), name -> "file " + name)
                .get("/raw/{x}", Extract.request(), r -> "raw " + r.path())
                .nest("/api", api)
                .build();
    }

    private static String describe(Request request) {
        return request.method() + " path=" + request.path() + " target=" + request.target() + " matched="
                + request.matchedPath().orElse("-");
    }

    // ---------------------------------------------------------------- redirect

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void a_trailing_slash_is_redirected_308_keeping_the_query(Function<Router, Client> clients) {
        try (Client client = clients.apply(app(NormalizePath.redirect()))) {
            TestResponse answer = client.get("/users/?page=2&q=a%2Fb");

            assertThat(answer.status()).isEqualTo(308);
            assertThat(answer.header("location")).contains("/users?page=2&q=a%2Fb");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void every_method_gets_a_308_so_it_is_repeated_as_it_was(Function<Router, Client> clients) {
        try (Client client = clients.apply(app(NormalizePath.redirect()))) {
            TestResponse head = client.head("/users/");
            TestResponse post = client.post("/users/").json("{}").send();
            TestResponse delete = client.delete("/users/");

            for (TestResponse answer : List.of(head, post, delete)) {
                assertThat(answer.status()).as("%s", answer).isEqualTo(308);
                assertThat(answer.header("location")).as("%s", answer).contains("/users");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void a_missing_trailing_slash_is_added_when_only_that_form_has_a_route(Function<Router, Client> clients) {
        try (Client client = clients.apply(app(NormalizePath.redirect()))) {
            assertThat(client.get("/docs").header("location")).contains("/docs/");
            assertThat(client.get("/docs/").body()).isEqualTo("docs");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void runs_of_slashes_are_collapsed(Function<Router, Client> clients) {
        try (Client client = clients.apply(app(NormalizePath.redirect()))) {
            assertThat(Clients.rawGet(client, "//users///42").header("location")).contains("/users/42");
            assertThat(Clients.rawGet(client, "/users//").header("location")).contains("/users");
            assertThat(Clients.rawGet(client, "//api//items/").header("location")).contains("/api/items");
            assertThat(Clients.rawGet(client, "/" + "/".repeat(1500) + "users").header("location")).contains("/users");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void a_protocol_relative_path_is_never_sent_back_as_one(Function<Router, Client> clients) {
        try (Client client = clients.apply(app(NormalizePath.redirect()))) {
            for (String target : List.of("//evil.com", "//evil.com/", "///evil.com", "//evil.com?next=//evil.com")) {
                TestResponse answer = Clients.rawGet(client, target);
                assertThat(answer.status()).as(target).isEqualTo(308);
                assertThat(answer.header("location")).as(target).hasValueSatisfying(location ->
                        assertThat(location).startsWith("/evil.com").doesNotStartWith("//"));
            }
        }
        Router withoutThatRoute = Router.builder().layer(NormalizePath.redirect()).get("/", () -> "home").build();
        try (Client client = clients.apply(withoutThatRoute)) {
            TestResponse answer = Clients.rawGet(client, "//evil.com");
            assertThat(answer.status()).isEqualTo(404);
            assertThat(answer.header("location")).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void a_backslash_after_the_first_slash_is_never_redirected_to(Function<Router, Client> clients) {
        // Browsers read "/\evil.com" in a Location as "//evil.com": another host.
        Router pages = Router.builder().layer(NormalizePath.redirect()).get("/{page}", () -> "page").build();
        try (Client client = clients.apply(pages)) {
            assertThat(Clients.rawGet(client, "/about/").header("location")).contains("/about");
            for (String target : List.of("/\\evil.com/", "//\\evil.com")) {
                TestResponse answer = Clients.rawGet(client, target);
                assertThat(answer.status()).as(target).isIn(400, 404);
                assertThat(answer.header("location")).as(target).isEmpty();
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void percent_encoded_slashes_are_left_alone(Function<Router, Client> clients) {
        try (Client client = clients.apply(app(NormalizePath.redirect()))) {
            assertThat(client.get("/files/a%2F%2Fb/").header("location")).contains("/files/a%2F%2Fb");
            assertThat(Clients.rawGet(client, "/files//a%2F%2Fb").header("location")).contains("/files/a%2F%2Fb");
            assertThat(client.get("/files/a%2F%2Fb").body()).isEqualTo("file a//b");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void a_path_with_raw_non_ascii_is_redirected_percent_encoded(Function<Router, Client> clients) {
        try (Client client = clients.apply(app(NormalizePath.redirect()))) {
            TestResponse answer = Clients.rawGet(client, "/files/caf\u00e9/");
            if (answer.status() == 308) {
                assertThat(answer.header("location")).contains("/files/caf%C3%A9");
            } else {
                assertThat(answer.status()).isEqualTo(400); // a transport that refuses raw UTF-8 in targets
            }
            assertThat(client.get("/files/caf%C3%A9").body()).isEqualTo("file café");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void a_path_that_has_a_route_or_whose_fix_has_none_is_left_alone(Function<Router, Client> clients) {
        try (Client client = clients.apply(app(NormalizePath.redirect()))) {
            assertThat(client.get("/users").status()).isEqualTo(200);
            assertThat(client.get("/nothing/").status()).isEqualTo(404);
            assertThat(client.get("/nothing/").header("location")).isEmpty();
            assertThat(Clients.rawGet(client, "//nothing//").status()).isEqualTo(404);
            assertThat(client.get("/").status()).isEqualTo(404);
        }
    }

    // ---------------------------------------------------------------- rewrite

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void rewrite_routes_the_fixed_path_and_keeps_the_target(Function<Router, Client> clients) {
        try (Client client = clients.apply(app(NormalizePath.rewrite()))) {
            assertThat(client.get("/users/?x=1").body()).isEqualTo("GET path=/users target=/users/?x=1 matched=/users");
            assertThat(client.post("/users/").json("{}").send().body()).startsWith("POST path=/users ");
            assertThat(Clients.rawGet(client, "//users///42").body()).isEqualTo("user 42");
            assertThat(client.get("/docs").body()).isEqualTo("docs");
            assertThat(Clients.rawGet(client, "//api//items/").body()).isEqualTo("items");
            assertThat(client.head("/users/").status()).isEqualTo(200);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void rewrite_leaves_a_path_without_a_fixed_route_to_the_router(Function<Router, Client> clients) {
        try (Client client = clients.apply(app(NormalizePath.rewrite()))) {
            assertThat(client.get("/nothing/").status()).isEqualTo(404);
            assertThat(Clients.rawGet(client, "//nothing").status()).isEqualTo(404);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void options_star_is_not_a_path_to_normalize(Function<Router, Client> clients) {
        try (Client client = clients.apply(app(NormalizePath.redirect()))) {
            TestResponse answer = Clients.sendVerbatim(client, Method.OPTIONS, "*");
            assertThat(answer.status()).isEqualTo(204);
            assertThat(answer.header("location")).isEmpty();
        }
    }
}
