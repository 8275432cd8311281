package dev.weft.test;

import static dev.weft.test.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.extract.Body;
import dev.weft.http.Method;
import dev.weft.middleware.Cors;
import dev.weft.middleware.Middleware;
import dev.weft.response.Problem;
import dev.weft.response.Response;
import dev.weft.response.Status;
import dev.weft.routing.Handler;
import dev.weft.routing.Router;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Cors} over every client: what a preflight is, origins (exact, pattern, hostile look-alikes,
 * {@code null}, several), methods from the router, headers, {@code Vary}, exposure, and CORS headers
 * on every kind of error answer.
 */
class CorsTest {
    private static final String APP_ORIGIN = "https://app.example.com";
    private static final String ACRM = "access-control-request-method";
    private static final String ACRH = "access-control-request-headers";
    private static final String ACAO = "access-control-allow-origin";

    static Stream<Named<Function<Router, Client>>> clients() {
        return Clients.both();
    }

    /** Answers 401 unless the request carries {@code authorization}, as an auth layer would. */
    private static final Middleware AUTH = new Middleware() {
        @Override
        public Response handle(dev.weft.http.Request request, dev.weft.middleware.Next next) throws Exception {
            return request.header("authorization").isPresent() ? next.run(request)
                    : Problem.of(Status.UNAUTHORIZED, "sign in first").toResponse()
                            .withHeader("www-authenticate", "Bearer");
        }

        @Override
        public Kind kind() {
            return Kind.AUTHENTICATION;
        }
    };

    private static final Cors CORS = Cors.builder()
            .allowOrigins(APP_ORIGIN, "http://localhost:3000")
            .allowOriginPatterns("https://*.preview.example.com")
            .allowHeaders("content-type", "X-Trace")
            .exposeHeaders("etag")
            .allowCredentials(true)
            .build();

    private static final Router APP = Router.builder()
            .layer(CORS)
            .get("/todos", () -> "[]")
            .post("/todos", () -> Response.noContent())
            .patch("/todos/{id}", () -> Response.noContent())
            .delete("/todos/{id}", () -> Response.noContent())
            .get("/own-vary", () -> Response.text("v").withHeader("vary", "Accept-Encoding, Origin")
                    .withAddedHeader("vary", "accept-language"))
            .get("/own-cors", () -> Response.text("c").withHeader("access-control-allow-origin", "*")
                    .withHeader("Access-Control-Expose-Headers", "x-secret"))
            .get("/request-id", () -> Response.text("r").withHeader("x-request-id", "abc"))
            .get("/fails", () -> {
                throw new IllegalStateException("deliberate failure in a test");
            })
            .post("/small", Handler.of(Body.bytes(), bytes -> "got " + bytes.length).bodyLimit(8))
            .get("/limited", () -> Problem.of(Status.TOO_MANY_REQUESTS, "slow down").toResponse()
                    .withHeader("retry-after", "7"))
            .get("/private", Handler.of(() -> "secret").layer(AUTH))
            .build();

