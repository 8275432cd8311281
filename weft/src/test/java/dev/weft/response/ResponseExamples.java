package dev.weft.response;

import static dev.weft.TestBodies.json;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The examples in the Javadoc of {@link Response}. */
class ResponseExamples {
    public record Todo(long id, String title) {}

    @Test
    void with_copies() {
        Todo todo = new Todo(7, "milk");
        // @start region=with
        Response response = Response.json(todo).withStatus(Status.CREATED).withHeader("location", "/todos/" + todo.id());
        // @end
        assertThat(response.status()).isEqualTo(Status.CREATED);
        assertThat(response.header("location")).contains("/todos/7");
        assertThat(response.header("content-type")).contains(Response.JSON);
        assertThat(json(response)).isEqualTo(todo);
    }
}
