package dev.weft.middleware;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.http.Method;
import dev.weft.http.Request;
import dev.weft.response.Response;
import dev.weft.routing.Router;
import org.junit.jupiter.api.Test;

/** The examples in the Javadoc of {@link RequestId}. */
class RequestIdExamples {
    // @start region=request-id
    static Router app() {
        return Router.builder()
                .layer(RequestId.create())                      // outermost: 404s get an id too
                .get("/whoami", RequestId.extractor(), id -> "request " + id)
                .build();
    }
    // @end

    @Test
    void request_id() {
        Response response = app().handle(Request.builder(Method.GET, "/whoami").header("x-request-id", "abc-123").build());
        assertThat(response.header("x-request-id")).contains("abc-123");
        assertThat(new String(((dev.weft.response.ResponseBody.Bytes) response.body()).bytes()))
                .isEqualTo("request abc-123");
        assertThat(app().routeTable()).contains("RequestId");
    }
}
