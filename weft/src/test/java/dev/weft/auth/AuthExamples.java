package dev.weft.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.http.Method;
import dev.weft.http.Request;
import dev.weft.response.Response;
import dev.weft.routing.Router;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The examples in the Javadoc of {@code dev.weft.auth} and in docs/auth.md. */
class AuthExamples {

    static Router basicApp() {
        // @start region=basic
        UserTable users = UserTable.builder()
                .user("ada", "correct horse battery staple", "admin")
                .user("bob", "hunter2")
                .build();
        Router admin = Router.builder()
                .routeLayer(BasicAuth.builder().realm("admin area").verifier(users).build())
                .get("/me", Auth.principal(), user -> "hello " + user.name())
                .delete("/cache", Auth.requireRole("admin"), user -> Response.noContent())
                .build();
        Router app = Router.builder()
                .get("/", () -> "public")
                .nest("/admin", admin)
                .build();
        // @end
        return app;
    }

    static Router bearerApp() {
        // @start region=bearer
        Map<String, Principal> sessions = Map.of(
                "t0k3n-of-ada", Principal.of("ada", "todos:read", "todos:write"),
                "t0k3n-of-bob", Principal.of("bob", "todos:read"));
        BearerAuth bearer = BearerAuth.builder()
                .realm("todos")
                .verifier(token -> Optional.ofNullable(sessions.get(token)))
                .build();
        Router app = Router.builder()
                .routeLayer(bearer)
                .get("/todos", Auth.requireRole("todos:read"), user -> "todos of " + user.name())
                .post("/todos", Auth.requireRole("todos:write"), user -> Response.noContent())
                .build();
        // @end
        return app;
    }

    static Router apiKeyApp() {
        // @start region=api-key
        ApiKeyAuth keys = ApiKeyAuth.builder()
                .header("x-api-key")
                .key("k-7f3a9c1e5b", Principal.of("billing-service", "invoices"))
                .build();
        Router app = Router.builder()
                .routeLayer(keys)
                .get("/invoices", Auth.principal(), caller -> "for " + caller.name())
                .build();
        // @end
        return app;
    }

    static Router rolesApp(BearerAuth bearer) {
        // @start region=roles
        record User(String name, boolean admin) {}
        Router app = Router.builder()
                .routeLayer(bearer)
                // The principal as the application's own type: one map away.
                .get("/me", Auth.principal().map(p -> new User(p.name(), p.hasRole("admin"))),
                        user -> user.name() + (user.admin() ? " (admin)" : ""))
                // 403 problem+json unless the principal holds the role.
                .get("/admin/stats", Auth.requireRole("admin"), user -> "stats")
                .build();
        // @end
        return app;
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static Response get(Router app, Method method, String target, String... headers) {
        Request.Builder request = Request.builder(method, target);
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return app.handle(request.build());
    }

    @Test
    void basic_example() {
        Router app = basicApp();
        assertThat(get(app, Method.GET, "/").status().code()).isEqualTo(200);
        assertThat(get(app, Method.GET, "/admin/me").status().code()).isEqualTo(401);
        assertThat(get(app, Method.GET, "/admin/me", "authorization", basic("bob", "hunter2")).status().code())
                .isEqualTo(200);
        assertThat(get(app, Method.DELETE, "/admin/cache", "authorization", basic("bob", "hunter2")).status().code())
                .isEqualTo(403);
        assertThat(get(app, Method.DELETE, "/admin/cache", "authorization",
                basic("ada", "correct horse battery staple")).status().code()).isEqualTo(204);
    }

    @Test
    void bearer_example() {
        Router app = bearerApp();
        assertThat(get(app, Method.GET, "/todos", "authorization", "Bearer t0k3n-of-bob").status().code())
                .isEqualTo(200);
        Response forbidden = get(app, Method.POST, "/todos", "authorization", "Bearer t0k3n-of-bob");
        assertThat(forbidden.status().code()).isEqualTo(403);
        assertThat(forbidden.header("www-authenticate")).contains(
                "Bearer realm=\"todos\", error=\"insufficient_scope\", scope=\"todos:write\"");
        assertThat(get(app, Method.POST, "/todos", "authorization", "Bearer t0k3n-of-ada").status().code())
                .isEqualTo(204);
    }

    @Test
    void api_key_example() {
        Router app = apiKeyApp();
        assertThat(get(app, Method.GET, "/invoices", "x-api-key", "k-7f3a9c1e5b").status().code()).isEqualTo(200);
        assertThat(get(app, Method.GET, "/invoices", "x-api-key", "k-7f3a9c1e5c").status().code()).isEqualTo(401);
    }

    @Test
    void roles_example() {
        BearerAuth bearer = BearerAuth.builder()
                .verifier(token -> Optional.of(token.equals("root") ? Principal.of("root", "admin") : Principal.of(token)))
                .build();
        Router app = rolesApp(bearer);
        assertThat(get(app, Method.GET, "/me", "authorization", "Bearer root").status().code()).isEqualTo(200);
        assertThat(get(app, Method.GET, "/admin/stats", "authorization", "Bearer eve").status().code()).isEqualTo(403);
        assertThat(get(app, Method.GET, "/admin/stats", "authorization", "Bearer root").status().code()).isEqualTo(200);
    }
}
