package dev.weft.extract;

import static dev.weft.TestBodies.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.http.Method;
import dev.weft.http.Request;
import dev.weft.response.Status;
import dev.weft.routing.Router;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The examples in the Javadoc of {@link Query}. */
class QueryExamples {
    @Test
    void as_record() {
        // @start region=as-record
        record Page(Optional<Integer> limit, Optional<String> after) {}
        Router router = Router.builder()
                .get("/todos", Query.as(Page.class),
                        page -> "first " + page.limit().orElse(20) + " after " + page.after().orElse("start"))
                .build();
        // @end
        assertThat(text(router.handle(Request.builder(Method.GET, "/todos?limit=5&after=t9").build())))
                .isEqualTo("first 5 after t9");
        assertThat(text(router.handle(Request.builder(Method.GET, "/todos").build())))
                .isEqualTo("first 20 after start");
        assertThat(router.handle(Request.builder(Method.GET, "/todos?limit=many").build()).status())
                .isEqualTo(Status.BAD_REQUEST);
    }

    @Test
    void by_name() {
        // @start region=by-name
        Router router = Router.builder()
                .get("/search", Query.string("q"), Query.orDefault("limit", Integer.class, 20),
                        (q, limit) -> limit + " results for " + q)
                .build();
        // @end
        assertThat(text(router.handle(Request.builder(Method.GET, "/search?q=green+tea").build())))
                .isEqualTo("20 results for green tea");
        assertThat(text(router.handle(Request.builder(Method.GET, "/search?q=tea&limit=3").build())))
                .isEqualTo("3 results for tea");
        assertThat(router.handle(Request.builder(Method.GET, "/search").build()).status())
                .isEqualTo(Status.BAD_REQUEST);
    }
}
