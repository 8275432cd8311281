package dev.weft.examples.todo;

import dev.weft.auth.Auth;
import dev.weft.auth.BearerAuth;
import dev.weft.auth.Principal;
import dev.weft.extract.Header;
import dev.weft.extract.Json;
import dev.weft.extract.PathParam;
import dev.weft.extract.Query;
import dev.weft.extract.State;
import dev.weft.health.Health;
import dev.weft.middleware.AccessLog;
import dev.weft.middleware.Compression;
import dev.weft.middleware.Cors;
import dev.weft.middleware.Middleware;
import dev.weft.middleware.RequestId;
import dev.weft.ratelimit.Rate;
import dev.weft.ratelimit.RateLimit;
import dev.weft.response.Problem;
import dev.weft.response.Response;
import dev.weft.response.Status;
import dev.weft.routing.Handler;
import dev.weft.routing.Router;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The demo API: a todo list in a database (weft-jdbc) with the production stack around it: request ids, an
 * access log, CORS for a browser front end, response compression, a rate limit on writes, and an
 * admin area behind a bearer token.
 */
public final class TodoApi {
    /** The browser origin allowed by default: a front end's dev server. */
    public static final String DEV_ORIGIN = "http://localhost:5173";

    private TodoApi() {}

    /** Body of {@code POST /todos}. */
    public record NewTodo(String title) {}

    /** Body of {@code PATCH /todos/{id}}: absent fields stay as they are. */
    public record TodoPatch(Optional<String> title, Optional<Boolean> done) {}

    /** Query of {@code GET /todos}. */
    public record ListQuery(Optional<Boolean> done, Optional<Integer> limit) {}

    /** Builds the app around {@code store}; {@code adminToken} guards {@code /admin}. */
    public static Router app(TodoStore store, String adminToken) {
        return app(store, adminToken, List.of(DEV_ORIGIN), Rate.perMinute(120));
    }

    /**
     * Builds the app: {@code adminToken} guards {@code /admin}, pages from {@code origins} may call
     * the API from a browser, and each client may write at {@code writes}.
     */
    public static Router app(TodoStore store, String adminToken, List<String> origins, Rate writes) {
        return app(store, adminToken, origins, writes, List.of(), null);
    }

    /**
     * The app as {@code Main} serves it: {@code outermost} layers (tracing, metrics, diagnostics)
     * wrap everything, and {@code health}, when given, answers {@code /health/*} with statuses only.
     */
    public static Router app(TodoStore store, String adminToken, List<String> origins, Rate writes,
            List<Middleware> outermost, Health health) {
        Router.Builder admin = Router.builder()
                .state(TodoStore.class, store)
                .get("/stats", Auth.requireRole("admin"), State.of(TodoStore.class),
                        (user, s) -> Map.of("todos", s.size()))
                .routeLayer(adminToken(adminToken));
        // One limit value: every write route draws on the same per-client buckets.
        RateLimit writeLimit = RateLimit.builder("writes").rate(writes).build();

        Router.Builder app = Router.builder();
        outermost.forEach(app::layer);
        if (health != null) {
            app.merge(health.router());
        }
        return app
                .state(TodoStore.class, store)
                .get("/", () -> Map.of("name", "weft todo demo", "todos", "/todos"))
                .get("/todos", State.of(TodoStore.class), Query.as(ListQuery.class),
                        (s, q) -> s.list(q.done(), Math.clamp(q.limit().orElse(50), 1, 500)))
                // Every todo, one JSON line each, written as the client reads: no list in memory.
                .get("/todos/export", State.of(TodoStore.class), s -> Response.ndjson(s.all()))
                .get("/todos/{id}", State.of(TodoStore.class), PathParam.of("id", Long.class), TodoStore::find)
                .post("/todos", Handler.of(State.of(TodoStore.class), Json.of(NewTodo.class), (s, body) -> {
                    Todo todo = s.add(body.title());
                    return Response.created("/todos/" + todo.id(), todo);
                }).layer(writeLimit))
                .patch("/todos/{id}", Handler.of(State.of(TodoStore.class), PathParam.of("id", Long.class),
                        Json.of(TodoPatch.class), (s, id, patch) -> s.update(id, patch.title(), patch.done()))
                        .layer(writeLimit))
                .delete("/todos/{id}", Handler.of(State.of(TodoStore.class), PathParam.of("id", Long.class),
                        (s, id) -> s.delete(id) ? Response.noContent() : Response.notFound()).layer(writeLimit))
                .get("/whoami", Header.optional("user-agent"), dev.weft.extract.Extract.remoteAddress(),
                        (agent, peer) -> Map.of("peer", peer.getAddress().getHostAddress(),
                                "agent", agent.orElse("unknown")))
                .nest("/admin", admin)
                .onException(TodoStore.InvalidTitle.class,
                        (e, request) -> Problem.of(Status.UNPROCESSABLE_CONTENT, e.getMessage()).with("pointer", "/title"))
                // Outermost first: every answer, 404s and 429s included, gets an id, a log line
                // and (for a listed origin) CORS headers.
                .layer(RequestId.create())
                .layer(AccessLog.create())
                .layer(Cors.builder()
                        .allowOrigins(origins)
                        .allowHeaders("content-type", "authorization")
                        .maxAge(Duration.ofHours(1))
                        .build())
                // gzip (and br / zstd when their natives are on the class path) for bodies of 1 KiB
                // and more; the export stays live, one flush per line.
                .layer(Compression.create())
                .build();
    }

    /**
     * {@code authorization: Bearer <token>} for the admin: a route layer, so unknown admin paths
     * stay 404; the token is compared in constant time.
     */
    static BearerAuth adminToken(String token) {
        byte[] expected = token.getBytes(StandardCharsets.UTF_8);
        Principal admin = Principal.of("admin", "admin");
        return BearerAuth.builder()
                .realm("todo admin")
                .verifier(given -> MessageDigest.isEqual(expected, given.getBytes(StandardCharsets.UTF_8))
                        ? Optional.of(admin) : Optional.empty())
                .build();
    }
}
