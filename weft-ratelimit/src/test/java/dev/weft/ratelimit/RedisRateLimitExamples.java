package dev.weft.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.redis.RedisConnection;
import dev.weft.redis.RedisSessionStore;
import dev.weft.routing.Router;
import dev.weft.session.Sessions;
import io.lettuce.core.RedisURI;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The examples in the Javadoc of {@link RedisBuckets}, docs/rate-limit.md and docs/sessions.md.
 * They need no Redis to build: the first connection attempt fails, and the limit fails open until
 * Redis appears.
 */
class RedisRateLimitExamples {
    private static final Logger log = LoggerFactory.getLogger(RedisRateLimitExamples.class);

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

    /** The application's shared connection, its two users, and the router. */
    record Shared(RedisConnection redis, RedisSessionStore store, RedisBuckets buckets, Router router)
            implements AutoCloseable {
        @Override
        public void close() {
            // @start region=shutdown
            // The users first, then the connection: they do not close what they were given.
            buckets.close();
            store.close();
            redis.close();
            // @end
        }
    }

    static Shared shared(RedisURI uri) {
        // @start region=shared
        // One connection for sessions and rate limits: one outage state, one set of logs.
        RedisConnection redis = RedisConnection.builder(uri) // e.g. RedisURI.create("redis://cache:6379")
                .name("app")
                .timeout(Duration.ofMillis(100))              // no request waits longer for Redis
                .onRecovered(how -> log.info("{}: sessions and rate limits are back", how))
                .build();                                     // connects now, or later in the background
        RedisSessionStore store = RedisSessionStore.builder(redis).keyPrefix("todo:session:").build();
        RedisBuckets buckets = RedisBuckets.builder(redis).failOpen().build(); // only their own options
        Router router = Router.builder()
                .get("/todos", () -> "[]")
                .routeLayer(RateLimit.builder("api").rate(Rate.perMinute(100)).redis(buckets).build())
                .layer(Sessions.store(store).build())
                .build();
        // @end
        return new Shared(redis, store, buckets, router);
    }

    @Test
    void a_limit_in_redis_is_named_in_the_route_table_even_before_redis_is_reachable() {
        // Port 1 on the loopback: nothing listens there, so the connection is refused at once.
        Router app = app(RedisURI.create("redis://127.0.0.1:1"));
        assertThat(app.routeTable()).contains("RateLimit(api: 100/min, redis)");
    }

    @Test
    void sessions_and_limits_share_one_connection_that_outlives_them_until_the_application_closes_it() {
        Shared shared = shared(RedisURI.create("redis://127.0.0.1:1"));
        assertThat(shared.router().routeTable()).contains("RateLimit(api: 100/min, redis)", "Sessions+");
        assertThat(shared.store().sharesConnection()).isTrue();
        assertThat(shared.buckets().sharesConnection()).isTrue();
        assertThat(shared.buckets().connection()).isSameAs(shared.redis());
        shared.buckets().close();
        shared.store().close();
        assertThat(shared.redis().closed()).isFalse();
        shared.close();
        assertThat(shared.redis().closed()).isTrue();
    }
}
