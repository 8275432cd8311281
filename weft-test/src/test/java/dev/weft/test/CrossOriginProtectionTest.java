package dev.weft.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.http.Method;
import dev.weft.middleware.Cors;
import dev.weft.middleware.CrossOriginProtection;
import dev.weft.middleware.CsrfToken;
import dev.weft.response.Response;
import dev.weft.routing.InvalidRouteException;
import dev.weft.routing.Router;
import dev.weft.server.Server;
import dev.weft.session.MemorySessionStore;
import dev.weft.session.Sessions;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** CrossOriginProtection over every client: the Go 1.25 matrix, proxies, exact-route exemptions, tokens. */
class CrossOriginProtectionTest {
    static Stream<Named<Function<Router, Client>>> clients() {
        return Clients.both();
    }

    static final List<Method> METHODS = List.of(Method.GET, Method.HEAD, Method.OPTIONS, Method.POST, Method.PUT,
            Method.DELETE, Method.PATCH);
    /** null: the header is absent. */
    static final List<String> SITES = java.util.Arrays.asList("same-origin", "same-site", "cross-site", "none", null,
            "garbage");
    static final List<String> ORIGINS = java.util.Arrays.asList(null, "SAME", "https://evil.example", "null",
            "http://exa mple/");

    static Router app(Function<Router.Builder, Router.Builder> layers) {
        Router.Builder b = Router.builder()
                .route(Method.GET, "/x", dev.weft.routing.Handler.of(() -> "ok"))
                .route(Method.POST, "/x", dev.weft.routing.Handler.of(() -> "ok"))
                .route(Method.PUT, "/x", dev.weft.routing.Handler.of(() -> "ok"))
                .route(Method.DELETE, "/x", dev.weft.routing.Handler.of(() -> "ok"))
                .route(Method.PATCH, "/x", dev.weft.routing.Handler.of(() -> "ok"))
                .get("/host", dev.weft.extract.Extract.request(), r -> r.client().host().orElse(""))
                .post("/hooks/{provider}", () -> "hook")
                .post("/hooks/{provider}/extra", () -> "look-alike");
        return layers.apply(b).build();
    }

