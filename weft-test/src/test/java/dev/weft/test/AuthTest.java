package dev.weft.test;

import static dev.weft.test.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.auth.ApiKeyAuth;
import dev.weft.auth.Auth;
import dev.weft.auth.BasicAuth;
import dev.weft.auth.BearerAuth;
import dev.weft.auth.MissingAuthenticationException;
import dev.weft.auth.Principal;
import dev.weft.auth.UserTable;
import dev.weft.http.Method;
import dev.weft.routing.Handler;
import dev.weft.routing.LayerOrderException;
import dev.weft.routing.Router;
import dev.weft.ws.Message;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The authentication layers of dev.weft.auth, over every client. */
class AuthTest {

    static Stream<Named<Function<Router, Client>>> clients() {
        return Clients.both();
    }

    private static final String BASIC_CHALLENGE = "Basic realm=\"admin\", charset=\"UTF-8\"";
    private static final Map<String, Principal> TOKENS = Map.of("good-token", Principal.of("ada", "read"));

    private static final Router APP = Router.builder()
            .get("/", () -> "public")
            .nest("/basic", Router.builder()
                    .routeLayer(BasicAuth.builder().realm("admin").maxCredentialBytes(256)
                            .verifier(UserTable.builder().user("ada", "pässwörd", "admin").user("bob", "hunter2").build())
                            .build())
                    .get("/me", Auth.principal(), p -> "basic " + p.name())
                    .get("/admin", Auth.requireRole("admin"), p -> "admin " + p.name())
                    .build())
            .nest("/bearer", Router.builder()
                    .routeLayer(BearerAuth.builder().maxTokenBytes(64)
                            .verifier(token -> Optional.ofNullable(TOKENS.get(token))).build())
                    .get("/me", Auth.principal(), p -> "bearer " + p.name())
                    .get("/write", Auth.requireRole("write"), p -> "written")
                    .build())
            .nest("/key", Router.builder()
                    .routeLayer(ApiKeyAuth.builder().key("k-123456", Principal.of("billing")).build())
                    .get("/me", Auth.principal(), p -> "key " + p.name())
                    .build())
            .build();

    private static String basic(String credentials) {
        return basic(credentials.getBytes(StandardCharsets.UTF_8));
    }

    private static String basic(byte[] credentials) {
        return "Basic " + Base64.getEncoder().encodeToString(credentials);
    }

    private static TestResponse get(Client client, String target, String... headers) {
        TestRequest request = client.request(Method.GET, target);
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return request.send();
    }

