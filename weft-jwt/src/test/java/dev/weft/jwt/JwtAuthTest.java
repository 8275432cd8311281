package dev.weft.jwt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.OctetSequenceKeyGenerator;
import dev.weft.WeftException;
import dev.weft.auth.Auth;
import dev.weft.http.Method;
import dev.weft.routing.Router;
import dev.weft.test.Client;
import dev.weft.test.InMemoryClient;
import dev.weft.test.TestResponse;
import dev.weft.test.Transport;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class JwtAuthTest {
    private static final RSAKey KEY = Tokens.rsa("k1");
    private static final RSAKey OTHER = Tokens.rsa("k1"); // same kid, other key: a forged signature
    private static JwksServer jwks;
    private static JwtAuth jwt;
    private static Router app;

    @BeforeAll
    static void start() {
        jwks = new JwksServer(KEY.toPublicJWK());
        jwt = JwtAuth.builder().issuer(Tokens.ISSUER).audience(Tokens.AUDIENCE).algorithms("RS256")
                .jwksUri(jwks.uri()).build();
        app = app(jwt);
    }

    @AfterAll
    static void stop() {
        jwt.close();
        jwks.close();
    }

    private static Router app(JwtAuth auth) {
        return Router.builder()
                .routeLayer(auth)
                .get("/me", Auth.principal(), p -> p.name() + " " + p.roles().stream().sorted().toList())
                .get("/admin", Auth.requireRole("admin"), p -> "admin")
                .build();
    }

    private static TestResponse get(Client client, String target, String token) {
        return client.request(Method.GET, target).header("authorization", "Bearer " + token).send();
    }

    private static void assertInvalidToken(TestResponse response) {
        assertThat(response.status()).as("%s", response).isEqualTo(401);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.header("www-authenticate")).contains("Bearer realm=\"api\", error=\"invalid_token\"");
        assertThat(response.body()).contains("valid credentials are required for this route")
                .doesNotContain("exp").doesNotContain("aud").doesNotContain("signature").doesNotContain("Exception");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Transport.class)
    void a_valid_token_reaches_the_handler_with_its_subject_and_scopes(Transport transport) {
        try (Client client = transport.start(app)) {
            TestResponse response = get(client, "/me", Tokens.signed(KEY));
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("ada [todos:read, todos:write]");
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Transport.class)
    void every_bad_token_gets_the_same_401_invalid_token(Transport transport) {
        Instant now = Instant.now();
        List<String> bad = List.of(
                Tokens.signed(KEY, c -> c.expirationTime(Date.from(now.minusSeconds(120)))),   // expired
                Tokens.signed(KEY, c -> c.notBeforeTime(Date.from(now.plusSeconds(120)))),    // not yet valid
                Tokens.signed(KEY, c -> c.audience("another-api")),                            // wrong audience
                Tokens.signed(KEY, c -> c.issuer("https://evil.test")),                        // wrong issuer
                Tokens.signed(KEY, c -> c.expirationTime(null)),                               // no exp
                Tokens.signed(KEY, c -> c.subject(null)),                                      // no sub
                Tokens.unsigned(),                                                             // alg: none
                Tokens.hs256WithPublicKey(KEY),                                                // HS256, not on the list
                Tokens.signed(OTHER),                                                          // signed by another key
                Tokens.signed(KEY, new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k1")
                        .type(new JOSEObjectType("id_token+jwt")).build()),                    // wrong typ
                tamper(Tokens.signed(KEY)),                                                    // tampered signature
                "abc.def.ghi", "not-a-jwt", "eyJhbGciOiJSUzI1NiJ9.e30.");                      // garbage
        try (Client client = transport.start(app)) {
            for (String token : bad) {
                assertInvalidToken(get(client, "/me", token));
            }
        }
    }

    @Test
    void exp_and_nbf_are_checked_with_60_seconds_of_skew() {
        Instant now = Instant.now();
        try (Client client = InMemoryClient.of(app)) {
            assertThat(get(client, "/me", Tokens.signed(KEY, c -> c.expirationTime(Date.from(now.minusSeconds(30)))))
                    .status()).isEqualTo(200);
            assertThat(get(client, "/me", Tokens.signed(KEY, c -> c.notBeforeTime(Date.from(now.plusSeconds(30)))))
                    .status()).isEqualTo(200);
        }
    }

    @Test
    void typ_at_jwt_and_no_typ_are_accepted() {
        try (Client client = InMemoryClient.of(app)) {
            assertThat(get(client, "/me", Tokens.signed(KEY, new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k1")
                    .type(new JOSEObjectType("at+jwt")).build())).status()).isEqualTo(200);
            assertThat(get(client, "/me", Tokens.signed(KEY, new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k1")
                    .build())).status()).isEqualTo(200);
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Transport.class)
    void a_missing_scope_is_403_insufficient_scope(Transport transport) {
        try (Client client = transport.start(app)) {
            TestResponse response = get(client, "/admin", Tokens.signed(KEY));
            assertThat(response.status()).isEqualTo(403);
            assertThat(response.header("www-authenticate"))
                    .contains("Bearer realm=\"api\", error=\"insufficient_scope\", scope=\"admin\"");
            assertThat(get(client, "/admin", Tokens.signed(KEY, c -> c.claim("scope", "admin"))).status())
                    .isEqualTo(200);
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Transport.class)
    void no_token_is_401_without_an_error_code(Transport transport) {
        try (Client client = transport.start(app)) {
            TestResponse response = client.get("/me");
            assertThat(response.status()).isEqualTo(401);
            assertThat(response.header("www-authenticate")).contains("Bearer realm=\"api\"");
        }
    }

    @Test
    void roles_come_from_the_configured_claim_as_an_array() {
        try (JwtAuth roles = JwtAuth.builder().issuer(Tokens.ISSUER).audience(Tokens.AUDIENCE).algorithms("RS256")
                .keys(new JWKSet(KEY.toPublicJWK())).rolesClaim("roles").build();
                Client client = InMemoryClient.of(app(roles))) {
            assertThat(get(client, "/admin", Tokens.signed(KEY, c -> c.claim("roles", List.of("admin", "ops"))))
                    .status()).isEqualTo(200);
            assertThat(get(client, "/admin", Tokens.signed(KEY)).status()).isEqualTo(403);
        }
    }

    @Test
    void hs256_works_with_a_static_secret_key() throws Exception {
        OctetSequenceKey secret = new OctetSequenceKeyGenerator(256).keyID("s1").generate();
        try (JwtAuth hmac = JwtAuth.builder().issuer(Tokens.ISSUER).audience(Tokens.AUDIENCE).algorithms("HS256")
                .keys(new JWKSet(secret)).build();
                Client client = InMemoryClient.of(app(hmac))) {
            var jwtToken = new com.nimbusds.jwt.SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("s1").build(),
                    Tokens.claims().build());
            jwtToken.sign(new com.nimbusds.jose.crypto.MACSigner(secret));
            assertThat(get(client, "/me", jwtToken.serialize()).status()).isEqualTo(200);
            assertThat(get(client, "/me", Tokens.signed(KEY)).status()).isEqualTo(401);
        }
    }

    @Test
    void build_refuses_unsafe_options_listing_every_problem() {
        assertThatThrownBy(() -> JwtAuth.builder().build())
                .isInstanceOf(WeftException.class)
                .hasMessageContaining("issuer must be set")
                .hasMessageContaining("audience must be set")
                .hasMessageContaining("algorithms must be set")
                .hasMessageContaining("jwksUri(...) or keys(...)");
        assertThatThrownBy(() -> JwtAuth.builder().issuer("i").audience("a").algorithms("none", "RS256")
                .jwksUri(URI.create("https://idp.test/jwks")).build())
                .hasMessageContaining("'none' is never accepted");
        assertThatThrownBy(() -> JwtAuth.builder().issuer("i").audience("a").algorithms("HS256")
                .jwksUri(URI.create("https://idp.test/jwks")).build())
                .hasMessageContaining("HMAC algorithms (HS*) need shared secret keys");
        assertThatThrownBy(() -> JwtAuth.builder().issuer("i").audience("a").algorithms("HS256", "RS256")
                .keys(new JWKSet(KEY.toPublicJWK())).build())
                .hasMessageContaining("mix HMAC")
                .hasMessageContaining("is a public-key RSA key, but the algorithms are HMAC");
        assertThatThrownBy(() -> JwtAuth.builder().issuer("i").audience("a").algorithms("XY512")
                .keys(new JWKSet(KEY.toPublicJWK())).clockSkew(Duration.ofSeconds(-1)).build())
                .hasMessageContaining("'XY512' is not a JWS algorithm")
                .hasMessageContaining("clockSkew must be zero or more");
    }

    @Test
    void a_jwks_endpoint_down_at_startup_answers_503_with_retry_after_until_keys_arrive() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort(); // closed again: connections are refused
        }
        try (JwtAuth down = JwtAuth.builder().issuer(Tokens.ISSUER).audience(Tokens.AUDIENCE).algorithms("RS256")
                .jwksUri(URI.create("http://127.0.0.1:" + port + "/jwks.json")).minRefreshInterval(Duration.ofSeconds(5))
                .build();
                Client client = InMemoryClient.of(app(down))) {
            TestResponse response = get(client, "/me", Tokens.signed(KEY));
            assertThat(response.status()).isEqualTo(503);
            assertThat(response.contentType()).startsWith("application/problem+json");
            assertThat(Long.parseLong(response.header("retry-after").orElseThrow())).isBetween(1L, 5L);
            assertThat(response.body()).doesNotContain("127.0.0.1").doesNotContain("jwks");
        }
    }

    @Test
    void a_jwks_endpoint_that_comes_up_late_is_used_once_it_answers() {
        try (JwksServer late = new JwksServer(KEY.toPublicJWK())) {
            late.down(true);
            try (JwtAuth auth = JwtAuth.builder().issuer(Tokens.ISSUER).audience(Tokens.AUDIENCE).algorithms("RS256")
                    .jwksUri(late.uri()).minRefreshInterval(Duration.ofMillis(100)).build();
                    Client client = InMemoryClient.of(app(auth))) {
                assertThat(get(client, "/me", Tokens.signed(KEY)).status()).isEqualTo(503);
                late.down(false);
                awaitTrue(() -> get(client, "/me", Tokens.signed(KEY)).status() == 200);
            }
        }
    }

    @Test
    void keys_are_kept_through_a_jwks_outage() {
        try (JwksServer flaky = new JwksServer(KEY.toPublicJWK());
                JwtAuth auth = JwtAuth.builder().issuer(Tokens.ISSUER).audience(Tokens.AUDIENCE).algorithms("RS256")
                        .jwksUri(flaky.uri()).refreshInterval(Duration.ofMillis(50)).minRefreshInterval(Duration.ofMillis(10))
                        .build();
                Client client = InMemoryClient.of(app(auth))) {
            assertThat(get(client, "/me", Tokens.signed(KEY)).status()).isEqualTo(200);
            flaky.down(true);
            int before = flaky.fetches();
            awaitTrue(() -> flaky.fetches() >= before + 3); // several refreshes failed meanwhile
            for (int i = 0; i < 5; i++) {
                assertThat(get(client, "/me", Tokens.signed(KEY)).status()).isEqualTo(200);
            }
        }
    }

    @Test
    void a_new_key_id_triggers_a_refetch_and_is_accepted_after_it() {
        RSAKey rotated = Tokens.rsa("k2");
        try (JwksServer rotating = new JwksServer(KEY.toPublicJWK());
                JwtAuth auth = JwtAuth.builder().issuer(Tokens.ISSUER).audience(Tokens.AUDIENCE).algorithms("RS256")
                        .jwksUri(rotating.uri()).refreshInterval(Duration.ofHours(1))
                        .minRefreshInterval(Duration.ofMillis(200)).build();
                Client client = InMemoryClient.of(app(auth))) {
            assertThat(get(client, "/me", Tokens.signed(KEY)).status()).isEqualTo(200);
            rotating.add(rotated.toPublicJWK());
            awaitTrue(() -> get(client, "/me", Tokens.signed(rotated)).status() == 200);
            assertThat(get(client, "/me", Tokens.signed(KEY)).status()).isEqualTo(200); // the old key still works
        }
    }

    @Test
    void unknown_key_ids_refetch_at_most_once_per_min_refresh_interval() {
        try (JwksServer counted = new JwksServer(KEY.toPublicJWK());
                JwtAuth auth = JwtAuth.builder().issuer(Tokens.ISSUER).audience(Tokens.AUDIENCE).algorithms("RS256")
                        .jwksUri(counted.uri()).refreshInterval(Duration.ofHours(1))
                        .minRefreshInterval(Duration.ofHours(1)).build();
                Client client = InMemoryClient.of(app(auth))) {
            assertThat(get(client, "/me", Tokens.signed(KEY)).status()).isEqualTo(200);
            int after = counted.fetches();
            for (int i = 0; i < 50; i++) {
                assertInvalidToken(get(client, "/me", Tokens.signed(Tokens.rsa("unknown-" + (i % 3)))));
            }
            assertThat(counted.fetches()).isEqualTo(after);
        }
    }

    private static void awaitTrue(BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 10 s");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    private static String tamper(String token) {
        char[] chars = token.toCharArray();
        int i = chars.length - 5;
        chars[i] = chars[i] == 'A' ? 'B' : 'A';
        return new String(chars);
    }
}
