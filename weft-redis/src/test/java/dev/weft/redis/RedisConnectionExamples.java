package dev.weft.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The example in the Javadoc of {@link RedisConnection}: a Redis integration built on it. It
 * needs no Redis to run: the connection attempt fails and the counter answers "unknown".
 */
class RedisConnectionExamples {
    private static final Logger log = LoggerFactory.getLogger(RedisConnectionExamples.class);

    // @start region=counter
    /** A counter in Redis that answers "unknown" (empty) while Redis cannot answer. */
    record Counter(RedisConnection redis) {
        static Counter create(RedisURI uri) {
            return new Counter(RedisConnection.builder(uri)      // e.g. RedisURI.create("redis://cache:6379")
                    .name("counter")
                    .timeout(Duration.ofMillis(100))           // no caller waits longer
                    .onRecovered(how -> log.info("{}: counting again", how))
                    .build());                                 // connects now, or later in the background
        }

        Optional<Long> increment(String key) {
            StatefulRedisConnection<byte[], byte[]> c = redis.connection().orElse(null);
            try {
                if (c != null) {
                    return Optional.of(redis.await(c.async().incr(key.getBytes(StandardCharsets.UTF_8))));
                }
            } catch (TimeoutException | ExecutionException e) {
                // down, stalled or refusing: an outage for this integration
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            long failuresSinceWarning = redis.failed();      // > 0 at most once per warnInterval
            if (failuresSinceWarning > 0) {
                log.warn("counter: Redis unavailable; {} increment(s) lost", failuresSinceWarning);
            }
            return Optional.empty();
        }
    }
    // @end

    @Test
    void the_counter_answers_unknown_while_redis_is_unreachable() {
        // Port 1 on the loopback: nothing listens there, so the connection is refused at once.
        try (RedisConnection redis = Counter.create(RedisURI.create("redis://127.0.0.1:1")).redis()) {
            Counter counter = new Counter(redis);
            assertThat(counter.increment("visits")).isEmpty();
            assertThat(redis.unavailable()).isTrue();
        }
    }
}