    // ---- Basic ----

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void basic_accepts_a_good_user_and_password_whatever_the_scheme_case(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            assertThat(get(client, "/basic/me", "authorization", basic("ada:pässwörd")).body()).isEqualTo("basic ada");
            assertThat(get(client, "/basic/me", "authorization", "bASIC " + basic("bob:hunter2").substring(6)).body())
                    .isEqualTo("basic bob");
            assertThat(get(client, "/basic/me", "authorization", "Basic   " + basic("bob:hunter2").substring(6)).body())
                    .isEqualTo("basic bob");
            assertThat(get(client, "/", "authorization", "garbage").body()).isEqualTo("public");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void basic_answers_every_bad_credential_with_the_same_401(Function<Router, Client> clients) {
        byte[] notUtf8 = {'a', 'd', (byte) 0xff, ':', 'x'};
        List<List<String>> cases = List.of(
                List.of(),                                                    // no header
                List.of("authorization", basic("ada:wrong")),                // wrong password
                List.of("authorization", basic("eve:pässwörd")),             // unknown user
                List.of("authorization", basic("ada")),                      // no colon
                List.of("authorization", "Basic !!!not-base64!!!"),          // not base64
                List.of("authorization", "Basic YWRh=OnA="),                 // padding in the middle
                List.of("authorization", basic(notUtf8)),                    // not UTF-8
                List.of("authorization", basic("ada:pä\u0001")),             // a control character
                List.of("authorization", basic("ada:" + "x".repeat(300))),   // over maxCredentialBytes
                List.of("authorization", "Basic"),                           // no credentials
                List.of("authorization", "Bearer good-token"),               // another scheme
                List.of("authorization", "Basicx " + basic("ada:pässwörd").substring(6)),
                List.of("authorization", basic("ada:pässwörd"), "authorization", basic("bob:hunter2"))); // two
        try (Client client = clients.apply(APP)) {
            TestResponse reference = get(client, "/basic/me", "authorization", basic("ada:wrong"));
            for (List<String> headers : cases) {
                TestResponse response = get(client, "/basic/me", headers.toArray(String[]::new));
                Map<String, Object> problem = assertProblem(response, 401);
                assertThat(problem.get("detail")).as("%s", headers).isEqualTo("valid credentials are required for this route");
                assertThat(response.header("www-authenticate")).as("%s", headers).contains(BASIC_CHALLENGE);
                assertThat(response.body()).as("%s", headers).isEqualTo(reference.body());
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void a_missing_role_is_403_after_basic(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            TestResponse forbidden = get(client, "/basic/admin", "authorization", basic("bob:hunter2"));
            Map<String, Object> problem = assertProblem(forbidden, 403);
            assertThat(problem.get("detail")).isEqualTo("this route requires the role 'admin'");
            assertThat(forbidden.header("www-authenticate")).isEmpty();
            assertThat(get(client, "/basic/admin", "authorization", basic("ada:pässwörd")).body()).isEqualTo("admin ada");
        }
    }

    // ---- Bearer ----

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void bearer_accepts_a_good_token_whatever_the_scheme_case(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            assertThat(get(client, "/bearer/me", "authorization", "Bearer good-token").body()).isEqualTo("bearer ada");
            assertThat(get(client, "/bearer/me", "authorization", "bearer good-token").body()).isEqualTo("bearer ada");
            assertThat(get(client, "/bearer/me", "authorization", "BEARER good-token").body()).isEqualTo("bearer ada");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void bearer_without_credentials_is_401_without_an_error_code(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            for (TestResponse response : List.of(get(client, "/bearer/me"),
                    get(client, "/bearer/me", "authorization", basic("ada:pässwörd")))) {
                assertProblem(response, 401);
                assertThat(response.header("www-authenticate")).contains("Bearer realm=\"api\"");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void a_bad_or_oversized_token_is_401_invalid_token(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            for (String token : List.of("bad-token", "good-token=", "x".repeat(65))) {
                TestResponse response = get(client, "/bearer/me", "authorization", "Bearer " + token);
                assertProblem(response, 401);
                assertThat(response.header("www-authenticate")).contains("Bearer realm=\"api\", error=\"invalid_token\"");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void a_malformed_bearer_request_is_400_invalid_request(Function<Router, Client> clients) {
        List<List<String>> cases = List.of(
                List.of("/bearer/me", "authorization", "Bearer"),
                List.of("/bearer/me", "authorization", "Bearer good token"),
                List.of("/bearer/me", "authorization", "Bearer good-token,x"),
                List.of("/bearer/me", "authorization", "Bearer =abc"),
                List.of("/bearer/me", "authorization", "Bearer good-token", "authorization", "Bearer good-token"),
                List.of("/bearer/me?access_token=good-token", "authorization", "Bearer good-token"),
                List.of("/bearer/me?access_token=good-token"));
        try (Client client = clients.apply(APP)) {
            for (List<String> c : cases) {
                TestResponse response = get(client, c.getFirst(), c.subList(1, c.size()).toArray(String[]::new));
                assertProblem(response, 400);
                assertThat(response.header("www-authenticate")).as("%s", c)
                        .contains("Bearer realm=\"api\", error=\"invalid_request\"");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void a_missing_scope_is_403_insufficient_scope(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            TestResponse response = get(client, "/bearer/write", "authorization", "Bearer good-token");
            assertProblem(response, 403);
            assertThat(response.header("www-authenticate"))
                    .contains("Bearer realm=\"api\", error=\"insufficient_scope\", scope=\"write\"");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void a_huge_authorization_header_is_401_without_reaching_the_verifier(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            // Within the server's header limits (beyond them the server answers 431 before any layer).
            for (String scheme : List.of("Basic ", "Bearer ")) {
                String target = scheme.startsWith("Basic") ? "/basic/me" : "/bearer/me";
                TestResponse response = get(client, target, "authorization", scheme + "QUFB".repeat(1_500));
                assertProblem(response, 401);
            }
        }
    }

    @Test
    void a_built_router_asking_for_a_principal_is_checked_on_its_own() {
        assertThatThrownBy(() -> Router.builder().get("/me", Auth.principal(), p -> p.name()).build())
                .isInstanceOf(MissingAuthenticationException.class)
                .hasMessageContaining("pass its Router.Builder to nest");
    }

    // ---- API key ----

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void api_key_accepts_a_known_key_and_refuses_everything_else_alike(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            assertThat(get(client, "/key/me", "x-api-key", "k-123456").body()).isEqualTo("key billing");
            assertThat(get(client, "/key/me", "X-API-Key", "k-123456").body()).isEqualTo("key billing");
            TestResponse reference = get(client, "/key/me");
            for (List<String> headers : List.of(List.of("x-api-key", "k-123457"), List.of("x-api-key", "k-12345"),
                    List.of("x-api-key", "k-123456", "x-api-key", "k-123456"), List.of("x-api-key", "x".repeat(2000)),
                    List.of("authorization", "Bearer k-123456"))) {
                TestResponse response = get(client, "/key/me", headers.toArray(String[]::new));
                assertProblem(response, 401);
                assertThat(response.header("www-authenticate")).contains("ApiKey realm=\"api\", header=\"x-api-key\"");
                assertThat(response.body()).isEqualTo(reference.body());
            }
        }
    }

    // ---- routing ----

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void under_route_layer_auth_404_stays_404_and_405_stays_405(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            assertProblem(get(client, "/bearer/nothing-here"), 404);
            TestResponse wrongMethod = client.delete("/bearer/me");
            assertProblem(wrongMethod, 405);
            assertThat(wrongMethod.header("allow")).isPresent();
        }
    }

    @Test
    void a_principal_without_an_auth_layer_fails_the_build_naming_the_route() {
        assertThatThrownBy(() -> Router.builder().get("/me", Auth.principal(), p -> p.name()).build())
                .isInstanceOf(MissingAuthenticationException.class)
                .hasMessageContaining("GET /me asks for the authenticated principal")
                .hasMessageContaining("routeLayer");
        assertThatThrownBy(() -> Router.builder().post("/cache", Auth.requireRole("admin"), p -> "x").build())
                .isInstanceOf(MissingAuthenticationException.class)
                .hasMessageContaining("POST /cache asks for the role 'admin'");
    }

    @Test
    void auth_on_an_enclosing_router_covers_nested_routes_but_not_siblings() {
        BearerAuth bearer = BearerAuth.builder().verifier(t -> Optional.empty()).build();
        // Not complete on its own (no auth layer of its own): nested as a Builder, checked in place.
        Router.Builder inner = Router.builder().get("/me", Auth.principal(), p -> p.name());
        Router.builder().routeLayer(bearer).nest("/api", inner).build(); // covered: builds
        Router.builder().get("/x", Handler.of(Auth.principal(), p -> p.name()).layer(bearer)).build(); // one route
        assertThatThrownBy(() -> Router.builder()
                .nest("/open", inner)
                .nest("/closed", Router.builder().routeLayer(bearer).get("/y", () -> "y").build())
                .build())
                .isInstanceOf(MissingAuthenticationException.class)
                .hasMessageContaining("GET /open/me");
    }

    @Test
    void a_fallback_asking_for_a_principal_needs_its_own_auth_layer() {
        BearerAuth bearer = BearerAuth.builder().verifier(t -> Optional.empty()).build();
        assertThatThrownBy(() -> Router.builder().routeLayer(bearer)
                .fallback(Handler.of(Auth.principal(), p -> "fallback")).build())
                .isInstanceOf(MissingAuthenticationException.class)
                .hasMessageContaining("* /");
        Router.builder().fallback(Handler.of(Auth.principal(), p -> "fallback").layer(bearer)).build();
    }

    @Test
    void auth_installed_with_layer_fails_the_build() {
        BearerAuth bearer = BearerAuth.builder().verifier(t -> Optional.empty()).build();
        assertThatThrownBy(() -> Router.builder().layer(bearer).get("/me", Auth.principal(), p -> p.name()).build())
                .isInstanceOf(LayerOrderException.class)
                .hasMessageContaining("BearerAuth")
                .hasMessageContaining("routeLayer");
    }

    @Test
    void options_are_checked_all_at_once() {
        assertThatThrownBy(() -> BasicAuth.builder().realm("a\"b").maxCredentialBytes(0).build())
                .hasMessageContaining("verifier must be set")
                .hasMessageContaining("realm 'a\"b'")
                .hasMessageContaining("maxCredentialBytes must be positive");
        assertThatThrownBy(() -> ApiKeyAuth.builder().header("bad header").build())
                .hasMessageContaining("not an HTTP header name")
                .hasMessageContaining("exactly one of the two");
        assertThatThrownBy(() -> UserTable.builder().user("a:b", "x").user("c", "").user("c", "y").build())
                .hasMessageContaining("'a:b'")
                .hasMessageContaining("empty password")
                .hasMessageContaining("given twice");
        assertThatThrownBy(() -> Auth.requireRole("has space")).isInstanceOf(IllegalArgumentException.class);
    }

    // ---- WebSocket ----

    @Test
    void auth_covers_websocket_upgrades() {
        Router app = Router.builder()
                .routeLayer(BearerAuth.builder().verifier(token -> Optional.ofNullable(TOKENS.get(token))).build())
                .webSocket("/ws", WebSocketHandshakeTest::echo)
                .build();
        try (TestClient client = TestClient.start(app)) {
            try (WebSocketClient refused = WebSocketClient.open(client.port(), "/ws")) {
                assertThat(refused.handshake().status()).isEqualTo(401);
                assertThat(refused.handshake().header("www-authenticate")).contains("Bearer realm=\"api\"");
            }
            try (WebSocketClient refused = WebSocketClient.open(client.port(), "/ws", "authorization", "Bearer nope")) {
                assertThat(refused.handshake().status()).isEqualTo(401);
            }
            try (WebSocketClient ws = WebSocketClient.connect(client.port(), "/ws", "authorization", "Bearer good-token")) {
                ws.send("hi");
                assertThat(ws.receive(Duration.ofSeconds(5))).isEqualTo(new Message.Text("hi"));
            }
        }
    }
}
