package dev.weft.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.WeftException;
import io.lettuce.core.RedisURI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** What needs no Redis: option checks, the outage state, the WARN throttle, waiting, closing. */
class RedisConnectionTest {
    /** Port 1 on the loopback: nothing listens there, so connections are refused at once. */
    private static final RedisURI NOWHERE = RedisURI.create("redis://127.0.0.1:1");

    @Test
    void every_invalid_option_is_reported_at_once() {
        assertThatThrownBy(() -> RedisConnection.builder(NOWHERE)
                .timeout(Duration.ZERO)
                .connectTimeout(Duration.ofMillis(-1))
                .reconnectInterval(null)
                .warnInterval(Duration.ZERO)
                .name(" ")
                .onRecovered(null)
                .build())
                .isInstanceOf(WeftException.class)
                .hasMessageStartingWith("invalid RedisConnection options:")
                .hasMessageContainingAll("timeout must be positive", "connectTimeout must be positive",
                        "reconnectInterval must be positive", "warnInterval must be positive",
                        "name must not be blank", "onRecovered must not be null");
        assertThatThrownBy(() -> RedisConnection.builder(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void key_prefixes_must_be_printable_ascii_without_spaces() {
        assertThat(RedisConnection.keyPrefixProblem("app:sessions:")).isEmpty();
        for (String bad : new String[] {null, "", "has space:", "tab\t", "sessión:", "nul\0", "del\u007f"}) {
            assertThat(RedisConnection.keyPrefixProblem(bad)).as("%s", bad).get().asString().startsWith("keyPrefix must be");
        }
    }

    @Test
    void without_redis_there_is_no_connection_and_it_is_unavailable_from_the_start() {
        try (RedisConnection redis = RedisConnection.builder(NOWHERE).build()) {
            assertThat(redis.connection()).isEmpty();
            assertThat(redis.unavailable()).isTrue();
            assertThat(redis.closed()).isFalse();
            assertThat(redis.timeout()).isEqualTo(Duration.ofMillis(200));
        }
    }

    @Test
    void failures_ask_for_one_warning_per_interval_with_the_count_since_the_last() {
        try (RedisConnection redis = RedisConnection.builder(NOWHERE).warnInterval(Duration.ofHours(1)).build()) {
            assertThat(redis.failed()).as("the first failure warns at once").isEqualTo(1);
            for (int i = 0; i < 100; i++) {
                assertThat(redis.failed()).as("then not within the interval").isZero();
            }
            assertThat(redis.unavailable()).isTrue();
        }
    }

    @Test
    void an_answer_ends_the_outage_and_tells_how_once() throws Exception {
        List<String> recovered = new CopyOnWriteArrayList<>();
        try (RedisConnection redis = RedisConnection.builder(NOWHERE).onRecovered(recovered::add).build()) {
            assertThat(redis.unavailable()).isTrue();
            assertThat(redis.await(CompletableFuture.completedFuture("PONG"))).isEqualTo("PONG");
            assertThat(redis.await(CompletableFuture.completedFuture("PONG"))).isEqualTo("PONG");
            assertThat(redis.unavailable()).isFalse();
            assertThat(recovered).containsExactly("Redis answers again");
        }
    }

    @Test
    void a_command_without_an_answer_is_given_up_and_cancelled_after_the_timeout() {
        try (RedisConnection redis = RedisConnection.builder(NOWHERE).timeout(Duration.ofMillis(50)).build()) {
            CompletableFuture<String> never = new CompletableFuture<>();
            assertThatThrownBy(() -> redis.await(never)).isInstanceOf(TimeoutException.class);
            assertThat(never).isCancelled();
            assertThat(redis.unavailable()).as("the caller decides what counts as an outage").isTrue();
        }
    }

    @Test
    void a_closed_connection_has_no_connection() {
        RedisConnection redis = RedisConnection.builder(NOWHERE).build();
        redis.close();
        assertThat(redis.closed()).isTrue();
        assertThat(redis.connection()).isEmpty();
    }
}
