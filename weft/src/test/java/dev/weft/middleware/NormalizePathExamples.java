package dev.weft.middleware;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.http.Method;
import dev.weft.http.Request;
import dev.weft.response.Response;
import dev.weft.routing.Router;
import org.junit.jupiter.api.Test;

/** The examples in the Javadoc of {@link NormalizePath}. */
class NormalizePathExamples {
    // @start region=redirect
    static Router app() {
        return Router.builder()
                .layer(NormalizePath.redirect()) // a layer of the outermost router: it runs before routing
                .get("/users", () -> "all users")
                .get("/docs/", () -> "the docs")
                .build();
    }
    // @end

    @Test
    void a_trailing_slash_is_redirected_to_the_route() {
        Response answer = app().handle(Request.builder(Method.GET, "/users/?page=2").build());

        assertThat(answer.status().code()).isEqualTo(308);
        assertThat(answer.header("location")).contains("/users?page=2");
    }

    @Test
    void a_missing_trailing_slash_is_added_when_the_route_has_one() {
        Response answer = app().handle(Request.builder(Method.GET, "/docs").build());

        assertThat(answer.header("location")).contains("/docs/");
    }
}
