package dev.weft.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.routing.Router;
import io.lettuce.core.RedisURI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The example in the Javadoc of {@link RedisBuckets}. It needs no Redis to build: the first
 * connection attempt fails, and the limit fails open until Redis appears.
 */
class RedisRateLimitExamples {

    static Router app(RedisURI uri) {
        // @start region=redis
        // Every instance of the service: one limit of 100 a minute per client, in Redis.
        RedisBuckets redis = RedisBuckets.builder(uri)     // e.g. RedisURI.create("redis://cache:6379")
                .timeout(Duration.ofMillis(100))           // no request waits longer for Redis
                .build();                                  // fail open by default; failClosed() refuses
        RateLimit api = RateLimit.builder("api")
                .rate(Rate.perMinute(100))
                .redis(redis)
                .build();
        return Router.builder()
                .get("/todos", () -> "[]")
                .routeLayer(api)
                .build();
        // @end
    }

    @Test
    void a_limit_in_redis_is_named_in_the_route_table_even_before_redis_is_reachable() {
        // Port 1 on the loopback: nothing listens there, so the connection is refused at once.
        Router app = app(RedisURI.create("redis://127.0.0.1:1"));
        assertThat(app.routeTable()).contains("RateLimit(api: 100/min, redis)");
    }
}
