package dev.weft.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.response.Response;
import dev.weft.routing.Router;
import dev.weft.session.Sessions;
import io.lettuce.core.RedisURI;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The example in the Javadoc of {@link RedisSessionStore} and in docs/sessions.md. It needs no
 * Redis to build: the first connection attempt fails and the store keeps trying in the background.
 */
class RedisSessionExamples {
    private static final Logger log = LoggerFactory.getLogger(RedisSessionExamples.class);

    static Router app(RedisSessionStore store) {
        return Router.builder()
                .post("/login", Sessions.session(), session -> {
                    session.rotate();
                    session.put("user", "ada");
                    return Response.noContent();
                })
                .get("/me", Sessions.session(), session -> session.getString("user").orElse("anonymous"))
                .layer(Sessions.store(store).build())
                .build();
    }

    static RedisSessionStore store(RedisURI uri) {
        // @start region=store
        // Every instance of the service: the same sessions, in Redis.
        RedisSessionStore store = RedisSessionStore.builder(uri) // e.g. RedisURI.create("redis://cache:6379")
                .timeout(Duration.ofMillis(200))                // no request waits longer for Redis
                .keyPrefix("todo:session:")                     // one prefix per application
                .build();                                       // connects now, or later in the background
        Sessions sessions = Sessions.store(store)
                .idleTimeout(Duration.ofMinutes(30))            // Redis's time to live, slid on every request
                .build();
        // ... Router.builder()...layer(sessions); store.close() on shutdown
        // @end
        assertThat(sessions.name()).startsWith("Sessions+");
        return store;
    }

    static RedisConnection shared(RedisURI uri) {
        // @start region=shared
        // One connection for the sessions and every other Redis user of the application
        // (RedisBuckets.builder(redis), its own commands): one outage state, one set of logs.
        RedisConnection redis = RedisConnection.builder(uri) // e.g. RedisURI.create("redis://cache:6379")
                .name("app")
                .timeout(Duration.ofMillis(200))               // every user's bound on a command
                .onRecovered(how -> log.info("{}: Redis is back", how))
                .build();
        RedisSessionStore store = RedisSessionStore.builder(redis)
                .keyPrefix("todo:session:")                    // the store's own options only
                .build();
        Sessions sessions = Sessions.store(store).build();
        // ... Router.builder()...layer(sessions); on shutdown store.close(), then redis.close()
        // @end
        assertThat(store.sharesConnection()).isTrue();
        assertThat(sessions.name()).startsWith("Sessions+");
        return redis;
    }

    @Test
    void a_store_on_a_shared_connection_builds_before_redis_is_reachable_and_leaves_it_open() {
        try (RedisConnection redis = shared(RedisURI.create("redis://127.0.0.1:1"))) {
            assertThat(redis.unavailable()).isTrue();
            assertThat(redis.closed()).isFalse();
        }
    }

    @Test
    void the_store_builds_before_redis_is_reachable() {
        // Port 1 on the loopback: nothing listens there, so the connection is refused at once.
        try (RedisSessionStore store = store(RedisURI.create("redis://127.0.0.1:1"))) {
            assertThat(store.unavailable()).isTrue();
            assertThat(store.keyPrefix()).isEqualTo("todo:session:");
            assertThat(app(store).routeTable()).contains("Sessions+");
        }
    }
}
