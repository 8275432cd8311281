package dev.weft.extract;

import static dev.weft.TestBodies.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.http.Method;
import dev.weft.http.Request;
import dev.weft.response.Status;
import dev.weft.routing.Router;
import org.junit.jupiter.api.Test;

/** The examples in the Javadoc of {@link PathParam}. */
class PathParamExamples {
    @Test
    void by_id() {
        // @start region=by-id
        Router router = Router.builder()
                .get("/todos/{id}", PathParam.of("id", Long.class), id -> "todo " + id)
                .build();
        // @end
        assertThat(text(router.handle(Request.builder(Method.GET, "/todos/42").build()))).isEqualTo("todo 42");
        assertThat(router.handle(Request.builder(Method.GET, "/todos/x").build()).status()).isEqualTo(Status.BAD_REQUEST);
    }

    @Test
    void as_record() {
        // @start region=as-record
        record Member(String team, long user) {}
        Router router = Router.builder()
                .get("/teams/{team}/members/{user}", PathParam.as(Member.class),
                        member -> member.user() + " in " + member.team())
                .build();
        // @end
        assertThat(text(router.handle(Request.builder(Method.GET, "/teams/blue/members/7").build())))
                .isEqualTo("7 in blue");
        assertThat(router.handle(Request.builder(Method.GET, "/teams/blue/members/me").build()).status())
                .isEqualTo(Status.BAD_REQUEST);
    }
}
