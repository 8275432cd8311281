package dev.weft.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.WeftException;
import dev.weft.redis.testing.LogCapture;
import dev.weft.session.SessionStoreUnavailableException;
import dev.weft.test.TestClient;
import dev.weft.test.TestResponse;
import io.lettuce.core.RedisURI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What needs no Redis: option checks, and a Redis that is not there. */
class RedisSessionStoreTest {
    /** Port 1 on the loopback: nothing listens there, so connections are refused at once. */
    private static final RedisURI NOWHERE = RedisURI.create("redis://127.0.0.1:1");

    @Test
    void every_invalid_option_is_reported_at_once() {
        assertThatThrownBy(() -> RedisSessionStore.builder(NOWHERE)
                .timeout(Duration.ZERO)
                .connectTimeout(Duration.ofMillis(-1))
                .reconnectInterval(null)
                .warnInterval(Duration.ZERO)
                .retryAfter(Duration.ofMillis(500))
                .keyPrefix("has space:")
                .build())
                .isInstanceOf(WeftException.class)
                .hasMessageContainingAll("timeout must be positive", "connectTimeout must be positive",
                        "reconnectInterval must be positive", "warnInterval must be positive",
                        "retryAfter must be at least 1 s", "keyPrefix must be non-empty printable ASCII");
        assertThatThrownBy(() -> RedisSessionStore.builder(NOWHERE).keyPrefix("").build())
                .hasMessageContaining("keyPrefix");
        assertThatThrownBy(() -> RedisSessionStore.builder(NOWHERE).keyPrefix("sessión:").build())
                .hasMessageContaining("keyPrefix");
    }

    @Test
    void without_redis_every_operation_fails_as_unavailable_and_is_counted() {
        try (RedisSessionStore store = RedisSessionStore.builder(NOWHERE).retryAfter(Duration.ofSeconds(3)).build()) {
            assertThat(store.unavailable()).isTrue();
            Runnable[] operations = {
                () -> store.load("k"),
                () -> store.save("k", new byte[] {1}, Duration.ofSeconds(1)),
                () -> store.update("k", new byte[] {1}, Duration.ofSeconds(1)),
                () -> store.touch("k", Duration.ofSeconds(1)),
                () -> store.delete("k"),
            };
            for (Runnable operation : operations) {
                assertThatThrownBy(operation::run)
                        .isInstanceOfSatisfying(SessionStoreUnavailableException.class,
                                e -> assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(3)));
            }
            assertThat(store.failures()).isEqualTo(operations.length);
        }
    }

    @Test
    void a_closed_store_fails_as_unavailable() {
        RedisSessionStore store = RedisSessionStore.builder(NOWHERE).build();
        store.close();
        assertThatThrownBy(() -> store.load("k")).isInstanceOf(SessionStoreUnavailableException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void a_request_carrying_a_session_cookie_gets_503_while_redis_is_unreachable() {
        try (RedisSessionStore store = RedisSessionStore.builder(NOWHERE).retryAfter(Duration.ofSeconds(2)).build();
                TestClient client = TestClient.start(RedisSessionExamples.app(store))) {
            TestResponse anonymous = client.get("/me");
            assertThat(anonymous.status()).as("no cookie, no store access").isEqualTo(200);
            assertThat(anonymous.body()).isEqualTo("anonymous");
            TestResponse refused = client.request(dev.weft.http.Method.GET, "/me")
                    .header("cookie", "session=AAAAAAAAAAAAAAAAAAAAAA").send();
            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.header("retry-after")).contains("2");
            assertThat(refused.contentType()).startsWith("application/problem+json");
        }
    }

    @Test
    void on_a_shared_connection_its_options_and_a_closed_connection_are_reported_with_the_store_s_own() {
        RedisConnection redis = RedisConnection.builder(NOWHERE).name("app").build();
        redis.close();
        assertThatThrownBy(() -> RedisSessionStore.builder(redis)
                .timeout(Duration.ofMillis(100))
                .connectTimeout(Duration.ofSeconds(1))
                .reconnectInterval(Duration.ofSeconds(1))
                .warnInterval(Duration.ofMinutes(1))
                .retryAfter(Duration.ZERO)
                .keyPrefix(" ")
                .build())
                .isInstanceOf(WeftException.class)
                .hasMessageContainingAll("the shared RedisConnection[app] is closed",
                        "timeout is an option of the shared RedisConnection[app]",
                        "connectTimeout is an option", "reconnectInterval is an option", "warnInterval is an option",
                        "retryAfter must be at least 1 s", "keyPrefix must be non-empty printable ASCII");
        assertThatThrownBy(() -> RedisSessionStore.builder((RedisConnection) null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void a_store_closes_the_connection_it_built_but_not_a_shared_one() {
        RedisSessionStore own = RedisSessionStore.builder(NOWHERE).build();
        assertThat(own.sharesConnection()).isFalse();
        own.close();
        assertThat(own.connection().closed()).as("its own connection").isTrue();

        try (RedisConnection redis = RedisConnection.builder(NOWHERE).build()) {
            RedisSessionStore first = RedisSessionStore.builder(redis).retryAfter(Duration.ofSeconds(2)).build();
            RedisSessionStore second = RedisSessionStore.builder(redis).keyPrefix("other:").build();
            assertThat(first.sharesConnection()).isTrue();
            assertThat(first.connection()).isSameAs(redis).isSameAs(second.connection());
            first.close();
            assertThat(redis.closed()).as("the application's connection").isFalse();
            assertThatThrownBy(() -> first.load("k")).isInstanceOf(SessionStoreUnavailableException.class)
                    .hasMessageContaining("the store is closed");
            assertThatThrownBy(() -> second.load("k")).isInstanceOf(SessionStoreUnavailableException.class)
                    .hasMessageContaining("not connected to Redis");
            second.close();
        }
    }

    @Test
    void stores_on_one_connection_share_its_outage_state_and_one_warning_per_interval() {
        try (LogCapture logs = LogCapture.of(RedisSessionStore.class);
                RedisConnection redis = RedisConnection.builder(NOWHERE).name("app").warnInterval(Duration.ofHours(1)).build();
                RedisSessionStore first = RedisSessionStore.builder(redis).build();
                RedisSessionStore second = RedisSessionStore.builder(redis).keyPrefix("other:").build()) {
            assertThat(first.unavailable()).isTrue();
            assertThat(second.unavailable()).isTrue();
            for (int i = 0; i < 3; i++) {
                assertThatThrownBy(() -> first.load("k")).isInstanceOf(SessionStoreUnavailableException.class);
                assertThatThrownBy(() -> second.delete("k")).isInstanceOf(SessionStoreUnavailableException.class);
            }
            assertThat(first.failures()).as("each store counts its own").isEqualTo(3);
            assertThat(second.failures()).isEqualTo(3);
            assertThat(logs.warnings("session store: Redis unavailable")).as("one for both").isEqualTo(1);
            assertThat(logs.warnings("1 call(s) on the shared RedisConnection[app] failed")).isEqualTo(1);
        }
    }
}