    // ---------------------------------------------------------------- what a preflight is

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void a_preflight_is_answered_204_without_calling_the_router(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            TestResponse answer = preflight(client, "/todos", APP_ORIGIN, "POST", "content-type, x-trace");

            assertThat(answer.status()).isEqualTo(204);
            assertThat(answer.bodyBytes()).isEmpty();
            assertThat(answer.header(ACAO)).contains(APP_ORIGIN);
            assertThat(answer.header("access-control-allow-methods")).contains("GET, HEAD, POST, OPTIONS");
            assertThat(answer.header("access-control-allow-headers")).contains("content-type, x-trace");
            assertThat(answer.header("access-control-allow-credentials")).contains("true");
            assertThat(answer.header("access-control-max-age")).contains("7200");
            assertThat(answer.header("allow")).as("the router's OPTIONS answer was not used").isEmpty();
            assertThat(varyTokens(answer)).containsExactly("origin", ACRM, ACRH);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void an_options_request_without_a_requested_method_goes_to_the_router(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            TestResponse answer = client.request(Method.OPTIONS, "/todos").header("origin", APP_ORIGIN).send();

            assertThat(answer.status()).isEqualTo(204);
            assertThat(answer.header("allow")).contains("GET, HEAD, POST, OPTIONS");
            assertThat(answer.header(ACAO)).contains(APP_ORIGIN);
            assertThat(answer.header("access-control-allow-methods")).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void an_options_request_without_origin_goes_to_the_router(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            TestResponse answer = client.request(Method.OPTIONS, "/todos").header(ACRM, "POST").send();

            assertThat(answer.status()).isEqualTo(204);
            assertThat(answer.header("allow")).contains("GET, HEAD, POST, OPTIONS");
            assertThat(answer.headers().names()).noneMatch(n -> n.startsWith("access-control-"));
            assertThat(varyTokens(answer)).containsExactly("origin");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void a_preflight_from_an_unlisted_origin_is_refused_403_without_cors_headers(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            TestResponse answer = preflight(client, "/todos", "https://evil.example.net", "POST", null);

            assertProblem(answer, 403);
            assertThat(answer.body()).contains("origin");
            assertThat(answer.headers().names()).noneMatch(n -> n.startsWith("access-control-"));
            assertThat(varyTokens(answer)).contains("origin");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void a_preflight_for_a_method_the_path_does_not_have_is_refused(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            TestResponse answer = preflight(client, "/todos", APP_ORIGIN, "DELETE", null);

            assertProblem(answer, 403);
            assertThat(answer.body()).contains("DELETE");
            assertThat(answer.headers().names()).noneMatch(n -> n.startsWith("access-control-"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void a_lower_case_method_is_another_method(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            // Browsers send fetch(.., {method: 'patch'}) as "patch", which the router answers 405.
            assertProblem(preflight(client, "/todos/1", APP_ORIGIN, "patch", null), 403);
            assertThat(preflight(client, "/todos/1", APP_ORIGIN, "PATCH", null).status()).isEqualTo(204);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void a_preflight_asking_for_an_unlisted_header_is_refused(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            TestResponse answer = preflight(client, "/todos", APP_ORIGIN, "POST", "content-type, x-secret");

            assertProblem(answer, 403);
            assertThat(answer.body()).contains("x-secret");
            assertThat(answer.headers().names()).noneMatch(n -> n.startsWith("access-control-"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void requested_headers_are_compared_case_insensitively_across_lines_and_odd_separators(
            Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            TestResponse answer = client.request(Method.OPTIONS, "/todos")
                    .header("origin", APP_ORIGIN)
                    .header(ACRM, "POST")
                    .header(ACRH, " Content-Type ,, ")
                    .header(ACRH, "X-TRACE,\tx-trace")
                    .send();

            assertThat(answer.status()).isEqualTo(204);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void one_unlisted_header_among_hundreds_is_found(Function<Router, Client> clients) {
        String many = IntStream.range(0, 300).mapToObj(i -> "content-type").collect(Collectors.joining(","));
        try (Client client = clients.apply(APP)) {
            assertThat(preflight(client, "/todos", APP_ORIGIN, "POST", many).status()).isEqualTo(204);
            assertProblem(preflight(client, "/todos", APP_ORIGIN, "POST", many + ",x-evil"), 403);
            assertProblem(preflight(client, "/todos", APP_ORIGIN, "POST", "x y"), 403);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void a_malformed_or_repeated_requested_method_is_refused(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            assertProblem(preflight(client, "/todos", APP_ORIGIN, "GET, POST", null), 403);
            assertProblem(preflight(client, "/todos", APP_ORIGIN, "", null), 403);
            TestResponse twice = client.request(Method.OPTIONS, "/todos").header("origin", APP_ORIGIN)
                    .header(ACRM, "POST").header(ACRM, "DELETE").send();
            assertProblem(twice, 403);
        }
    }

    // ---------------------------------------------------------------- origins

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void a_pattern_allows_one_label_of_its_domain_and_nothing_that_only_looks_alike(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            for (String allowed : List.of("https://pr-7.preview.example.com", "https://PR-7.Preview.Example.com",
                    "https://pr-7.preview.example.com:443")) {
                assertThat(preflight(client, "/todos", allowed, "POST", null).header(ACAO)).as(allowed)
                        .contains(allowed);
            }
            for (String refused : List.of("https://preview.example.com", "https://evil-preview.example.com",
                    "https://evil.com.preview.example.com", "https://pr-7.preview.example.com.evil.com",
                    "http://pr-7.preview.example.com", "https://pr-7.preview.example.com:8443",
                    "https://pr-7.preview.example.com.", "https://.preview.example.com",
                    "https://pr-7.preview.example.com/", "https://a@pr-7.preview.example.com")) {
                assertProblem(preflight(client, "/todos", refused, "POST", null), 403);
                assertThat(client.request(Method.GET, "/todos").header("origin", refused).send().header(ACAO))
                        .as(refused).isEmpty();
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void an_exact_origin_is_matched_without_case_and_default_port_and_echoed_as_sent(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            assertThat(get(client, "/todos", "HTTPS://App.Example.com").header(ACAO)).contains("HTTPS://App.Example.com");
            assertThat(get(client, "/todos", "http://localhost:3000").header(ACAO)).contains("http://localhost:3000");
            assertThat(get(client, "/todos", "http://localhost:3001").header(ACAO)).isEmpty();
            assertThat(get(client, "/todos", "http://localhost").header(ACAO)).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void null_an_origin_with_a_path_and_garbage_are_not_allowed(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            for (String origin : List.of("null", APP_ORIGIN + "/", APP_ORIGIN + "/todos", APP_ORIGIN + "?x",
                    "app.example.com", "*", "", " ", APP_ORIGIN + " " + APP_ORIGIN, APP_ORIGIN + ",https://x.test")) {
                TestResponse actual = get(client, "/todos", origin);
                assertThat(actual.status()).as(origin).isEqualTo(200);
                assertThat(actual.headers().names()).as(origin).noneMatch(n -> n.startsWith("access-control-"));
                assertProblem(preflight(client, "/todos", origin, "POST", null), 403);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void several_origin_fields_are_not_allowed_even_if_each_is(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            TestResponse actual = client.request(Method.GET, "/todos").header("origin", APP_ORIGIN)
                    .header("origin", APP_ORIGIN).send();
            assertThat(actual.header(ACAO)).isEmpty();
            TestResponse preflight = client.request(Method.OPTIONS, "/todos").header("origin", APP_ORIGIN)
                    .header("origin", "http://localhost:3000").header(ACRM, "POST").send();
            assertProblem(preflight, 403);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void any_origin_answers_a_star_even_for_null_and_does_not_vary(Function<Router, Client> clients) {
        Router app = Router.builder().layer(Cors.builder().allowAnyOrigin().build()).get("/", () -> "x").build();
        try (Client client = clients.apply(app)) {
            TestResponse fromNull = preflight(client, "/", "null", "GET", null);
            assertThat(fromNull.status()).isEqualTo(204);
            assertThat(fromNull.header(ACAO)).contains("*");
            TestResponse withoutOrigin = client.get("/");
            assertThat(withoutOrigin.header(ACAO)).as("cacheable for every origin").contains("*");
            assertThat(withoutOrigin.header("vary")).isEmpty();
            assertThat(withoutOrigin.header("access-control-allow-credentials")).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void a_predicate_sees_well_formed_origins_and_the_request(Function<Router, Client> clients) {
        List<String> seen = Collections.synchronizedList(new java.util.ArrayList<>());
        Cors cors = Cors.builder().allowOriginIf((origin, request) -> {
            seen.add(origin);
            return origin.endsWith(".internal.test") && request.header("x-tenant").isPresent();
        }).build();
        Router app = Router.builder().layer(cors).get("/", () -> "x").build();
        try (Client client = clients.apply(app)) {
            assertThat(client.request(Method.GET, "/").header("origin", "https://a.internal.test")
                    .header("x-tenant", "1").send().header(ACAO)).contains("https://a.internal.test");
            assertThat(get(client, "/", "https://a.internal.test").header(ACAO)).isEmpty();
            assertThat(get(client, "/", "null").header(ACAO)).isEmpty();
            assertThat(get(client, "/", "https://a.internal.test/x").header(ACAO)).isEmpty();
            assertThat(seen).containsOnly("https://a.internal.test");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void mirroring_with_credentials_echoes_any_origin_but_null(Function<Router, Client> clients) {
        Router app = Router.builder().layer(Cors.builder().mirrorAnyOriginWithCredentials().build())
                .get("/", () -> "x").build();
        try (Client client = clients.apply(app)) {
            TestResponse answer = get(client, "/", "https://anywhere.test");
            assertThat(answer.header(ACAO)).contains("https://anywhere.test");
            assertThat(answer.header("access-control-allow-credentials")).contains("true");
            assertThat(get(client, "/", "null").header(ACAO)).isEmpty();
        }
    }

    // ---------------------------------------------------------------- methods from the router

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void the_allowed_methods_are_the_path_s_own_and_get_implies_head(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            TestResponse head = preflight(client, "/todos", APP_ORIGIN, "HEAD", null);
            assertThat(head.status()).isEqualTo(204);
            assertThat(head.header("access-control-allow-methods")).contains("GET, HEAD, POST, OPTIONS");
            TestResponse item = preflight(client, "/todos/42", APP_ORIGIN, "DELETE", null);
            assertThat(item.header("access-control-allow-methods")).contains("PATCH, DELETE, OPTIONS");
            assertProblem(preflight(client, "/todos/42", APP_ORIGIN, "GET", null), 403);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void a_preflight_for_a_path_without_routes_is_refused(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            assertProblem(preflight(client, "/nothing-here", APP_ORIGIN, "GET", null), 403);
            assertProblem(preflight(client, "/todos/", APP_ORIGIN, "GET", null), 403);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void an_explicit_method_list_overrides_the_router_s(Function<Router, Client> clients) {
        Router app = Router.builder()
                .layer(Cors.builder().allowOrigins(APP_ORIGIN).allowMethods("GET", "PUT").build())
                .get("/x", () -> "x")
                .build();
        try (Client client = clients.apply(app)) {
            TestResponse put = preflight(client, "/x", APP_ORIGIN, "PUT", null);
            assertThat(put.status()).isEqualTo(204);
            assertThat(put.header("access-control-allow-methods")).contains("GET, PUT");
            assertThat(preflight(client, "/unrouted", APP_ORIGIN, "GET", null).status()).isEqualTo(204);
            assertProblem(preflight(client, "/x", APP_ORIGIN, "HEAD", null), 403);
        }
    }

    // ---------------------------------------------------------------- the answer's headers

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void vary_is_appended_to_the_handler_s_own_without_repeating(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            TestResponse answer = get(client, "/own-vary", APP_ORIGIN);

            assertThat(answer.headers().all("vary")).containsExactly("Accept-Encoding, Origin, accept-language");
            assertThat(answer.header(ACAO)).contains(APP_ORIGIN);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void the_handler_s_own_cors_headers_are_replaced(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            TestResponse allowed = get(client, "/own-cors", APP_ORIGIN);
            assertThat(allowed.headers().all(ACAO)).containsExactly(APP_ORIGIN);
            assertThat(allowed.headers().all("access-control-expose-headers")).hasSize(1)
                    .first().asString().doesNotContain("x-secret");

            TestResponse refused = get(client, "/own-cors", "https://evil.test");
            assertThat(refused.headers().names()).noneMatch(n -> n.startsWith("access-control-"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void weft_s_own_headers_and_the_listed_ones_are_exposed(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            TestResponse answer = get(client, "/request-id", APP_ORIGIN);

            assertThat(answer.header("x-request-id")).contains("abc");
            assertThat(answer.header("access-control-expose-headers"))
                    .contains("x-request-id, retry-after, ratelimit, ratelimit-policy, etag");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void private_network_access_is_answered_only_when_enabled(Function<Router, Client> clients) {
        Router on = Router.builder().layer(Cors.builder().allowOrigins(APP_ORIGIN).allowPrivateNetwork(true).build())
                .get("/", () -> "x").build();
        try (Client client = clients.apply(on)) {
            TestResponse answer = client.request(Method.OPTIONS, "/").header("origin", APP_ORIGIN).header(ACRM, "GET")
                    .header("access-control-request-private-network", "true").send();
            assertThat(answer.header("access-control-allow-private-network")).contains("true");
            assertThat(varyTokens(answer)).contains("access-control-request-private-network");
        }
        try (Client client = clients.apply(APP)) {
            TestResponse answer = client.request(Method.OPTIONS, "/todos").header("origin", APP_ORIGIN)
                    .header(ACRM, "GET").header("access-control-request-private-network", "true").send();
            assertThat(answer.status()).isEqualTo(204);
            assertThat(answer.header("access-control-allow-private-network")).isEmpty();
        }
    }

    // ---------------------------------------------------------------- error answers carry CORS headers

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void error_answers_carry_cors_headers(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            TestResponse unauthorized = get(client, "/private", APP_ORIGIN);
            TestResponse notFound = get(client, "/nothing", APP_ORIGIN);
            TestResponse notAllowed = client.request(Method.PUT, "/todos").header("origin", APP_ORIGIN).send();
            TestResponse limited = get(client, "/limited", APP_ORIGIN);
            TestResponse failed = get(client, "/fails", APP_ORIGIN);
            TestResponse tooLarge = client.post("/small").header("origin", APP_ORIGIN)
                    .body("application/octet-stream", "0123456789abcdef").send(); // last: it may close the connection

            assertProblem(unauthorized, 401);
            assertThat(notFound.status()).isEqualTo(404);
            assertProblem(notAllowed, 405);
            assertProblem(tooLarge, 413);
            assertProblem(limited, 429);
            assertProblem(failed, 500);
            for (TestResponse answer : List.of(unauthorized, notFound, notAllowed, tooLarge, limited, failed)) {
                assertThat(answer.header(ACAO)).as("%s", answer).contains(APP_ORIGIN);
                assertThat(answer.header("access-control-allow-credentials")).as("%s", answer).contains("true");
                assertThat(answer.header("access-control-expose-headers")).as("%s", answer).isPresent();
                assertThat(varyTokens(answer)).as("%s", answer).contains("origin");
            }
            assertThat(limited.header("retry-after")).contains("7");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void a_preflight_is_not_stopped_by_an_auth_layer_inside_cors(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            TestResponse answer = preflight(client, "/private", APP_ORIGIN, "GET", "content-type");

            assertThat(answer.status()).isEqualTo(204);
            assertThat(answer.header(ACAO)).contains(APP_ORIGIN);
        }
    }

    // ---------------------------------------------------------------- helpers

    private static TestResponse preflight(Client client, String path, String origin, String method, String headers) {
        TestRequest request = client.request(Method.OPTIONS, path).header("origin", origin).header(ACRM, method);
        if (headers != null) {
            request.header(ACRH, headers);
        }
        return request.send();
    }

    private static TestResponse get(Client client, String path, String origin) {
        return client.request(Method.GET, path).header("origin", origin).send();
    }

    private static List<String> varyTokens(TestResponse response) {
        return response.headers().all("vary").stream()
                .flatMap(line -> Stream.of(line.split(",")))
                .map(String::strip)
                .toList();
    }
}
