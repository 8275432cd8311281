package dev.weft.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.extract.PathParam;
import dev.weft.middleware.Middleware;
import dev.weft.routing.Handler;
import dev.weft.routing.RouteInfo;
import dev.weft.routing.Router;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The effective route table: each route with its middleware stack, outermost first. */
class RouteTableTest {

    private static Middleware named(String name) {
        return Middleware.named(name, (request, next) -> next.run(request));
    }

    private static Router app() {
        Router.Builder api = Router.builder()
                .layer(named("api-log"))
                .routeLayer(named("api-auth"))
                .get("/items/{id}", Handler.of(PathParam.string("id"), id -> id).layer(named("audit")));
        return Router.builder()
                .layer(named("log"))
                .routeLayer(named("auth"))
                .get("/health", Handler.of(() -> "ok").layer(named("cache")))
                .post("/health", () -> "ok")
                .nest("/api", api)
                .build();
    }

    private static RouteInfo route(Router router, String method, String pattern) {
        return router.routes().stream()
                .filter(r -> r.method().equals(method) && r.pattern().equals(pattern))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no route " + method + " " + pattern + " in " + router.routes()));
    }

    @Test
    void routes_lists_every_route_with_its_full_pattern() {
        assertThat(app().routes())
                .extracting(r -> r.method() + " " + r.pattern())
                .containsExactlyInAnyOrder("GET /api/items/{id}", "GET /health", "POST /health");
    }

    @Test
    void routes_list_a_root_route_with_root_layers_route_layers_and_its_own_layers_in_order() {
        assertThat(route(app(), "GET", "/health").middleware()).containsExactly("log", "auth", "cache");
    }

    @Test
    void routes_list_a_route_without_own_layers_with_only_the_router_layers() {
        assertThat(route(app(), "POST", "/health").middleware()).containsExactly("log", "auth");
    }

    @Test
    void routes_list_a_nested_route_with_parent_then_child_then_route_middleware() {
        assertThat(route(app(), "GET", "/api/items/{id}").middleware())
                .containsExactly("log", "auth", "api-log", "api-auth", "audit");
    }

    @Test
    void routes_are_sorted_by_pattern() {
        List<String> patterns = app().routes().stream().map(RouteInfo::pattern).toList();
        assertThat(patterns).isSorted();
    }

    @Test
    void lambda_middleware_gets_a_generated_name() {
        Router router = Router.builder()
                .layer((request, next) -> next.run(request))
                .get("/x", () -> "x")
                .build();
        assertThat(route(router, "GET", "/x").middleware()).singleElement().asString().isNotBlank();
    }

    @Test
    void routes_report_the_default_body_limit_of_two_mebibytes() {
        Router router = Router.builder().post("/upload", () -> "ok").build();
        assertThat(route(router, "POST", "/upload").bodyLimitBytes()).isEqualTo(2L * 1024 * 1024);
    }

    @Test
    void routes_report_the_router_body_limit_and_a_per_route_override() {
        Router router = Router.builder()
                .bodyLimit(1024)
                .post("/small", () -> "ok")
                .post("/big", Handler.of(() -> "ok").bodyLimit(10_000_000))
                .build();
        assertThat(route(router, "POST", "/small").bodyLimitBytes()).isEqualTo(1024);
        assertThat(route(router, "POST", "/big").bodyLimitBytes()).isEqualTo(10_000_000);
    }

    @Test
    void nested_router_inherits_the_parent_body_limit() {
        Router.Builder inner = Router.builder().post("/x", () -> "ok");
        Router router = Router.builder().bodyLimit(4096).nest("/api", inner).build();
        assertThat(route(router, "POST", "/api/x").bodyLimitBytes()).isEqualTo(4096);
    }

    @Test
    void route_table_has_a_line_per_route_with_method_pattern_and_middleware_in_order() {
        List<String> lines = app().routeTable().lines().toList();
        assertThat(lines).anySatisfy(line ->
                assertThat(line).matches("GET\\s+/api/items/\\{id}\\s+log > auth > api-log > api-auth > audit"));
        assertThat(lines).anySatisfy(line ->
                assertThat(line).matches("GET\\s+/health\\s+log > auth > cache"));
        assertThat(lines).anySatisfy(line ->
                assertThat(line).matches("POST\\s+/health\\s+log > auth"));
    }

    @Test
    void route_table_has_one_line_per_route() {
        Router router = app();
        assertThat(router.routeTable().lines()).hasSize(router.routes().size());
    }

    @Test
    void fallback_appears_in_the_routes_with_method_star() {
        Router router = Router.builder()
                .layer(named("log"))
                .get("/x", () -> "x")
                .fallback(() -> "fallback")
                .build();
        assertThat(router.routes()).anySatisfy(r -> {
            assertThat(r.method()).isEqualTo("*");
            assertThat(r.middleware()).containsExactly("log");
        });
    }
}
