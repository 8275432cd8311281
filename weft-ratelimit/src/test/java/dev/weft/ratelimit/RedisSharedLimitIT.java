package dev.weft.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.redis.testing.RedisServers;
import dev.weft.routing.Router;
import dev.weft.test.TestClient;
import dev.weft.test.TestResponse;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two Weft servers, each with its own {@link RedisBuckets} (its own connection, as two instances
 * of a service have), against the one Redis the build started: they enforce one limit.
 */
class RedisSharedLimitIT {
    private final RedisURI uri = RedisURI.create("127.0.0.1", RedisServers.sharedPort());
    private final List<AutoCloseable> closeLater = new ArrayList<>();
    /** A fresh limit name per test, so tests never see each other's buckets. */
    private final String name = "it-" + UUID.randomUUID().toString().substring(0, 8);

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closeLater.reversed()) {
            c.close();
        }
    }

    private TestClient instance(Rate... rates) {
        // A generous timeout: these tests are about sharing, and a request answered by the
        // failure policy (a timeout on a busy machine) would break the count.
        RedisBuckets redis = RedisBuckets.builder(uri).timeout(Duration.ofSeconds(5)).build();
        closeLater.add(redis);
        RateLimit.Builder limit = RateLimit.builder(name).redis(redis);
        for (Rate rate : rates) {
            limit.rate(rate);
        }
        Router app = Router.builder().get("/x", () -> "ok").routeLayer(limit.build()).build();
        TestClient client = TestClient.start(app);
        closeLater.add(client);
        return client;
    }

    @Test
    void two_instances_against_one_redis_enforce_one_limit() {
        TestClient one = instance(Rate.perHour(6));
        TestClient two = instance(Rate.perHour(6));
        List<String> remaining = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            TestResponse response = (i % 2 == 0 ? one : two).get("/x");
            assertThat(response.status()).isEqualTo(200);
            remaining.add(response.header("ratelimit").orElseThrow());
        }
        assertThat(remaining).allSatisfy(v -> assertThat(v).startsWith("\"" + name + "\";r="));
        assertThat(remaining.getFirst()).contains(";r=5;");
        assertThat(remaining.getLast()).contains(";r=0;");
        TestResponse refusedByOne = one.get("/x");
        TestResponse refusedByTwo = two.get("/x");
        assertThat(refusedByOne.status()).isEqualTo(429);
        assertThat(refusedByTwo.status()).isEqualTo(429);
        assertThat(Long.parseLong(refusedByTwo.header("retry-after").orElseThrow())).isBetween(595L, 600L);
        assertThat(refusedByTwo.body()).contains("\"violated-policies\":[\"" + name + "\"]");
        assertThat(refusedByTwo.header("ratelimit-policy")).contains("\"" + name + "\";q=6;w=3600");
    }

    @Test
    void many_concurrent_requests_across_two_instances_get_exactly_the_limit() throws Exception {
        TestClient one = instance(Rate.perHour(40));
        TestClient two = instance(Rate.perHour(40));
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            TestClient client = i % 2 == 0 ? one : two;
            all.add(CompletableFuture.runAsync(() -> {
                int status = client.get("/x").status();
                (status == 200 ? ok : refused).incrementAndGet();
            }, command -> Thread.ofVirtual().start(command)));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        // Compare-and-swap in Redis: no token is granted twice, none is lost (a request whose CAS
        // keeps losing within the timeout would fail open and break the count).
        assertThat(ok).hasValue(40);
        assertThat(refused).hasValue(80);
    }

    @Test
    void each_bucket_in_redis_expires_once_it_would_be_full_again() {
        TestClient one = instance(Rate.perMinute(10));
        assertThat(one.get("/x").status()).isEqualTo(200);
        RedisClient client = RedisClient.create(uri);
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            List<String> keys = connection.sync().keys("weft:ratelimit:" + name + ":*");
            assertThat(keys).containsExactly("weft:ratelimit:" + name + ":addr:127.0.0.1");
            long ttl = connection.sync().pttl(keys.getFirst());
            // 1 token used: full again after 6 s, kept 5 s more.
            assertThat(ttl).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(11).toMillis());
        } finally {
            client.shutdown();
        }
    }
}
