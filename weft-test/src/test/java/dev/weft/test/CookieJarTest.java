package dev.weft.test;

import static dev.weft.test.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.cookie.Cookie;
import dev.weft.cookie.CookieJar;
import dev.weft.cookie.CookieKeys;
import dev.weft.cookie.Cookies;
import dev.weft.extract.Header;
import dev.weft.extract.PathParam;
import dev.weft.extract.Query;
import dev.weft.middleware.Middleware;
import dev.weft.response.Response;
import dev.weft.response.Status;
import dev.weft.routing.Handler;
import dev.weft.routing.Router;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Reading cookies, and the jar's changes reaching the response without the jar being returned. */
class CookieJarTest {

    static Stream<Named<Function<Router, Client>>> clients() {
        return Clients.both();
    }

    /** A layer that shows, on the way out, the set-cookie lines it saw and what the jar held before the handler. */
    private static final Middleware PEEK = (request, next) -> {
        CookieJar.of(request).add(Cookie.builder("from-layer", "1").build());
        Response response = next.run(request);
        return response.withHeader("x-seen-by-layer", String.valueOf(response.headers().all("set-cookie").size()));
    };

    private static final Router APP = Router.builder()
            .get("/echo", Cookies.jar(), jar -> jar.all().entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("|")))
            .get("/get/{name}", PathParam.string("name"), Cookies.jar(),
                    (name, jar) -> jar.get(name).orElse("(absent)"))
            .post("/login", Cookies.jar(), jar -> {
                jar.add(Cookie.builder("sid", "abc").maxAge(Duration.ofHours(1)).build());
                jar.add(Cookie.builder("theme", "dark").httpOnly(false).sameSite(Cookie.SameSite.STRICT).build());
                return Response.noContent();
            })
            .post("/logout", Cookies.jar(), jar -> {
                jar.remove("sid");
                return Response.noContent();
            })
            .post("/replace", Cookies.jar(), jar -> {
                jar.add(Cookie.builder("a", "1").build());
                jar.add(Cookie.builder("a", "2").build());
                jar.add(Cookie.builder("a", "3").path("/other").build());
                return jar.get("a").orElseThrow();
            })
            .post("/refuse", Cookies.jar(), jar -> {
                jar.add(Cookie.builder("attempts", "1").build());
                return Response.problem(Status.FORBIDDEN, "no");
            })
            .post("/throws", Cookies.jar(), jar -> {
                jar.add(Cookie.builder("half", "done").build());
                throw new IllegalStateException("deliberate failure in a test");
            })
            .post("/rejected", Cookies.jar(), Query.of("n", Integer.class), (jar, n) -> {
                jar.add(Cookie.builder("n", Integer.toString(n)).build());
                return "ok";
            })
            .post("/layered", Handler.of(Cookies.jar(), jar -> {
                jar.add(Cookie.builder("from-handler", "1").build());
                return "ok";
            }).layer(PEEK))
            .post("/late", Handler.of(() -> "ok").layer((request, next) -> {
                Response response = next.run(request);
                return Cookies.set(request, response, Cookie.builder("late", "1").build());
            }))
            .post("/too-late", Handler.of(Cookies.jar(), jar -> "ok").layer((request, next) -> {
                Response response = next.run(request);
                CookieJar.of(request).add(Cookie.builder("lost", "1").build()); // throws: would be lost
                return response;
            }))
            .build();

    private static List<String> setCookies(TestResponse response) {
        return response.headers().all("set-cookie");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void cookies_the_handler_adds_reach_the_response_with_the_defaults(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            TestResponse response = client.post("/login").send();
            assertThat(response.status()).isEqualTo(204);
            assertThat(setCookies(response)).containsExactly(
                    "sid=abc; Path=/; Max-Age=3600; HttpOnly; SameSite=Lax",
                    "theme=dark; Path=/; SameSite=Strict");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void removing_a_cookie_sends_an_expired_empty_one(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            assertThat(setCookies(client.post("/logout").header("cookie", "sid=abc").send())).containsExactly(
                    "sid=; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void a_later_add_replaces_one_of_the_same_name_path_and_domain_and_get_sees_it(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            TestResponse response = client.post("/replace").header("cookie", "a=0").send();
            assertThat(response.body()).isEqualTo("3");
            assertThat(setCookies(response)).containsExactly(
                    "a=2; Path=/; HttpOnly; SameSite=Lax", "a=3; Path=/other; HttpOnly; SameSite=Lax");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void an_error_response_the_handler_returns_carries_the_cookies(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            TestResponse response = client.post("/refuse").send();
            assertProblem(response, 403);
            assertThat(setCookies(response)).containsExactly("attempts=1; Path=/; HttpOnly; SameSite=Lax");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void a_handler_that_throws_sends_none_of_its_cookies(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            TestResponse response = client.post("/throws").send();
            assertProblem(response, 500);
            assertThat(setCookies(response)).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void a_rejected_request_sends_no_cookies(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            TestResponse response = client.post("/rejected?n=x").send();
            assertProblem(response, 400);
            assertThat(setCookies(response)).isEmpty();
            assertThat(setCookies(client.post("/rejected?n=7").send())).containsExactly("n=7; Path=/; HttpOnly; SameSite=Lax");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void a_layer_shares_the_jar_and_sees_the_cookies_on_the_way_out(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            TestResponse response = client.post("/layered").send();
            assertThat(setCookies(response)).containsExactly(
                    "from-layer=1; Path=/; HttpOnly; SameSite=Lax", "from-handler=1; Path=/; HttpOnly; SameSite=Lax");
            assertThat(response.header("x-seen-by-layer")).contains("2");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void a_layer_adds_a_cookie_on_the_way_out_with_cookies_set(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            assertThat(setCookies(client.post("/late").send())).containsExactly("late=1; Path=/; HttpOnly; SameSite=Lax");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void a_jar_change_after_the_handler_returned_fails_loudly_instead_of_being_lost(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            TestResponse response = client.post("/too-late").send();
            assertProblem(response, 500);
            assertThat(setCookies(response)).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void cookies_from_several_headers_are_read_and_the_first_of_a_name_wins(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            TestResponse response = client.request(dev.weft.http.Method.GET, "/echo")
                    .header("cookie", "a=1; b=2").header("cookie", "a=3; c=4").send();
            assertThat(response.body()).isEqualTo("a=1|b=2|c=4");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void hostile_cookie_headers_are_read_leniently_and_never_fail(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            String[] hostile = {
                "", ";", "=", "==", "a", "a=", "=b", "a==b", ";;;;a=1;;;;", "\"a\"=1", "a=\"1", "a=1\"",
                "a=\"\"", "a=x y", "a=\\\\", "a=%00", "a=1, b=2", "  a  =  1  ", "a=1;a=2;a=3",
                "a=\u00ff", "\u00e9=1", "a=1\tb", "(x)=1; ok=yes", "a=1; " + "b".repeat(2000) + "=2",
            };
            for (String header : hostile) {
                TestResponse response = client.request(dev.weft.http.Method.GET, "/echo").header("cookie", header).send();
                assertThat(response.status()).as("cookie: %s", header).isEqualTo(200);
                assertThat(response.body()).as("cookie: %s", header).doesNotContain("\u0000");
            }
            TestResponse mixed = client.request(dev.weft.http.Method.GET, "/echo")
                    .header("cookie", "(x)=1; ok=yes; a=\"q\"; bad=x\"y; a=again").send();
            assertThat(mixed.body()).isEqualTo("ok=yes|a=q");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void a_request_with_many_cookies_keeps_the_first_256(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            String many = java.util.stream.IntStream.range(0, 1000).mapToObj(i -> "c" + i + "=v").collect(Collectors.joining(";"));
            TestResponse response = client.request(dev.weft.http.Method.GET, "/echo").header("cookie", many).send();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body().split("\\|")).hasSize(256);
            assertThat(client.get("/get/c255").body()).isEqualTo("(absent)"); // no cookie sent on this request
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void a_cookie_header_past_the_header_limit_is_431_on_a_socket_and_never_500(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            char[] big = new char[17_000];
            Arrays.fill(big, 'x');
            TestResponse response = client.request(dev.weft.http.Method.GET, "/get/a")
                    .header("cookie", "a=" + new String(big)).send();
            if (client instanceof TestClient) {
                assertThat(response.status()).isEqualTo(431);
            } else {
                assertThat(response.status()).isEqualTo(200); // in memory there is no header limit
                assertThat(response.body()).hasSize(17_000);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void a_header_extractor_and_the_jar_see_the_same_request(Function<Router, Client> clients) {
        Router app = Router.builder()
                .get("/both", Header.string("cookie"), Cookies.jar(), (raw, jar) -> raw + " -> " + jar.get("a").orElse("-"))
                .build();
        try (Client client = clients.apply(app)) {
            assertThat(client.request(dev.weft.http.Method.GET, "/both").header("cookie", "a=1").send().body())
                    .isEqualTo("a=1 -> 1");
        }
    }

    static CookieKeys keys(int... fills) {
        byte[][] secrets = new byte[fills.length][];
        for (int i = 0; i < fills.length; i++) {
            secrets[i] = new byte[32];
            Arrays.fill(secrets[i], (byte) fills[i]);
        }
        return CookieKeys.of(secrets[0], Arrays.copyOfRange(secrets, 1, secrets.length));
    }
}
