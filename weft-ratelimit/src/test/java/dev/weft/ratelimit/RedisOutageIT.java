package dev.weft.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.redis.testing.Eventually;
import dev.weft.redis.testing.LogCapture;
import dev.weft.redis.testing.RedisServers;
import dev.weft.routing.Router;
import dev.weft.test.TestClient;
import dev.weft.test.TestResponse;
import io.lettuce.core.RedisURI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Redis going away and coming back, on a server of this test's own (the build reserves its port;
 * scripts/redis-start starts it, the test kills it by its PID, as a crash would): fail open (the
 * default) lets requests through with a counter and one WARN line, fail closed answers 503, and
 * both enforce the limit again once Redis is back, without a restart.
 */
class RedisOutageIT {
    private static final Duration BOUND = Duration.ofSeconds(30);
    private final int port = RedisServers.outagePort();
    private final RedisURI uri = RedisURI.create("127.0.0.1", port);
    private LogCapture logs;
    private RedisBuckets open;
    private RedisBuckets closed;
    private TestClient client;
    private RateLimit openLimit;

    @BeforeEach
    void start() {
        logs = LogCapture.of(RedisBuckets.class);
    }

    @AfterEach
    void stop() {
        logs.close();
        if (client != null) {
            client.close();
        }
        if (open != null) {
            open.close();
        }
        if (closed != null) {
            closed.close();
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
}
