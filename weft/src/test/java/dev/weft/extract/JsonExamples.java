package dev.weft.extract;

import static dev.weft.TestBodies.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.http.Method;
import dev.weft.http.Request;
import dev.weft.response.Response;
import dev.weft.response.Status;
import dev.weft.routing.Router;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The examples in the Javadoc of {@link Json}. */
class JsonExamples {
    // @start region=new-todo
    public record NewTodo(String title) {}

    public record Todo(long id, String title) {}

    static Router todos() {
        return Router.builder()
                .post("/todos", Json.of(NewTodo.class), todo -> Response.created("/todos/1", new Todo(1, todo.title())))
                .build();
    }
    // @end

    @Test
    void new_todo() {
        Router router = todos();
        Response created = router.handle(post("/todos", "{\"title\":\"milk\"}"));
        assertThat(created.status()).isEqualTo(Status.CREATED);
        assertThat(created.header("location")).contains("/todos/1");
        assertThat(json(created)).isEqualTo(new Todo(1, "milk"));
        assertThat(router.handle(post("/todos", "{\"title\":")).status()).isEqualTo(Status.BAD_REQUEST);
    }

    private static Request post(String target, String json) {
        return Request.builder(Method.POST, target)
                .header("content-type", "application/json")
                .body(json.getBytes(StandardCharsets.UTF_8))
                .build();
    }
}
