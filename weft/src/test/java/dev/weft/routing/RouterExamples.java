package dev.weft.routing;

import static dev.weft.TestBodies.json;
import static dev.weft.TestBodies.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.extract.Json;
import dev.weft.extract.PathParam;
import dev.weft.http.Method;
import dev.weft.http.Request;
import dev.weft.middleware.Middleware;
import dev.weft.response.Response;
import dev.weft.response.Status;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The examples in the Javadoc of {@link Router}. */
class RouterExamples {
    public record NewTodo(String title) {}

    public record Todo(long id, String title) {}

    /** An in-memory store, as an application would give it. */
    static final class TodoStore {
        private final Map<Long, Todo> todos = new ConcurrentHashMap<>();
        private final AtomicLong ids = new AtomicLong();

        Optional<Todo> find(long id) {
            return Optional.ofNullable(todos.get(id));
        }

        Todo add(NewTodo todo) {
            Todo added = new Todo(ids.incrementAndGet(), todo.title());
            todos.put(added.id(), added);
            return added;
        }
    }

    @Test
    void app() {
        TodoStore store = new TodoStore();
        Router adminRoutes = Router.builder().get("/health", () -> "ok").build();
        List<String> seen = new CopyOnWriteArrayList<>();
        Middleware requestLog = (request, next) -> {
            seen.add(request.method() + " " + request.path());
            return next.run(request);
        };
        // @start region=app
        Router app = Router.builder()
                .get("/", () -> "Hello, World!")
                .get("/todos/{id}", PathParam.of("id", Long.class), id -> store.find(id))  // Optional: empty → 404
                .post("/todos", Json.of(NewTodo.class), todo -> Response.created("/todos/1", store.add(todo)))
                .nest("/admin", adminRoutes)
                .layer(requestLog)
                .build();                      // conflicts and missing state fail here
        // @end
        assertThat(text(app.handle(Request.builder(Method.GET, "/").build()))).isEqualTo("Hello, World!");
        assertThat(app.handle(Request.builder(Method.GET, "/todos/1").build()).status()).isEqualTo(Status.NOT_FOUND);

        Response created = app.handle(Request.builder(Method.POST, "/todos")
                .header("content-type", "application/json")
                .body("{\"title\":\"milk\"}".getBytes(StandardCharsets.UTF_8))
                .build());
        assertThat(created.status()).isEqualTo(Status.CREATED);
        assertThat(created.header("location")).contains("/todos/1");
        assertThat(json(app.handle(Request.builder(Method.GET, "/todos/1").build()))).isEqualTo(new Todo(1, "milk"));

        assertThat(text(app.handle(Request.builder(Method.GET, "/admin/health").build()))).isEqualTo("ok");
        assertThat(seen).containsExactly("GET /", "GET /todos/1", "POST /todos", "GET /todos/1", "GET /admin/health");
    }
}
