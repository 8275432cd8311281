package dev.weft.middleware;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.http.Method;
import dev.weft.http.Request;
import dev.weft.response.Response;
import dev.weft.routing.Handler;
import dev.weft.routing.Router;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The examples in the Javadoc of {@link Timeout}. */
class TimeoutExamples {
    // @start region=timeout
    static Router app() {
        return Router.builder()
                .layer(Timeout.of(Duration.ofSeconds(10)))          // every route of this router
                .get("/report", Handler.of(() -> {
                    Thread.sleep(60_000);                           // interrupted at the deadline
                    return "never";
                }).layer(Timeout.of(Duration.ofMillis(100))))       // one route: a tighter deadline
                .get("/", () -> "fast")
                .build();
    }
    // @end

    @Test
    void timeout() {
        Response response = app().handle(Request.builder(Method.GET, "/report").build());
        assertThat(response.status().code()).isEqualTo(503);
        assertThat(response.header("retry-after")).contains("1");
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
        assertThat(app().handle(Request.builder(Method.GET, "/").build()).status().code()).isEqualTo(200);
    }
}
