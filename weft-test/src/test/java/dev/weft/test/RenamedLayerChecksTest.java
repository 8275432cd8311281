package dev.weft.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.auth.ApiKeyAuth;
import dev.weft.auth.Auth;
import dev.weft.auth.MissingAuthenticationException;
import dev.weft.auth.Principal;
import dev.weft.cookie.CookieKeys;
import dev.weft.extract.Extract;
import dev.weft.http.Method;
import dev.weft.middleware.ConcurrencyLimit;
import dev.weft.middleware.Cors;
import dev.weft.middleware.CrossOriginProtection;
import dev.weft.middleware.CspNonce;
import dev.weft.middleware.Middleware;
import dev.weft.middleware.NormalizePath;
import dev.weft.middleware.RequestId;
import dev.weft.middleware.SecurityHeaders;
import dev.weft.routing.Handler;
import dev.weft.routing.InvalidRouteException;
import dev.weft.routing.LayerOrderException;
import dev.weft.routing.Router;
import dev.weft.session.Sessions;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every check build() makes on layers sees through Middleware.named: a layer renamed for the
 * route table (once, twice, in a nested router) passes and fails exactly where the plain layer
 * does. Each case builds its router with a wrapping applied to the layers under test; the plain
 * wrapping pins what the check does, the renamed ones must do the same.
 */
class RenamedLayerChecksTest {
    private static final CookieKeys KEYS = CookieKeys.of(SessionTest.SECRET);

    /** A pass-through layer that merely claims {@code kind}: an application's own layer. */
    private static Middleware claiming(String name, Middleware.Kind kind) {
        return LayerOrderTest.kind(name, kind);
    }

    private static Middleware apiKey() {
        return ApiKeyAuth.builder().key("k-123456", Principal.of("billing")).build();
    }

    private static Sessions sessionsWithout() {
        return Sessions.cookies(KEYS).withoutCrossOriginProtection().build();
    }

    private static CrossOriginProtection tokens() {
        return CrossOriginProtection.builder().maskedTokens().build();
    }

    /** One wiring: {@code router} builds it with {@code wrap} applied to the layers under test. */
    record Case(String name, Function<UnaryOperator<Middleware>, Router.Builder> router,
            Class<? extends RuntimeException> fails, String says) {
        static Case passes(String name, Function<UnaryOperator<Middleware>, Router.Builder> router) {
            return new Case(name, router, null, null);
        }

        static Case fails(String name, Class<? extends RuntimeException> type, String says,
                Function<UnaryOperator<Middleware>, Router.Builder> router) {
            return new Case(name, router, type, says);
        }
    }

