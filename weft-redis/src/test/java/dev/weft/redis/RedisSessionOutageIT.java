package dev.weft.redis;

import static dev.weft.redis.SessionApp.cookie;
import static dev.weft.redis.SessionApp.send;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.http.Method;
import dev.weft.redis.testing.Eventually;
import dev.weft.redis.testing.LogCapture;
import dev.weft.redis.testing.RedisServers;
import dev.weft.test.TestClient;
import dev.weft.test.TestResponse;
import io.lettuce.core.RedisURI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Redis going away and coming back, on a server of this test's own (the build reserves its port;
 * scripts/redis-start starts it, the test kills it by its PID as a crash would, or stalls it with
 * SIGSTOP): requests carrying a session are answered 503 with retry-after (never treated as
 * logged out), requests without one are served, failures are counted and logged once, and
 * sessions work again once Redis is back, without a restart.
 */
class RedisSessionOutageIT {
    private static final Duration BOUND = Duration.ofSeconds(30);
    private final int port = RedisServers.outagePort();
    private final RedisURI uri = RedisURI.create("127.0.0.1", port);
    private LogCapture logs;
    private RedisSessionStore store;
    private RedisConnection shared;
    private TestClient client;

    @BeforeEach
    void start() {
        logs = LogCapture.of(RedisSessionStore.class);
    }

    @AfterEach
    void stop() {
        logs.close();
        if (client != null) {
            client.close();
        }
        if (store != null) {
            store.close();
        }
        if (shared != null) {
            shared.close();
        }
        RedisServers.stop(port);
    }

    private void app() {
        store = RedisSessionStore.builder(uri).timeout(Duration.ofMillis(200)).reconnectInterval(Duration.ofMillis(200))
                .retryAfter(Duration.ofSeconds(7)).warnInterval(Duration.ofHours(1)).build();
        client = TestClient.start(SessionApp.router(store, Duration.ofMinutes(30)));
    }

    /** Sends requests until one satisfies {@code done} (Redis reconnection happens in the background). */
    private static TestResponse until(Supplier<TestResponse> request, Predicate<TestResponse> done) throws InterruptedException {
        return Eventually.until(request, done, BOUND);
    }

    private String login() throws InterruptedException {
        TestResponse response = until(() -> send(client, Method.POST, "/login/ada", null), r -> r.status() == 204);
        return cookie(response);
    }

    private static void assertUnavailable(TestResponse response) {
        assertThat(response.status()).isEqualTo(503);
        assertThat(response.header("retry-after")).contains("7");
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.body()).contains("session store is unavailable");
        assertThat(response.headers().all("set-cookie")).as("the cookie is kept for the retry").isEmpty();
    }

    private void assertOutageBehaviour(String cookie) {
        long failuresBefore = store.failures();
        for (int i = 0; i < 5; i++) {
            assertUnavailable(send(client, Method.GET, "/me", cookie));
            assertUnavailable(send(client, Method.GET, "/plain", cookie));
        }
        assertUnavailable(send(client, Method.POST, "/login/ada", null)); // a new session cannot be saved
        TestResponse anonymous = send(client, Method.GET, "/me", null);
        assertThat(anonymous.status()).as("no session, no store access").isEqualTo(200);
        assertThat(anonymous.body()).isEqualTo("anonymous");
        assertThat(send(client, Method.GET, "/plain", null).status()).isEqualTo(200);
        assertThat(store.failures()).isGreaterThanOrEqualTo(failuresBefore + 11);
        assertThat(store.unavailable()).isTrue();
    }

    @Test
    void redis_killed_mid_run_answers_503_to_sessions_then_serves_them_again_without_a_restart() throws Exception {
        RedisServers.start(port);
        app();
        String cookie = login();
        assertThat(send(client, Method.GET, "/me", cookie).body()).isEqualTo("ada");

        RedisServers.kill(port);
        assertOutageBehaviour(cookie);
        long warnings = logs.warnings("session store: Redis unavailable");
        assertThat(warnings).as("one WARN per interval, not one per request").isEqualTo(1);

        RedisServers.start(port);
        // The throwaway Redis kept nothing: the old session is gone (a persistent Redis keeps it),
        // the request is answered, and a new login works.
        TestResponse after = until(() -> send(client, Method.GET, "/me", cookie), r -> r.status() == 200);
        assertThat(after.body()).isEqualTo("anonymous");
        String again = login();
        assertThat(send(client, Method.GET, "/me", again).body()).isEqualTo("ada");
        assertThat(store.unavailable()).isFalse();
        assertThat(logs.lines()).anySatisfy(e -> assertThat(e.getFormattedMessage()).contains("served again"));
    }

    @Test
    void redis_absent_at_startup_answers_503_to_sessions_then_serves_them_once_it_starts() throws Exception {
        RedisServers.stop(port);
        app();
        assertOutageBehaviour("session=AAAAAAAAAAAAAAAAAAAAAA");
        RedisServers.start(port);
        String cookie = login();
        assertThat(send(client, Method.GET, "/me", cookie).body()).isEqualTo("ada");
    }

    @Test
    void a_stalled_redis_answers_503_within_the_timeout_and_keeps_the_session() throws Exception {
        RedisServers.start(port);
        app();
        String cookie = login();
        // Redis stops answering (SIGSTOP), as under a long fork, a stuck disk or a lost network.
        RedisServers.signal(port, "STOP");
        try {
            TestResponse answered = CompletableFuture.supplyAsync(() -> send(client, Method.GET, "/me", cookie))
                    .get(15, TimeUnit.SECONDS);
            assertUnavailable(answered);
            TestResponse changed = CompletableFuture.supplyAsync(() -> send(client, Method.POST, "/login/ada", null))
                    .get(15, TimeUnit.SECONDS);
            assertUnavailable(changed);
        } finally {
            RedisServers.signal(port, "CONT");
        }
        // Nothing was lost: once Redis answers, the same cookie is the same session.
        TestResponse back = until(() -> send(client, Method.GET, "/me", cookie), r -> r.status() == 200);
        assertThat(back.body()).isEqualTo("ada");
    }

    @Test
    void a_store_on_a_shared_connection_answers_503_then_serves_again_and_leaves_the_connection_to_its_owner()
            throws Exception {
        RedisServers.start(port);
        List<String> recoveries = new CopyOnWriteArrayList<>();
        shared = RedisConnection.builder(uri).name("app").timeout(Duration.ofMillis(200))
                .reconnectInterval(Duration.ofMillis(200)).warnInterval(Duration.ofHours(1))
                .onRecovered(recoveries::add).build();
        store = RedisSessionStore.builder(shared).retryAfter(Duration.ofSeconds(7)).build();
        client = TestClient.start(SessionApp.router(store, Duration.ofMinutes(30)));
        String cookie = login();

        RedisServers.kill(port);
        assertOutageBehaviour(cookie);
        assertThat(shared.unavailable()).as("the application sees the same outage").isTrue();
        assertThat(logs.warnings("on the shared RedisConnection[app] failed since the last warning")).isEqualTo(1);

        RedisServers.start(port);
        String again = login();
        assertThat(send(client, Method.GET, "/me", again).body()).isEqualTo("ada");
        assertThat(recoveries).as("the connection's callback, once").containsExactly("Redis answers again");
        assertThat(logs.lines()).as("the store leaves the recovery line to the connection's owner")
                .noneSatisfy(e -> assertThat(e.getFormattedMessage()).contains("served again"));

        store.close();
        assertThat(shared.closed()).isFalse();
        assertThat(shared.await(shared.connection().orElseThrow().async().ping())).isEqualTo("PONG");
    }
}
