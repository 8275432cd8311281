package dev.weft.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.WeftException;
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
}