    static List<Case> cases() {
        return List.of(
                // LayerOrder: the kind() checks
                Case.fails("CORS inside authentication", LayerOrderException.class, "sits inside authentication",
                        w -> Router.builder().routeLayer(w.apply(apiKey()))
                                .get("/a", Handler.of(() -> "a").layer(w.apply(Cors.allowOrigins("https://a.example"))))),
                Case.fails("CORS inside a concurrency limit, nested", LayerOrderException.class,
                        "sits inside concurrency-limit",
                        w -> Router.builder().nest("/api", Router.builder().routeLayer(w.apply(ConcurrencyLimit.of(4)))
                                .get("/a", Handler.of(() -> "a").layer(w.apply(Cors.allowOrigins("https://a.example")))))),
                Case.passes("CORS outside authentication",
                        w -> Router.builder().layer(w.apply(Cors.allowOrigins("https://a.example")))
                                .routeLayer(w.apply(apiKey())).get("/a", () -> "a")),
                Case.fails("authentication with layer(...)", LayerOrderException.class, "would answer 401",
                        w -> Router.builder().layer(w.apply(apiKey())).get("/a", () -> "a")),
                Case.fails("authentication with layer(...) of a nested router", LayerOrderException.class,
                        "would answer 401",
                        w -> Router.builder().nest("/api", Router.builder().layer(w.apply(apiKey())).get("/a", () -> "a"))),
                Case.fails("path rewrite as a route layer", LayerOrderException.class, "path rewrite",
                        w -> Router.builder().routeLayer(w.apply(NormalizePath.rewrite())).get("/a", () -> "a")),
                Case.fails("path rewrite in a nested router", LayerOrderException.class, "path rewrite",
                        w -> Router.builder().nest("/api",
                                Router.builder().layer(w.apply(NormalizePath.rewrite())).get("/a", () -> "a"))),
                Case.passes("path rewrite on the outermost router",
                        w -> Router.builder().layer(w.apply(NormalizePath.rewrite())).get("/a", () -> "a")),
                // an application's layer that merely claims AUTHENTICATION is checked as one
                Case.fails("a claimed authentication layer with layer(...)", LayerOrderException.class,
                        "authentication layer '",
                        w -> Router.builder().layer(w.apply(claiming("mine-auth", Middleware.Kind.AUTHENTICATION)))
                                .get("/a", () -> "a")),
                Case.fails("CORS inside a claimed authentication layer", LayerOrderException.class,
                        "sits inside authentication",
                        w -> Router.builder().routeLayer(w.apply(claiming("mine-auth", Middleware.Kind.AUTHENTICATION)))
                                .get("/a", Handler.of(() -> "a").layer(w.apply(claiming("mine-cors", Middleware.Kind.CORS))))),
                Case.passes("a claimed authentication layer satisfies Auth.principal()",
                        w -> Router.builder().routeLayer(w.apply(claiming("mine-auth", Middleware.Kind.AUTHENTICATION)))
                                .get("/me", Auth.principal(), p -> p.name())),
                // Auth extractors: hasLayer(AUTHENTICATION)
                Case.passes("Auth.principal() under authentication, nested",
                        w -> Router.builder().nest("/api", Router.builder().routeLayer(w.apply(apiKey()))
                                .get("/me", Auth.principal(), p -> p.name()))),
                Case.fails("Auth.principal() with only a CSRF layer", MissingAuthenticationException.class,
                        "no authentication layer",
                        w -> Router.builder().routeLayer(w.apply(CrossOriginProtection.create()))
                                .get("/me", Auth.principal(), p -> p.name())),
                // LayerChecks: layers(Class)
                Case.passes("Sessions.session() under Sessions",
                        w -> Router.builder().nest("/cart", Router.builder().routeLayer(w.apply(sessionsWithout()))
                                .get("/s", Sessions.session(), s -> "ok"))),
                Case.passes("CrossOriginProtection.token() under Sessions",
                        w -> Router.builder().layer(w.apply(Sessions.cookies(KEYS).crossOriginProtection(tokens()).build()))
                                .get("/form", tokens().token(), t -> "ok")),
                Case.passes("RequestId.extractor() under RequestId",
                        w -> Router.builder().layer(w.apply(RequestId.create())).get("/id", RequestId.extractor(), id -> id)),
                Case.passes("the CSP nonce under SecurityHeaders.html()",
                        w -> Router.builder().layer(w.apply(SecurityHeaders.html()))
                                .get("/page", Extract.extension(CspNonce.class), n -> "ok")),
                Case.fails("the CSP nonce under SecurityHeaders.api()", InvalidRouteException.class, "'nonce-{nonce}'",
                        w -> Router.builder().layer(w.apply(SecurityHeaders.api()))
                                .get("/page", Extract.extension(CspNonce.class), n -> "ok")),
                // RouteChecked: CrossOriginProtection's and Sessions' own build checks
                Case.fails("an exemption naming no route", InvalidRouteException.class, "exempts POST /hooks",
                        w -> Router.builder().layer(w.apply(CrossOriginProtection.builder()
                                .exempt(Method.POST, "/hooks").build())).post("/other", () -> "ok")),
                Case.fails("an exemption naming no route, nested", InvalidRouteException.class, "exempts POST /hooks",
                        w -> Router.builder().nest("/api", Router.builder().routeLayer(w.apply(CrossOriginProtection.builder()
                                .exempt(Method.POST, "/hooks").build())).post("/hooks", () -> "ok"))),
                Case.passes("an exemption naming its route",
                        w -> Router.builder().layer(w.apply(CrossOriginProtection.builder()
                                .exempt(Method.POST, "/hooks").build())).post("/hooks", () -> "ok")),
                Case.fails("a Sessions layer whose protection exempts no route", InvalidRouteException.class,
                        "exempts POST /hooks",
                        w -> Router.builder().layer(w.apply(Sessions.cookies(KEYS).crossOriginProtection(
                                CrossOriginProtection.builder().exempt(Method.POST, "/hooks").build()).build()))
                                .post("/other", () -> "ok")),
                Case.fails("token mode without Sessions", InvalidRouteException.class, "no Sessions layer is outside",
                        w -> Router.builder().layer(w.apply(tokens())).post("/form", () -> "ok")),
                Case.fails("token mode with Sessions inside it", InvalidRouteException.class,
                        "no Sessions layer is outside",
                        w -> Router.builder().layer(w.apply(tokens())).layer(w.apply(sessionsWithout()))
                                .post("/form", () -> "ok")),
                Case.fails("token mode with Sessions inside it, nested", InvalidRouteException.class,
                        "no Sessions layer is outside",
                        w -> Router.builder().nest("/api", Router.builder().routeLayer(w.apply(tokens()))
                                .routeLayer(w.apply(sessionsWithout())).post("/form", () -> "ok"))),
                Case.passes("token mode with Sessions outside it",
                        w -> Router.builder().layer(w.apply(sessionsWithout())).routeLayer(w.apply(tokens()))
                                .post("/form", () -> "ok")),
                Case.passes("token mode with only the Sessions outside it renamed",
                        w -> Router.builder().layer(w.apply(sessionsWithout())).routeLayer(tokens())
                                .post("/form", () -> "ok")),
                Case.passes("token mode with Sessions outside it, nested",
                        w -> Router.builder().layer(w.apply(sessionsWithout())).nest("/api",
                                Router.builder().routeLayer(w.apply(tokens())).post("/form", () -> "ok"))));
    }

