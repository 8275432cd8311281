package dev.weft.middleware;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.http.Method;
import dev.weft.http.Request;
import dev.weft.response.Response;
import dev.weft.routing.Router;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The examples in the Javadoc of {@link Middleware}. */
class MiddlewareExamples {
    // @start region=server-timing
    static Middleware serverTiming(Clock clock) {        // inject the clock so tests are deterministic
        return Middleware.named("server-timing", (request, next) -> {
            long start = clock.millis();
            Response response = next.run(request);
            return response.withHeader("server-timing", "app;dur=" + (clock.millis() - start));
        });
    }
    // @end

    @Test
    void server_timing() {
        Router router = Router.builder()
                .layer(serverTiming(new SteppingClock(5)))
                .get("/", () -> "hi")
                .build();
        assertThat(router.handle(Request.builder(Method.GET, "/").build()).header("server-timing"))
                .contains("app;dur=5");
        assertThat(router.routeTable()).contains("server-timing");
    }

    /** A clock that moves on by {@code stepMillis} each time it is read. */
    private static final class SteppingClock extends Clock {
        private final long stepMillis;
        private long now;

        SteppingClock(long stepMillis) {
            this.stepMillis = stepMillis;
        }

        @Override
        public Instant instant() {
            now += stepMillis;
            return Instant.ofEpochMilli(now);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }
}
