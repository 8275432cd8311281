package dev.weft.middleware;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.extract.PathParam;
import dev.weft.http.Method;
import dev.weft.http.Request;
import dev.weft.internal.http.ServerRequest;
import dev.weft.response.Response;
import dev.weft.routing.Router;
import org.junit.jupiter.api.Test;

/** The examples in the Javadoc of {@link AccessLog}. */
class AccessLogExamples {
    // @start region=access-log
    static Router app() {
        return Router.builder()
                .layer(RequestId.create())
                .layer(AccessLog.builder()
                        .requestHeaders("user-agent", "authorization")  // authorization is logged as <redacted>
                        .sampleSuccess(10)                              // 1 in 10 successes; errors always
                        .build())
                .get("/todos/{id}", PathParam.of("id", Long.class), id -> "todo " + id)
                .build();
    }
    // @end

    @Test
    void access_log() {
        // The line's content is checked over every client in weft-test's AccessLogTest.
        Request request = Request.builder(Method.GET, "/todos/7").header("authorization", "Bearer secret").build();
        Response response = app().handle(request);
        assertThat(response.status().code()).isEqualTo(200);
        // A server or test client ends the exchange once the body is written; here, by hand.
        ((ServerRequest) request).complete(200, 6, false);
        assertThat(app().routeTable()).contains("AccessLog");
    }
}