    /** How the layers under test are installed: as they are, renamed, renamed twice. */
    static List<UnaryOperator<Middleware>> wrappings() {
        return List.of(m -> m, m -> Middleware.named("renamed", m),
                m -> Middleware.named("outer", Middleware.named("inner", m)));
    }

    static Stream<Arguments> casesAndWrappings() {
        List<Arguments> all = new ArrayList<>();
        List<String> names = List.of("plain", "renamed", "renamed twice");
        for (Case c : cases()) {
            for (int i = 0; i < wrappings().size(); i++) {
                all.add(Arguments.argumentSet(c.name() + " [" + names.get(i) + "]", c, wrappings().get(i)));
            }
        }
        return all.stream();
    }

    @ParameterizedTest
    @MethodSource("casesAndWrappings")
    void a_renamed_layer_passes_and_fails_every_build_check_exactly_like_the_plain_one(Case c,
            UnaryOperator<Middleware> wrap) {
        if (c.fails() == null) {
            assertThatCode(() -> c.router().apply(wrap).build()).doesNotThrowAnyException();
        } else {
            assertThatThrownBy(() -> c.router().apply(wrap).build())
                    .isInstanceOf(c.fails())
                    .hasMessageContaining(c.says());
        }
    }

    @Test
    void a_rename_keeps_the_kind_of_the_layer_it_renames_however_deep() {
        for (Middleware layer : List.of(apiKey(), Cors.allowOrigins("https://a.example"), tokens(), sessionsWithout(),
                NormalizePath.rewrite(), claiming("mine", Middleware.Kind.AUTHENTICATION))) {
            assertThat(Middleware.named("a", Middleware.named("b", layer)).kind()).isEqualTo(layer.kind());
            assertThat(Middleware.named("a", Middleware.named("b", layer)).name()).isEqualTo("a");
        }
    }

    @Test
    void a_problem_found_on_a_renamed_layer_names_it_as_the_route_table_does() {
        assertThatThrownBy(() -> Router.builder().layer(Middleware.named("form-guard", tokens()))
                .post("/form", () -> "ok").build())
                .isInstanceOf(InvalidRouteException.class)
                .hasMessageContaining("'form-guard'");
        assertThatThrownBy(() -> Router.builder().layer(Middleware.named("mine", apiKey())).get("/a", () -> "a").build())
                .hasMessageContaining("'mine'");
    }

    @Test
    void one_layer_installed_plain_and_renamed_is_checked_once_as_one_layer() {
        CrossOriginProtection csrf = CrossOriginProtection.builder().exempt(Method.POST, "/a").build();
        // The exemption names a route wrapped only under the renamed install: still one layer, so it is wrapped.
        assertThatCode(() -> Router.builder()
                .nest("/x", Router.builder().routeLayer(csrf).post("/b", () -> "b"))
                .routeLayer(Middleware.named("guard", csrf)).post("/a", () -> "a").build())
                .doesNotThrowAnyException();
    }
}
