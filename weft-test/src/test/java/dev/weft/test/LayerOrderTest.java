package dev.weft.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.http.Request;
import dev.weft.middleware.Middleware;
import dev.weft.middleware.Next;
import dev.weft.response.Response;
import dev.weft.response.Status;
import dev.weft.routing.Handler;
import dev.weft.routing.LayerOrderException;
import dev.weft.routing.Router;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The order checks build() makes on layers that declare their kind, and failures inside layers. */
class LayerOrderTest {

    /** A pass-through layer of the given kind: an application's own layer that claims it. */
    static Middleware kind(String name, Middleware.Kind kind) {
        return new Middleware() {
            @Override
            public Response handle(Request request, Next next) throws Exception {
                return next.run(request);
            }

            @Override
            public String name() {
                return name;
            }

            @Override
            public Kind kind() {
                return kind;
            }
        };
    }

    private static final Middleware CORS = kind("cors", Middleware.Kind.CORS);
    private static final Middleware AUTH = kind("auth", Middleware.Kind.AUTHENTICATION);
    private static final Middleware LIMIT = kind("limit", Middleware.Kind.RATE_LIMIT);
    private static final Middleware REWRITE = kind("rewrite", Middleware.Kind.PATH_REWRITE);

    @Test
    void cors_inside_authentication_fails_naming_both_and_the_fix() {
        Router.Builder app = Router.builder()
                .routeLayer(AUTH)
                .get("/a", () -> "a")
                .get("/b", Handler.of(() -> "b").layer(CORS));
        assertThatThrownBy(app::build)
                .isInstanceOf(LayerOrderException.class)
                .hasMessageContaining("GET /b")
                .hasMessageContaining("CORS layer 'cors' sits inside authentication layer 'auth'")
                .hasMessageContaining("install 'cors' with layer(...) on the outermost router, before 'auth'")
                .hasMessageNotContaining("GET /a");
    }

    @Test
    void cors_inside_a_rate_limit_of_an_outer_router_fails() {
        Router inner = Router.builder().layer(CORS).get("/x", () -> "x").build();
        Router.Builder app = Router.builder().layer(LIMIT).nest("/api", inner);
        assertThatThrownBy(app::build)
                .isInstanceOf(LayerOrderException.class)
                .hasMessageContaining("GET /api/x")
                .hasMessageContaining("inside rate-limit layer 'limit'");
    }

    @Test
    void cors_outside_authentication_and_limits_builds() {
        Router app = Router.builder()
                .layer(CORS)
                .layer(LIMIT)
                .routeLayer(AUTH)
                .get("/a", () -> "a")
                .build();
        assertThat(app.routes().getFirst().middleware()).containsExactly("cors", "limit", "auth");
    }

    @Test
    void authentication_installed_with_layer_fails_and_says_route_layer() {
        assertThatThrownBy(() -> Router.builder().layer(AUTH).get("/a", () -> "a").build())
                .isInstanceOf(LayerOrderException.class)
                .hasMessageContaining("authentication layer 'auth' is installed with layer(...) on the router at '/'")
                .hasMessageContaining("install it with routeLayer(...) instead");
    }

    @Test
    void authentication_installed_with_layer_on_a_nested_builder_fails_at_the_parent() {
        Router.Builder admin = Router.builder().layer(AUTH).get("/users", () -> "u");
        assertThatThrownBy(() -> Router.builder().nest("/admin", admin).build())
                .isInstanceOf(LayerOrderException.class)
                .hasMessageContaining("on the router at '/admin'");
    }

    @Test
    void path_rewrite_must_be_a_layer_of_the_outermost_router() {
        Router.Builder nested = Router.builder().layer(REWRITE).get("/x", () -> "x");
        Router.Builder app = Router.builder()
                .routeLayer(REWRITE)
                .get("/y", Handler.of(() -> "y").layer(REWRITE))
                .nest("/n", nested);
        assertThatThrownBy(app::build)
                .isInstanceOf(LayerOrderException.class)
                .satisfies(e -> assertThat(((LayerOrderException) e).problems()).hasSize(3))
                .hasMessageContaining("3 problems with the order of layers")
                .hasMessageContaining("routeLayer(...) of the router at '/'")
                .hasMessageContaining("Handler.layer(...) on GET /y")
                .hasMessageContaining("layer(...) of the router nested or merged at '/n'");
        assertThat(Router.builder().layer(REWRITE).get("/y", () -> "y").build().routes()).hasSize(1);
    }

