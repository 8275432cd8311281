package dev.weft.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.http.Method;
import dev.weft.redis.RedisConnection;
import dev.weft.redis.RedisSessionStore;
import dev.weft.redis.testing.Eventually;
import dev.weft.redis.testing.LogCapture;
import dev.weft.redis.testing.RedisServers;
import dev.weft.response.Response;
import dev.weft.routing.Router;
import dev.weft.session.Sessions;
import dev.weft.test.TestClient;
import dev.weft.test.TestResponse;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Redis going away and coming back, on a server of this test's own (the build reserves its port;
 * scripts/redis-start starts it, the test kills it by its PID, as a crash would): fail open (the
 * default) lets requests through with a counter and one WARN line, fail closed answers 503, and
 * both enforce the limit again once Redis is back, without a restart; the same with sessions and
 * both limits on one connection the application shares.
 */
class RedisOutageIT {
    private static final Duration BOUND = Duration.ofSeconds(30);
    private final int port = RedisServers.outagePort();
    private final RedisURI uri = RedisURI.create("127.0.0.1", port);
    private LogCapture logs;
    private LogCapture sessionLogs;
    private RedisConnection shared;
    private RedisSessionStore store;
    private RedisBuckets open;
    private RedisBuckets closed;
    private TestClient client;
    private RateLimit openLimit;

    @BeforeEach
    void start() {
        logs = LogCapture.of(RedisBuckets.class);
        sessionLogs = LogCapture.of(RedisSessionStore.class);
    }

    @AfterEach
    void stop() {
        logs.close();
        sessionLogs.close();
        if (client != null) {
            client.close();
        }
        if (open != null) {
            open.close();
        }
        if (closed != null) {
            closed.close();
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
        open = RedisBuckets.builder(uri).timeout(Duration.ofMillis(200)).reconnectInterval(Duration.ofMillis(200))
                .warnInterval(Duration.ofHours(1)).build();
        closed = RedisBuckets.builder(uri).failClosed().timeout(Duration.ofMillis(200))
                .reconnectInterval(Duration.ofMillis(200)).retryAfter(Duration.ofSeconds(7)).build();
        openLimit = RateLimit.builder("outage-open").rate(Rate.perHour(2)).redis(open).build();
        RateLimit closedLimit = RateLimit.builder("outage-closed").rate(Rate.perHour(2)).redis(closed).build();
        Router app = Router.builder()
                .nest("/open", Router.builder().get("/x", () -> "ok").routeLayer(openLimit).build())
                .nest("/closed", Router.builder().get("/x", () -> "ok").routeLayer(closedLimit).build())
                .build();
        client = TestClient.start(app);
    }

    /**
     * The same limits, and sessions, on ONE connection the application builds and shares: its
     * options (timeouts, reconnect, WARN interval, recovery callback) are set once, on it.
     */
    private void sharedApp(List<String> recoveries) {
        shared = RedisConnection.builder(uri).name("app").timeout(Duration.ofMillis(200))
                .reconnectInterval(Duration.ofMillis(200)).warnInterval(Duration.ofHours(1))
                .onRecovered(recoveries::add).build();
        open = RedisBuckets.builder(shared).build();
        closed = RedisBuckets.builder(shared).failClosed().retryAfter(Duration.ofSeconds(7)).build();
        store = RedisSessionStore.builder(shared).retryAfter(Duration.ofSeconds(7)).build();
        openLimit = RateLimit.builder("outage-open").rate(Rate.perHour(2)).redis(open).build();
        RateLimit closedLimit = RateLimit.builder("outage-closed").rate(Rate.perHour(2)).redis(closed).build();
        Router app = Router.builder()
                .nest("/open", Router.builder().get("/x", () -> "ok").routeLayer(openLimit).build())
                .nest("/closed", Router.builder().get("/x", () -> "ok").routeLayer(closedLimit).build())
                .post("/login", Sessions.session(), session -> {
                    session.rotate();
                    session.put("user", "ada");
                    return Response.noContent();
                })
                .get("/me", Sessions.session(), session -> session.getString("user").orElse("anonymous"))
                .layer(Sessions.store(store).build())
                .build();
        client = TestClient.start(app);
    }

    private String login() throws InterruptedException {
        TestResponse response = Eventually.until(() -> client.request(Method.POST, "/login").send(),
                r -> r.status() == 204, BOUND);
        return response.headers().all("set-cookie").stream().filter(c -> c.startsWith("session="))
                .map(c -> c.substring(0, c.indexOf(';'))).findFirst().orElseThrow();
    }

    private TestResponse me(String cookie) {
        return client.request(Method.GET, "/me").header("cookie", cookie).send();
    }

    /** Sends requests until one satisfies {@code done} (Redis reconnection happens in the background). */
    private TestResponse until(String path, Predicate<TestResponse> done) throws InterruptedException {
        return Eventually.until(() -> client.get(path), done, BOUND);
    }

    private void assertLimitEnforced() throws InterruptedException {
        // Buckets lost with Redis start full: two requests, then 429.
        until("/open/x", r -> r.header("ratelimit").isPresent());
        until("/closed/x", r -> r.status() == 200);
        assertThat(client.get("/open/x").status()).isEqualTo(200);
        assertThat(client.get("/open/x").status()).isEqualTo(429);
        assertThat(client.get("/closed/x").status()).isEqualTo(200);
        assertThat(client.get("/closed/x").status()).isEqualTo(429);
    }

    private void assertOutageBehaviour() {
        long allowedBefore = open.allowedWithoutRedis();
        for (int i = 0; i < 5; i++) {
            TestResponse response = client.get("/open/x");
            assertThat(response.status()).as("fail open").isEqualTo(200);
            assertThat(response.header("ratelimit")).as("nothing known to report").isEmpty();
            assertThat(response.header("ratelimit-policy")).contains("\"outage-open\";q=2;w=3600");
        }
        assertThat(open.allowedWithoutRedis()).isGreaterThanOrEqualTo(allowedBefore + 5);
        assertThat(open.unavailable()).isTrue();
        TestResponse refused = client.get("/closed/x");
        assertThat(refused.status()).as("fail closed").isEqualTo(503);
        assertThat(refused.header("retry-after")).contains("7");
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.body()).contains("\"limit\":\"outage-closed\"");
        assertThat(closed.refusedWithoutRedis()).isPositive();
    }

