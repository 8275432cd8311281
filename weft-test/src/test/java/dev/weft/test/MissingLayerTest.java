package dev.weft.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.cookie.CookieKeys;
import dev.weft.extract.Extract;
import dev.weft.extract.Extractor;
import dev.weft.middleware.CrossOriginProtection;
import dev.weft.middleware.CspNonce;
import dev.weft.middleware.Middleware;
import dev.weft.middleware.RequestId;
import dev.weft.middleware.SecurityHeaders;
import dev.weft.routing.Handler;
import dev.weft.routing.InvalidRouteException;
import dev.weft.routing.Router;
import dev.weft.session.Session;
import dev.weft.session.Sessions;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The extractors that read what a layer attached to the request (the session, the CSRF token,
 * the request id, the CSP nonce) refuse, at build(), a route no such layer wraps: errors at
 * startup, not a 500 on every request.
 */
class MissingLayerTest {
    static final Sessions SESSIONS = Sessions.cookies(CookieKeys.of(SessionTest.SECRET)).build();
    static final CrossOriginProtection TOKENS = CrossOriginProtection.builder().maskedTokens().build();

    static Stream<Named<Function<Router, Client>>> clients() {
        return Clients.both();
    }

    /** Each extractor that needs a layer, with what the message must say and a layer that satisfies it. */
    record Case(String name, Extractor<?> extractor, String asks, Middleware layer) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Case> cases() {
        return List.of(
                new Case("Sessions.session()", Sessions.session(), "the session (Sessions.session())", SESSIONS),
                new Case("Extract.extension(Session.class)", Extract.extension(Session.class),
                        "the session (Extract.extension(Session.class))", SESSIONS),
                new Case("CrossOriginProtection.token()", TOKENS.token(), "a CSRF token", SESSIONS),
                new Case("RequestId.extractor()", RequestId.extractor(), "the request id", RequestId.create()),
                new Case("Extract.extension(CspNonce.class)", Extract.extension(CspNonce.class), "the CSP nonce",
                        SecurityHeaders.html()));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void a_route_whose_layer_is_missing_fails_the_build_naming_the_route_the_layer_and_the_fix(Case c) {
        assertThatThrownBy(() -> Router.builder().get("/page", c.extractor(), v -> "ok").build())
                .isInstanceOf(InvalidRouteException.class)
                .hasMessageContaining("GET /page asks for " + c.asks())
                .hasMessageContaining("no " + c.layer().name().replaceAll("[+(].*", ""))
                .hasMessageContaining("Router.Builder to nest(...)");
        // the same through map(..), on a fallback, and on one route of several: each named
        assertThatThrownBy(() -> Router.builder().get("/mapped", c.extractor().map(String::valueOf), v -> v).build())
                .hasMessageContaining("GET /mapped asks for");
        assertThatThrownBy(() -> Router.builder().fallback(Handler.of(c.extractor(), v -> "ok")).build())
                .hasMessageContaining("* / asks for");
        assertThatThrownBy(() -> Router.builder()
                .nest("/in", Router.builder().layer(c.layer()).get("/covered", c.extractor(), v -> "ok"))
                .post("/bare", c.extractor(), v -> "ok").build())
                .hasMessageContaining("POST /bare asks for");
    }

    @ParameterizedTest
    @MethodSource("cases")
    void the_layer_anywhere_around_the_route_satisfies_the_check(Case c) {
        Router.builder().layer(c.layer()).get("/root", c.extractor(), v -> "ok").build();
        Router.builder().routeLayer(c.layer()).get("/route", c.extractor(), v -> "ok").build();
        Router.builder().get("/own", Handler.of(c.extractor(), v -> "ok").layer(c.layer())).build();
        Router.builder().layer(c.layer()).nest("/api", Router.builder().get("/x", c.extractor(), v -> "ok")).build();
        // renamed for the route table, it is still the layer
        Router.builder().layer(Middleware.named("mine", c.layer())).get("/named", c.extractor(), v -> "ok").build();
    }

    @Test
    void a_nonce_needs_a_policy_that_has_one_not_just_security_headers() {
        assertThatThrownBy(() -> Router.builder().layer(SecurityHeaders.api())
                .get("/page", Extract.extension(CspNonce.class), n -> "ok").build())
                .isInstanceOf(InvalidRouteException.class)
                .hasMessageContaining("'nonce-{nonce}'");
        assertThat(SecurityHeaders.api().makesNonce()).isFalse();
        assertThat(SecurityHeaders.html().makesNonce()).isTrue();
    }

    @Test
    void a_csrf_token_is_satisfied_by_the_sessions_layer_not_by_cross_origin_protection_alone() {
        assertThatThrownBy(() -> Router.builder().layer(TOKENS).get("/form", TOKENS.token(), t -> "ok").build())
                .isInstanceOf(InvalidRouteException.class);
    }

    @Test
    void extensions_no_weft_layer_attaches_are_not_checked() {
        record Tenant(String id) {}
        Router.builder().get("/t", Extract.extension(Tenant.class), t -> t.id()).build();
    }

    @ParameterizedTest
    @MethodSource("clients")
    void called_by_hand_where_no_build_checks_it_the_request_gets_a_500_and_the_log_names_the_layer(
            Function<Router, Client> start) {
        // A middleware outside the Sessions layer reads the session: no route shape can see that.
        Middleware early = (request, next) -> {
            Sessions.session().extract(request);
            return next.run(request);
        };
        Router router = Router.builder().layer(early).layer(SESSIONS)
                .get("/s", Sessions.session(), s -> "ok").build();
        try (Client client = start.apply(router); LogCapture log = new LogCapture("dev.weft.handler")) {
            TestResponse response = client.get("/s");
            assertThat(response.status()).isEqualTo(500);
            assertThat(response.body()).doesNotContain("Sessions"); // the client learns nothing of the wiring
            assertThat(log.awaitEvents(1)).anySatisfy(event -> {
                assertThat(event.getLevel()).isEqualTo(ch.qos.logback.classic.Level.ERROR);
                assertThat(event.getThrowableProxy().getMessage())
                        .contains("Sessions.session() needs a Sessions layer around GET /s");
            });
        }
    }
}