    @Test
    void every_problem_is_reported_at_once_and_a_problem_on_many_routes_once() {
        Router.Builder app = Router.builder().layer(AUTH).routeLayer(CORS).routeLayer(REWRITE);
        for (int i = 0; i < 6; i++) {
            app.get("/r" + i, () -> "r");
        }
        assertThatThrownBy(app::build)
                .isInstanceOf(LayerOrderException.class)
                .satisfies(e -> assertThat(((LayerOrderException) e).problems()).hasSize(3))
                .hasMessageContaining("GET /r0, GET /r1, GET /r2 and 3 more: CORS layer 'cors'");
    }

    @Test
    void a_named_wrapper_keeps_the_kind() {
        assertThat(Middleware.named("mine", AUTH).kind()).isEqualTo(Middleware.Kind.AUTHENTICATION);
        assertThatThrownBy(() -> Router.builder().layer(Middleware.named("mine", AUTH)).get("/a", () -> "a").build())
                .isInstanceOf(LayerOrderException.class)
                .hasMessageContaining("'mine'");
    }

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void one_layer_value_holds_one_state_for_every_route_it_wraps(Function<Router, Client> start) {
        java.util.concurrent.atomic.AtomicInteger seen = new java.util.concurrent.atomic.AtomicInteger();
        Middleware counting = (request, next) -> next.run(request).withHeader("x-count",
                String.valueOf(seen.incrementAndGet()));
        Router nested = Router.builder().get("/c", () -> "c").build();
        Router app = Router.builder()
                .routeLayer(counting)
                .get("/a", () -> "a")
                .get("/b", Handler.of(() -> "b").layer(counting))
                .nest("/n", nested)
                .build();
        try (Client client = start.apply(app)) {
            seen.set(0); // the HTTP/2 client's upgrading request may have run through the layer
            assertThat(client.get("/a").header("x-count")).hasValue("1");
            assertThat(client.get("/n/c").header("x-count")).hasValue("2");
            assertThat(client.get("/b").header("x-count")).hasValue("4"); // routeLayer, then its own
        }
    }

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void an_outer_layer_sees_the_500_an_inner_layer_caused(Function<Router, Client> start) {
        Middleware failing = (request, next) -> {
            throw new IllegalStateException("inner layer broke");
        };
        Middleware tagging = (request, next) -> next.run(request).withHeader("x-outer", "yes");
        Router app = Router.builder()
                .layer((request, next) -> next.run(request).withHeader("x-outer", "yes"))
                .layer(failing)
                .get("/x", () -> "x")
                .get("/y", Handler.of(() -> "y").layer(failing))
                .routeLayer((request, next) -> next.run(request).withHeader("x-route", "yes"))
                .build();
        try (Client client = start.apply(app)) {
            TestResponse root = client.get("/x");
            assertThat(root.status()).isEqualTo(500);
            assertThat(root.header("x-outer")).hasValue("yes");
            assertThat(root.header("content-type")).hasValue("application/problem+json");
        }
        Router routeLevel = Router.builder()
                .routeLayer((request, next) -> next.run(request).withHeader("x-route", "yes"))
                .get("/y", Handler.of(() -> "y").layer(failing))
                .layer(tagging)
                .build();
        try (Client client = start.apply(routeLevel)) {
            TestResponse response = client.get("/y");
            assertThat(response.status()).isEqualTo(Status.INTERNAL_SERVER_ERROR.code());
            assertThat(response.header("x-route")).hasValue("yes");
            assertThat(response.header("x-outer")).hasValue("yes");
        }
    }
}