    @Test
    void redis_killed_mid_run_fails_open_by_default_closed_when_asked_and_recovers_when_it_returns() throws Exception {
        RedisServers.start(port);
        app();
        assertLimitEnforced();

        RedisServers.kill(port);
        assertOutageBehaviour();
        long warnings = logs.warnings("rate limit 'outage-open': Redis unavailable");
        assertThat(warnings).as("one WARN per interval, not one per request").isEqualTo(1);

        RedisServers.start(port);
        assertLimitEnforced();
        assertThat(open.unavailable()).isFalse();
        assertThat(logs.lines()).anySatisfy(e -> assertThat(e.getFormattedMessage()).contains("enforced again"));
    }

    @Test
    void redis_absent_at_startup_fails_by_policy_then_limits_apply_once_it_starts() throws Exception {
        RedisServers.stop(port);
        app();
        assertOutageBehaviour();
        RedisServers.start(port);
        assertLimitEnforced();
    }

    @Test
    void a_request_never_waits_for_a_stalled_redis_beyond_the_timeout() throws Exception {
        RedisServers.start(port);
        app();
        assertLimitEnforced();
        // Redis stops answering (SIGSTOP), as under a long fork, a stuck disk or a lost network.
        RedisServers.signal(port, "STOP");
        try {
            TestResponse answered = CompletableFuture.supplyAsync(() -> client.get("/open/x")).get(15, TimeUnit.SECONDS);
            assertThat(answered.status()).isEqualTo(200);
            assertThat(answered.header("ratelimit")).as("let through without a decision").isEmpty();
            assertThat(open.allowedWithoutRedis()).isPositive();
        } finally {
            RedisServers.signal(port, "CONT");
        }
        until("/open/x", r -> r.status() == 429);
    }

    @Test
    void one_shared_connection_keeps_sessions_and_limits_to_their_policies_through_an_outage_and_recovers_once()
            throws Exception {
        RedisServers.start(port);
        List<String> recoveries = new CopyOnWriteArrayList<>();
        sharedApp(recoveries);
        assertLimitEnforced();
        String cookie = login();
        assertThat(me(cookie).body()).isEqualTo("ada");

        RedisServers.kill(port);
        assertOutageBehaviour(); // fail open and fail closed, each as configured
        TestResponse session = me(cookie);
        assertThat(session.status()).as("sessions: 503, not logged out").isEqualTo(503);
        assertThat(session.header("retry-after")).contains("7");
        assertThat(session.contentType()).startsWith("application/problem+json");
        assertThat(me(cookie).status()).isEqualTo(503);
        assertThat(store.failures()).isGreaterThanOrEqualTo(2);
        assertThat(shared.unavailable()).as("one outage state").isTrue();
        assertThat(store.unavailable()).isTrue();
        long warnings = logs.warnings("Redis unavailable") + sessionLogs.warnings("Redis unavailable");
        assertThat(warnings).as("one WARN per interval for every user of the connection").isEqualTo(1);
        assertThat(logs.lines().stream().map(e -> e.getFormattedMessage()).toList()
                        + " " + sessionLogs.lines().stream().map(e -> e.getFormattedMessage()).toList())
                .contains("on the shared RedisConnection[app] failed since the last warning");

        RedisServers.start(port);
        assertLimitEnforced();
        // The throwaway Redis kept nothing: the old session is gone, and a new login works.
        assertThat(Eventually.until(() -> me(cookie), r -> r.status() == 200, BOUND).body()).isEqualTo("anonymous");
        assertThat(me(login()).body()).isEqualTo("ada");
        assertThat(shared.unavailable()).isFalse();
        assertThat(recoveries).as("one recovery for all of them, on the connection's callback")
                .containsExactly("Redis answers again");

        // Its users close without closing the application's connection.
        open.close();
        closed.close();
        store.close();
        assertThat(shared.closed()).isFalse();
        StatefulRedisConnection<byte[], byte[]> connection = shared.connection().orElseThrow();
        assertThat(shared.await(connection.async().ping())).isEqualTo("PONG");
        assertThat(client.get("/open/x").status()).as("closed buckets fail open").isEqualTo(200);
        assertThat(me(cookie).status()).as("a closed store is unavailable").isEqualTo(503);
        assertThat(shared.unavailable()).as("closed users are no outage for the others").isFalse();
    }
}
