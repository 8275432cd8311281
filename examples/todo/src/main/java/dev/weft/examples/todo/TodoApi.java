package dev.weft.examples.todo;

import dev.weft.extract.Header;
import dev.weft.extract.Json;
import dev.weft.extract.PathParam;
import dev.weft.extract.Query;
import dev.weft.extract.RejectedException;
import dev.weft.extract.Rejection;
import dev.weft.extract.State;
import dev.weft.middleware.Middleware;
import dev.weft.response.Problem;
import dev.weft.response.Response;
import dev.weft.response.Status;
import dev.weft.routing.Router;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** The demo API: a todo list in memory, with an admin area behind a token. */
public final class TodoApi {
    private TodoApi() {}

    /** Body of {@code POST /todos}. */
    public record NewTodo(String title) {}

    /** Body of {@code PATCH /todos/{id}}: absent fields stay as they are. */
    public record TodoPatch(Optional<String> title, Optional<Boolean> done) {}

    /** Query of {@code GET /todos}. */
    public record ListQuery(Optional<Boolean> done, Optional<Integer> limit) {}

    /** Builds the app around {@code store}; {@code adminToken} guards {@code /admin}. */
    public static Router app(TodoStore store, String adminToken) {
        Router admin = Router.builder()
                .state(TodoStore.class, store)
                .get("/stats", State.of(TodoStore.class), s -> Map.of("todos", s.size()))
                .routeLayer(requireToken(adminToken))
                .build();

        return Router.builder()
                .state(TodoStore.class, store)
                .get("/", () -> Map.of("name", "weft todo demo", "todos", "/todos"))
                .get("/todos", State.of(TodoStore.class), Query.as(ListQuery.class),
                        (s, q) -> s.list(q.done(), Math.clamp(q.limit().orElse(50), 1, 500)))
                // Every todo, one JSON line each, written as the client reads: no list in memory.
                .get("/todos/export", State.of(TodoStore.class), s -> Response.ndjson(s.all()))
                .get("/todos/{id}", State.of(TodoStore.class), PathParam.of("id", Long.class), TodoStore::find)
                .post("/todos", State.of(TodoStore.class), Json.of(NewTodo.class), (s, body) -> {
                    Todo todo = s.add(body.title());
                    return Response.created("/todos/" + todo.id(), todo);
                })
                .patch("/todos/{id}", State.of(TodoStore.class), PathParam.of("id", Long.class),
                        Json.of(TodoPatch.class), (s, id, patch) -> s.update(id, patch.title(), patch.done()))
                .delete("/todos/{id}", State.of(TodoStore.class), PathParam.of("id", Long.class),
                        (s, id) -> s.delete(id) ? Response.noContent() : Response.notFound())
                .get("/whoami", Header.optional("user-agent"), dev.weft.extract.Extract.remoteAddress(),
                        (agent, peer) -> Map.of("peer", peer.getAddress().getHostAddress(),
                                "agent", agent.orElse("unknown")))
                .nest("/admin", admin)
                .onException(TodoStore.InvalidTitle.class,
                        (e, request) -> Problem.of(Status.UNPROCESSABLE_CONTENT, e.getMessage()).with("pointer", "/title"))
                .layer(requestId())
                .build();
    }

    /** Echoes the client's {@code x-request-id} or assigns one; wraps every answer, 404s included. */
    static Middleware requestId() {
        return Middleware.named("request-id", (request, next) -> {
            String id = request.header("x-request-id")
                    .filter(v -> v.length() <= 64 && v.chars().allMatch(c -> c > 0x20 && c < 0x7f))
                    .orElseGet(() -> UUID.randomUUID().toString());
            return next.run(request).withHeader("x-request-id", id);
        });
    }

    /** 401 unless {@code authorization: Bearer <token>}; a route layer, so unknown paths stay 404. */
    static Middleware requireToken(String token) {
        byte[] expected = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
        return Middleware.named("admin-token", (request, next) -> {
            byte[] given = request.header("authorization").orElse("").getBytes(StandardCharsets.UTF_8);
            if (!MessageDigest.isEqual(expected, given)) {
                throw new RejectedException(Rejection.of(Status.UNAUTHORIZED, "a valid admin token is required"));
            }
            return next.run(request);
        });
    }
}