    /** What Go 1.25 answers: true if allowed. */
    static boolean expected(Method method, String site, String origin) {
        if (method.equals(Method.GET) || method.equals(Method.HEAD) || method.equals(Method.OPTIONS)) {
            return true;
        }
        if (site != null) {
            return site.equals("same-origin") || site.equals("none");
        }
        return origin == null || origin.equals("SAME");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void every_sec_fetch_site_method_and_origin_gets_go_1_25s_answer(Function<Router, Client> start) {
        try (Client client = start.apply(app(b -> b.layer(CrossOriginProtection.create())))) {
            boolean inMemory = client instanceof InMemoryClient; // names no host unless told
            String host = inMemory ? "app.test" : client.get("/host").body();
            List<String> wrong = new ArrayList<>();
            for (Method method : METHODS) {
                for (String site : SITES) {
                    for (String origin : ORIGINS) {
                        TestRequest request = client.request(method, "/x");
                        if (inMemory) {
                            request.header("host", host);
                        }
                        if (site != null) {
                            request.header("sec-fetch-site", site);
                        }
                        if (origin != null) {
                            request.header("origin", origin.equals("SAME") ? "http://" + host : origin);
                        }
                        if (method.equals(Method.POST) || method.equals(Method.PUT) || method.equals(Method.PATCH)) {
                            request.body("text/plain", "payload");
                        }
                        TestResponse response = request.send();
                        boolean allowed = expected(method, site, origin);
                        int want = allowed ? (method.equals(Method.OPTIONS) ? 204 : 200) : 403;
                        if (response.status() != want) {
                            wrong.add(method + " site=" + site + " origin=" + origin + ": " + response.status());
                        }
                        if (!allowed) {
                            String reason = site != null ? "cross-site-request" : "origin-mismatch";
                            if (!response.contentType().startsWith("application/problem+json")
                                    || !response.body().contains("\"reason\":\"" + reason + "\"")
                                    || response.body().contains("evil") || !host.isEmpty() && response.body().contains(host)) {
                                wrong.add(method + " site=" + site + " origin=" + origin + ": body " + response.body());
                            }
                        }
                    }
                }
            }
            assertThat(wrong).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void sessions_protect_by_default_and_say_so_in_the_route_table(Function<Router, Client> start) {
        Router router = app(b -> b.layer(Sessions.store(MemorySessionStore.create()).build()));
        assertThat(router.routeTable()).contains("Sessions+CrossOriginProtection");
        try (Client client = start.apply(router)) {
            assertThat(client.post("/x").header("sec-fetch-site", "cross-site").send().status()).isEqualTo(403);
            assertThat(client.post("/x").header("sec-fetch-site", "same-origin").send().status()).isEqualTo(200);
        }
        Router off = app(b -> b.layer(Sessions.store(MemorySessionStore.create()).withoutCrossOriginProtection().build()));
        assertThat(off.routeTable()).contains("Sessions(no CSRF protection)");
    }

    static Stream<Named<BiFunction<Router, Server.Builder, Client>>> servers() {
        return Stream.of(Named.of("http/1.1", TestClient::start), Named.of("http/2", TestClient::startHttp2));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    void behind_a_trusted_proxy_the_forwarded_host_is_compared_not_the_internal_one(
            BiFunction<Router, Server.Builder, Client> start) {
        Router router = app(b -> b.layer(CrossOriginProtection.create()));
        try (Client client = start.apply(router, Server.builder().trustedProxies("127.0.0.0/8", "::1"))) {
            TestResponse publicHost = client.post("/x").header("x-forwarded-for", "198.51.100.7")
                    .header("x-forwarded-host", "app.example.com").header("x-forwarded-proto", "https").header("origin", "https://app.example.com").send();
            assertThat(publicHost.status()).isEqualTo(200);
            String internal = client.get("/host").body();
            TestResponse internalHost = client.post("/x").header("x-forwarded-for", "198.51.100.7")
                    .header("x-forwarded-host", "app.example.com")
                    .header("origin", "http://" + internal).send();
            assertThat(internalHost.status()).as("the internal Host is not what the client addressed").isEqualTo(403);
        }
        try (Client client = start.apply(router, Server.builder())) {
            TestResponse spoofed = client.post("/x").header("x-forwarded-host", "evil.example")
                    .header("origin", "https://evil.example").send();
            assertThat(spoofed.status()).as("an untrusted peer's X-Forwarded-Host is ignored").isEqualTo(403);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void an_exemption_covers_its_exact_route_and_never_a_look_alike_path(Function<Router, Client> start) {
        CrossOriginProtection csrf = CrossOriginProtection.builder().exempt(Method.POST, "/hooks/{provider}").build();
        for (boolean routeLayer : new boolean[] {false, true}) {
            Router router = app(b -> routeLayer ? b.routeLayer(csrf) : b.layer(csrf));
            try (Client client = start.apply(router)) {
                for (String path : List.of("/hooks/github", "/hooks/git%2Fhub")) {
                    assertThat(client.post(path).header("sec-fetch-site", "cross-site").send().status())
                            .as(path).isEqualTo(200);
                }
                for (String path : List.of("/hooks/github/extra", "/x", "/hooks/github/", "/hooks")) {
                    int status = client.post(path).header("sec-fetch-site", "cross-site").send().status();
                    assertThat(status).as(routeLayer + " " + path).isIn(403, 404, 405);
                    if (path.equals("/hooks/github/extra") || path.equals("/x")) {
                        assertThat(status).isEqualTo(403);
                    }
                }
                assertThat(client.put("/x").header("origin", "https://evil.example").send().status()).isEqualTo(403);
            }
        }
    }

    @Test
    void an_exemption_naming_no_route_fails_the_build() {
        CrossOriginProtection csrf = CrossOriginProtection.builder()
                .exempt(Method.POST, "/hooks/*")
                .exempt(Method.PUT, "/hooks/{provider}")
                .build();
        assertThatThrownBy(() -> app(b -> b.layer(csrf)))
                .isInstanceOf(InvalidRouteException.class)
                .hasMessageContaining("POST /hooks/*").hasMessageContaining("PUT /hooks/{provider}");
    }

    @Test
    void invalid_options_are_reported_together() {
        assertThatThrownBy(() -> CrossOriginProtection.builder().trustedOrigins("https://a.example/", "null", "*")
                .trustedOriginPatterns("https://*.com").exempt(Method.GET, "/x").exempt(Method.POST, "x")
                .tokenHeader("bad header").build())
                .hasMessageContaining("trailing slash").hasMessageContaining("'null'").hasMessageContaining("'*'")
                .hasMessageContaining("top-level").hasMessageContaining("always allowed")
                .hasMessageContaining("starts with /").hasMessageContaining("tokenHeader");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void trusted_origins_may_send_cross_origin_requests(Function<Router, Client> start) {
        CrossOriginProtection csrf = CrossOriginProtection.builder().trustedOrigins("https://app.example:443")
                .trustedOriginPatterns("https://*.partner.example").build();
        try (Client client = start.apply(app(b -> b.layer(Cors.allowOrigins("https://app.example")).layer(csrf)))) {
            assertThat(client.post("/x").header("sec-fetch-site", "cross-site").header("origin", "https://app.example")
                    .send().status()).isEqualTo(200);
            assertThat(client.post("/x").header("origin", "https://a.partner.example").send().status()).isEqualTo(200);
            assertThat(client.post("/x").header("origin", "https://a.b.partner.example").send().status()).isEqualTo(403);
            assertThat(client.post("/x").header("origin", "https://app.example.evil").send().status()).isEqualTo(403);
        }
    }

    @Test
    void cors_inside_cross_origin_protection_fails_the_build() {
        assertThatThrownBy(() -> app(b -> b.layer(CrossOriginProtection.create()).layer(Cors.allowOrigins("https://a.example"))))
                .hasMessageContaining("cross-origin protection");
    }

    @Test
    void token_mode_without_a_sessions_layer_fails_the_build() {
        assertThatThrownBy(() -> app(b -> b.layer(CrossOriginProtection.builder().maskedTokens().build())))
                .hasMessageContaining("no Sessions layer");
    }

    static Router tokenApp() {
        CrossOriginProtection csrf = CrossOriginProtection.builder().maskedTokens().build();
        return Router.builder()
                .get("/token", csrf.token(), CsrfToken::value)
                .post("/save", () -> "saved")
                .post("/form", dev.weft.extract.Form.of(Note.class), note -> "note " + note.text())
                .layer(Sessions.store(MemorySessionStore.create()).crossOriginProtection(csrf).build())
                .build();
    }

    public record Note(String text, String _csrf) {}

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void token_mode_round_trips_a_masked_token_and_refuses_forged_or_unmasked_ones(Function<Router, Client> start) {
        try (Client client = start.apply(tokenApp())) {
            TestResponse first = client.get("/token");
            String cookie = SessionTest.pair(first);
            String token = first.body();
            String again = client.request(Method.GET, "/token").header("cookie", cookie).send().body();
            assertThat(again).as("masked afresh per response").isNotEqualTo(token).hasSize(86);

            for (String t : List.of(token, again)) {
                assertThat(client.post("/save").header("cookie", cookie).header("x-csrf-token", t).send().status())
                        .isEqualTo(200);
            }
            assertThat(client.post("/form").header("cookie", cookie)
                    .form("text=hi&_csrf=" + again).send().body()).as("form field, body still read").isEqualTo("note hi");

            // The raw token: the two halves of a masked one XORed back.
            byte[] masked = java.util.Base64.getUrlDecoder().decode(token);
            byte[] raw = new byte[32];
            for (int i = 0; i < 32; i++) {
                raw[i] = (byte) (masked[i] ^ masked[32 + i]);
            }
            String unmasked = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
            String forged = token.substring(0, 85) + (token.charAt(85) == 'A' ? 'B' : 'A');
            for (String bad : List.of(unmasked, forged, "", "x".repeat(86), "%%%")) {
                TestResponse refused = client.post("/save").header("cookie", cookie).header("x-csrf-token", bad).send();
                assertThat(refused.status()).as(bad).isEqualTo(403);
                assertThat(refused.body()).contains("csrf-token");
            }
            assertThat(client.post("/save").header("cookie", cookie).send().status()).as("no token").isEqualTo(403);
            assertThat(client.post("/save").header("x-csrf-token", token).send().status())
                    .as("a token without its session").isEqualTo(403);
            assertThat(client.post("/save").header("cookie", cookie).header("sec-fetch-site", "same-origin").send()
                    .status()).as("Fetch Metadata needs no token").isEqualTo(200);
        }
    }
}
