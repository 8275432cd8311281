package dev.weft.middleware;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.http.Method;
import dev.weft.http.Request;
import dev.weft.routing.Handler;
import dev.weft.routing.Router;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The examples in the Javadoc of {@link ConcurrencyLimit} and docs/concurrency-limit.md. */
class ConcurrencyLimitExamples {

    static Router app() {
        // @start region=shared
        // One value: reports and exports share 8 slots, and up to 16 more requests wait 2 s each.
        ConcurrencyLimit heavy = ConcurrencyLimit.builder()
                .maxInFlight(8)
                .maxQueued(16)
                .queueTimeout(Duration.ofSeconds(2))
                .build();
        Router reports = Router.builder()
                .get("/daily", () -> "daily report")
                .routeLayer(heavy)
                .build();
        return Router.builder()
                .nest("/reports", reports)
                .get("/export", Handler.of(() -> "export").layer(heavy))
                .get("/health", () -> "ok")          // not limited
                .build();
        // @end
    }

    @Test
    void shared_limit_is_named_in_the_route_table() {
        Router app = app();
        assertThat(app.routeTable()).contains("ConcurrencyLimit(8, queue 16)");
        assertThat(app.handle(Request.builder(Method.GET, "/reports/daily").build()).status().code()).isEqualTo(200);
    }
}
