package dev.weft.test;

import static dev.weft.test.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.extract.Body;
import dev.weft.extract.Extract;
import dev.weft.extract.Extractor;
import dev.weft.extract.Header;
import dev.weft.extract.Json;
import dev.weft.extract.PathParam;
import dev.weft.extract.Query;
import dev.weft.extract.RejectedException;
import dev.weft.extract.Rejection;
import dev.weft.extract.State;
import dev.weft.http.Method;
import dev.weft.middleware.Middleware;
import dev.weft.response.Status;
import dev.weft.routing.Handler;
import dev.weft.routing.Router;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class BodyAndRequestTest {

    public record User(String name) {}

    public record Note(String text) {}

    /** Application state for the six-extractor route. */
    public record Greeting(String word) {}

    static Stream<Named<Function<Router, Client>>> clients() {
        return Clients.both();
    }

    private static final Middleware AUTHENTICATE = (request, next) -> {
        request.header("x-user").ifPresent(name -> request.putExtension(User.class, new User(name)));
        return next.run(request);
    };

    private static final Router APP = Router.builder()
            .post("/bytes", Body.bytes(), bytes -> bytes)
            .post("/text", Body.string(), text -> "[" + text + "] " + text.length())
            .post("/stream", Body.stream(), BodyAndRequestTest::readAll)
            .post("/small-bytes", Handler.of(Body.bytes(), bytes -> bytes).bodyLimit(4))
            .post("/small-stream", Handler.of(Body.stream(), BodyAndRequestTest::readAll).bodyLimit(4))
            .get("/request", Extract.request(), r -> r.method() + " " + r.path() + " " + r.rawQuery().orElse("-"))
            .get("/scheme", Extract.request(), r -> r.scheme())
            .get("/method", Extract.method(), m -> m.name())
            .patch("/method", Extract.method(), m -> m.name())
            .get("/headers", Extract.headers(), h -> h.all("x-a").toString() + " " + h.first("X-B").orElse("-"))
            .get("/items/{id}", Extract.matchedPath(), p -> p)
            .nest("/api", Router.builder().get("/items/{id}", Extract.matchedPath(), p -> p).build())
            .get("/peer", Extract.remoteAddress(), a -> a.getAddress().getHostAddress())
            .get("/me", Handler.of(Extract.extension(User.class), u -> "hi " + u.name()).layer(AUTHENTICATE))
            .get("/me-unlayered", Extract.extension(User.class), u -> "hi " + u.name())
            .get("/maybe-me", Handler.of(Extract.optionalExtension(User.class),
                    u -> u.map(User::name).orElse("anonymous")).layer(AUTHENTICATE))
            .build();

    private static String readAll(InputStream in) throws java.io.IOException {
        byte[] bytes = in.readAllBytes();
        return bytes.length + ":" + new String(bytes, StandardCharsets.UTF_8);
    }

    // --- Body.bytes ---

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void bytes_gives_the_raw_body_whatever_its_content_type(Function<Router, Client> clients) {
        byte[] body = {0, 1, (byte) 0xFF, (byte) 0xC3, '\r', '\n', 'z'};
        try (Client client = clients.apply(APP)) {
            TestResponse response = client.post("/bytes").header("content-type", "image/x-test").body(body).send();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyBytes()).containsExactly(body);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void bytes_of_a_request_without_body_is_empty(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            TestResponse response = client.post("/bytes").send();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyBytes()).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void bytes_over_the_route_limit_is_rejected_with_413(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            Map<String, Object> problem = assertProblem(client.post("/small-bytes").body(new byte[5]).send(), 413);
            assertThat(problem.get("limit")).isEqualTo(4L);
        }
    }

    // --- Body.string ---

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void string_is_decoded_as_utf8_when_no_charset_is_given(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            TestResponse response = client.post("/text").body("text/plain", "h\u00e9llo \u20ac").send();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("[h\u00e9llo \u20ac] 7");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void string_is_decoded_as_utf8_when_there_is_no_content_type(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            TestResponse response = client.post("/text").body("caf\u00e9".getBytes(StandardCharsets.UTF_8)).send();
            assertThat(response.body()).isEqualTo("[caf\u00e9] 4");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void string_honours_an_iso_8859_1_charset(Function<Router, Client> clients) {
        byte[] latin1 = {'c', 'a', 'f', (byte) 0xE9};
        try (Client client = clients.apply(APP)) {
            TestResponse response = client.post("/text").header("content-type", "text/plain; charset=iso-8859-1")
                    .body(latin1).send();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("[caf\u00e9] 4");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void string_that_is_not_valid_utf8_is_rejected_with_400(Function<Router, Client> clients) {
        byte[] invalid = {'c', 'a', 'f', (byte) 0xE9};
        try (Client client = clients.apply(APP)) {
            TestResponse response = client.post("/text").header("content-type", "text/plain").body(invalid).send();
            Map<String, Object> problem = assertProblem(response, 400);
            assertThat(problem.get("detail")).isEqualTo("the request body is not valid UTF-8 text");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void string_with_an_unknown_charset_is_rejected_with_415(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            TestResponse response = client.post("/text").body("text/plain; charset=x-no-such-charset", "hello").send();
            Map<String, Object> problem = assertProblem(response, 415);
            assertThat(problem).containsKey("expected");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void string_with_an_illegal_charset_name_is_rejected_with_415(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            Map<String, Object> problem = assertProblem(
                    client.post("/text").body("text/plain; charset=\"no/such\"", "hello").send(), 415);
            assertThat(problem).containsKey("expected");
        }
    }

    // --- Body.stream ---

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void stream_gives_the_body_to_read_in_the_handler(Function<Router, Client> clients) {
        String body = "x".repeat(100_000) + "end";
        try (Client client = clients.apply(APP)) {
            TestResponse response = client.post("/stream").body("text/plain", body).send();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isEqualTo(body.length() + ":" + body);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void stream_read_past_the_route_limit_answers_413(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            TestResponse response = client.post("/small-stream").body("text/plain", "0123456789").send();
            Map<String, Object> problem = assertProblem(response, 413);
            assertThat(problem.get("limit")).isEqualTo(4L);
        }
    }

    // --- Extract ---

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void the_scheme_of_a_plain_connection_is_http_whatever_the_headers_say(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            TestResponse response = client.request(dev.weft.http.Method.GET, "/scheme")
                    .header("x-forwarded-proto", "https").send();

            assertThat(response.body()).isEqualTo("http");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void request_gives_the_whole_request(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            assertThat(client.get("/request?a=1&b=%20").body()).isEqualTo("GET /request a=1&b=%20");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void method_gives_the_request_method(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            assertThat(client.get("/method").body()).isEqualTo("GET");
            assertThat(client.patch("/method").send().body()).isEqualTo("PATCH");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void headers_gives_every_request_header_case_insensitively(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            TestResponse response = client.request(Method.GET, "/headers")
                    .header("X-A", "1").header("x-a", "2").header("x-b", "bee").send();
            assertThat(response.body()).isEqualTo("[1, 2] bee");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void matched_path_is_the_route_pattern(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            assertThat(client.get("/items/42").body()).isEqualTo("/items/{id}");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void matched_path_includes_the_nest_prefix(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            assertThat(client.get("/api/items/42").body()).isEqualTo("/api/items/{id}");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void remote_address_is_the_loopback_peer(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            assertThat(client.get("/peer").body()).isEqualTo("127.0.0.1");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void extension_put_by_a_middleware_reaches_the_handler(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            TestResponse response = client.request(Method.GET, "/me").header("x-user", "ada").send();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("hi ada");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void missing_extension_is_a_server_error_that_leaks_nothing(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            TestResponse response = client.get("/me-unlayered");
            Map<String, Object> problem = assertProblem(response, 500);
            assertThat(problem.get("detail")).isEqualTo("the server failed to handle this request");
            assertThat(response.body()).doesNotContain("extension").doesNotContain("User");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void optional_extension_is_empty_when_the_middleware_put_none(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            assertThat(client.get("/maybe-me").body()).isEqualTo("anonymous");
            TestResponse named = client.request(Method.GET, "/maybe-me").header("x-user", "grace").send();
            assertThat(named.body()).isEqualTo("grace");
        }
    }

    // --- custom extractors and their order ---

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void custom_extractor_rejection_answers_with_its_problem_and_skips_the_handler(Function<Router, Client> clients) {
        AtomicInteger handled = new AtomicInteger();
        Extractor<User> currentUser = request -> request.header("x-user").map(User::new)
                .orElseThrow(() -> new RejectedException(Rejection.of(Status.UNAUTHORIZED, "sign in first")));
        Router app = Router.builder()
                .get("/secret", currentUser, user -> {
                    handled.incrementAndGet();
                    return "secret for " + user.name();
                })
                .build();
        try (Client client = clients.apply(app)) {
            Map<String, Object> problem = assertProblem(client.get("/secret"), 401);
            assertThat(problem.get("title")).isEqualTo("Unauthorized");
            assertThat(problem.get("detail")).isEqualTo("sign in first");
            assertThat(handled).hasValue(0);
            TestResponse allowed = client.request(Method.GET, "/secret").header("x-user", "ada").send();
            assertThat(allowed.body()).isEqualTo("secret for ada");
            assertThat(handled).hasValue(1);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void custom_extractor_failing_unexpectedly_is_a_500_that_leaks_nothing(Function<Router, Client> clients) {
        Extractor<String> broken = request -> {
            throw new IllegalStateException("db password is hunter2");
        };
        Router app = Router.builder().get("/broken", broken, s -> s).build();
        try (Client client = clients.apply(app)) {
            TestResponse response = client.get("/broken");
            assertProblem(response, 500);
            assertThat(response.body()).doesNotContain("hunter2");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void rejection_thrown_by_a_handler_answers_with_its_problem(Function<Router, Client> clients) {
        Router app = Router.builder()
                .get("/teapot", () -> {
                    throw new RejectedException(Rejection.of(Status.CONFLICT, "already brewing"));
                })
                .build();
        try (Client client = clients.apply(app)) {
            Map<String, Object> problem = assertProblem(client.get("/teapot"), 409);
            assertThat(problem.get("detail")).isEqualTo("already brewing");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void extractors_run_left_to_right(Function<Router, Client> clients) {
        List<String> order = new CopyOnWriteArrayList<>();
        Extractor<String> a = request -> { order.add("a"); return "a"; };
        Extractor<String> b = request -> { order.add("b"); return "b"; };
        Extractor<String> c = request -> { order.add("c"); return "c"; };
        Router app = Router.builder().get("/abc", a, b, c, (x, y, z) -> x + y + z).build();
        try (Client client = clients.apply(app)) {
            assertThat(client.get("/abc").body()).isEqualTo("abc");
            assertThat(order).containsExactly("a", "b", "c");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void first_rejection_wins_and_later_extractors_are_not_called(Function<Router, Client> clients) {
        AtomicInteger first = new AtomicInteger();
        AtomicInteger second = new AtomicInteger();
        AtomicInteger handled = new AtomicInteger();
        Extractor<String> rejecting = request -> {
            first.incrementAndGet();
            throw new RejectedException(Rejection.of(Status.FORBIDDEN, "first says no"));
        };
        Extractor<String> counting = request -> {
            second.incrementAndGet();
            throw new RejectedException(Rejection.of(Status.UNAUTHORIZED, "second says no"));
        };
        Router app = Router.builder()
                .get("/two", rejecting, counting, (x, y) -> {
                    handled.incrementAndGet();
                    return x + y;
                })
                .build();
        try (Client client = clients.apply(app)) {
            Map<String, Object> problem = assertProblem(client.get("/two"), 403);
            assertThat(problem.get("detail")).isEqualTo("first says no");
            assertThat(first).hasValue(1);
            assertThat(second).hasValue(0);
            assertThat(handled).hasValue(0);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void first_built_in_rejection_wins_over_a_later_one(Function<Router, Client> clients) {
        Router app = Router.builder()
                .get("/both", Query.of("n", Integer.class), Header.string("x-user"), (n, user) -> n + user)
                .build();
        try (Client client = clients.apply(app)) {
            Map<String, Object> problem = assertProblem(client.get("/both"), 400);
            assertThat(problem.get("parameter")).isEqualTo("n");
            assertThat(problem).doesNotContainKey("header");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void mapped_extractor_converts_the_value(Function<Router, Client> clients) {
        Router app = Router.builder()
                .get("/upper/{word}", PathParam.string("word").map(String::toUpperCase), w -> w)
                .build();
        try (Client client = clients.apply(app)) {
            assertThat(client.get("/upper/weft").body()).isEqualTo("WEFT");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void handler_with_six_extractors_receives_all_six_values(Function<Router, Client> clients) {
        Router app = Router.builder()
                .state(Greeting.class, new Greeting("hello"))
                .post("/six/{id}",
                        PathParam.of("id", Long.class),
                        Query.string("q"),
                        Header.string("x-user"),
                        Json.of(Note.class),
                        Extract.method(),
                        State.of(Greeting.class),
                        (id, q, user, note, method, greeting) ->
                                greeting.word() + " " + user + " " + method + " " + id + " " + q + " " + note.text())
                .build();
        try (Client client = clients.apply(app)) {
            TestResponse response = client.post("/six/7?q=search").header("x-user", "ada")
                    .json("{\"text\":\"note\"}").send();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("hello ada POST 7 search note");
        }
    }
}
