package dev.weft.extract;

import static dev.weft.TestBodies.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.http.Method;
import dev.weft.http.Request;
import dev.weft.routing.MissingStateException;
import dev.weft.routing.Router;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The examples in the Javadoc of {@link State}. */
class StateExamples {
    /** Application state: one instance shared by every request. */
    static final class TodoStore {
        private final List<String> titles;

        TodoStore(List<String> titles) {
            this.titles = List.copyOf(titles);
        }

        List<String> all() {
            return titles;
        }
    }

    @Test
    void store() {
        TodoStore store = new TodoStore(List.of("milk", "eggs"));
        // @start region=store
        Router router = Router.builder()
                .state(TodoStore.class, store)
                .get("/todos", State.of(TodoStore.class), TodoStore::all)
                .build();
        // @end
        assertThat(json(router.handle(Request.builder(Method.GET, "/todos").build()))).isEqualTo(List.of("milk", "eggs"));
        assertThatThrownBy(() -> Router.builder().get("/todos", State.of(TodoStore.class), TodoStore::all).build())
                .isInstanceOf(MissingStateException.class);
    }
}
