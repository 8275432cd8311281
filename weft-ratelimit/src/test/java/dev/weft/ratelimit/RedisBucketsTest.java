package dev.weft.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.WeftException;
import dev.weft.redis.RedisConnection;
import dev.weft.redis.testing.LogCapture;
import dev.weft.routing.Router;
import dev.weft.test.TestClient;
import io.lettuce.core.RedisURI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What needs no Redis: option checks, who closes the connection, and a Redis that is not there. */
class RedisBucketsTest {
    /** Port 1 on the loopback: nothing listens there, so connections are refused at once. */
    private static final RedisURI NOWHERE = RedisURI.create("redis://127.0.0.1:1");

    @Test
    void on_a_shared_connection_its_options_and_a_closed_connection_are_reported_with_the_buckets_own() {
        RedisConnection redis = RedisConnection.builder(NOWHERE).name("app").build();
        redis.close();
        assertThatThrownBy(() -> RedisBuckets.builder(redis)
                .timeout(Duration.ofMillis(100))
                .connectTimeout(Duration.ofSeconds(1))
                .reconnectInterval(Duration.ofSeconds(1))
                .warnInterval(Duration.ofMinutes(1))
                .retryAfter(Duration.ofMillis(10))
                .keyPrefix("")
                .build())
                .isInstanceOf(WeftException.class)
                .hasMessageContainingAll("invalid RedisBuckets options", "the shared RedisConnection[app] is closed",
                        "timeout is an option of the shared RedisConnection[app]",
                        "connectTimeout is an option", "reconnectInterval is an option", "warnInterval is an option",
                        "retryAfter must be at least 1 s", "keyPrefix must be non-empty printable ASCII");
        assertThatThrownBy(() -> RedisBuckets.builder((RedisConnection) null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void the_options_of_its_own_connection_are_still_checked_as_before() {
        assertThatThrownBy(() -> RedisBuckets.builder(NOWHERE).timeout(Duration.ZERO).warnInterval(null).build())
                .isInstanceOf(WeftException.class)
                .hasMessageContainingAll("timeout must be positive", "warnInterval must be positive");
    }

    @Test
    void buckets_close_the_connection_they_built_but_not_a_shared_one() {
        RedisBuckets own = RedisBuckets.builder(NOWHERE).build();
        assertThat(own.sharesConnection()).isFalse();
        own.close();
        assertThat(own.connection().closed()).as("its own connection").isTrue();

        try (RedisConnection redis = RedisConnection.builder(NOWHERE).build()) {
            RedisBuckets first = RedisBuckets.builder(redis).build();
            RedisBuckets second = RedisBuckets.builder(redis).failClosed().build();
            assertThat(first.sharesConnection()).isTrue();
            assertThat(first.connection()).isSameAs(redis).isSameAs(second.connection());
            first.close();
            second.close();
            assertThat(redis.closed()).as("the application's connection").isFalse();
        }
    }

    @Test
    void limits_on_one_shared_connection_keep_their_own_policy_and_share_one_warning() {
        try (LogCapture logs = LogCapture.of(RedisBuckets.class);
                RedisConnection redis = RedisConnection.builder(NOWHERE).name("app").warnInterval(Duration.ofHours(1)).build();
                RedisBuckets open = RedisBuckets.builder(redis).build();
                RedisBuckets closed = RedisBuckets.builder(redis).failClosed().retryAfter(Duration.ofSeconds(3)).build()) {
            Router app = Router.builder()
                    .get("/open", () -> "ok").routeLayer(RateLimit.builder("open").rate(Rate.perHour(2)).redis(open).build())
                    .build();
            Router refusing = Router.builder()
                    .get("/closed", () -> "ok").routeLayer(RateLimit.builder("closed").rate(Rate.perHour(2)).redis(closed).build())
                    .build();
            try (TestClient a = TestClient.start(app); TestClient b = TestClient.start(refusing)) {
                for (int i = 0; i < 3; i++) {
                    assertThat(a.get("/open").status()).isEqualTo(200);
                    assertThat(b.get("/closed").status()).isEqualTo(503);
                    assertThat(b.get("/closed").header("retry-after")).contains("3");
                }
            }
            assertThat(open.allowedWithoutRedis()).isEqualTo(3);
            assertThat(closed.refusedWithoutRedis()).isEqualTo(6);
            assertThat(open.unavailable()).isTrue();
            assertThat(closed.unavailable()).isTrue();
            assertThat(logs.warnings("Redis unavailable")).as("one for both").isEqualTo(1);
            assertThat(logs.warnings("on the shared RedisConnection[app] failed since the last warning")).isEqualTo(1);
        }
    }
}
