package dev.weft.redis;

import static dev.weft.redis.SessionApp.cookie;
import static dev.weft.redis.SessionApp.send;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.http.Method;
import dev.weft.redis.testing.RedisServers;
import dev.weft.test.TestClient;
import dev.weft.test.TestResponse;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two Weft servers, each with its own {@link RedisSessionStore} (its own connection, as two
 * instances of a service have), against the one Redis the build started: one set of sessions.
 */
class RedisSessionStoreIT {
    private final RedisURI uri = RedisURI.create("127.0.0.1", RedisServers.sharedPort());
    private final List<AutoCloseable> closeLater = new ArrayList<>();
    /** A fresh prefix per test, so tests never see each other's keys. */
    private final String prefix = "it:" + UUID.randomUUID().toString().substring(0, 8) + ":";
    private RedisCommands<String, String> redis;

    @BeforeEach
    void inspect() {
        RedisClient client = RedisClient.create(uri);
        StatefulRedisConnection<String, String> connection = client.connect();
        closeLater.add(client::shutdown);
        closeLater.add(connection);
        redis = connection.sync();
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closeLater.reversed()) {
            c.close();
        }
    }

    private RedisSessionStore store() {
        // A generous timeout: these tests are about sharing, not about a busy machine's latency.
        RedisSessionStore store = RedisSessionStore.builder(uri).keyPrefix(prefix).timeout(Duration.ofSeconds(5)).build();
        closeLater.add(store);
        return store;
    }

    private TestClient instance(Duration idle) {
        TestClient client = TestClient.start(SessionApp.router(store(), idle));
        closeLater.add(client);
        return client;
    }

    private TestClient instance() {
        return instance(Duration.ofMinutes(30));
    }

    private List<String> keys() {
        return redis.keys(prefix + "*");
    }

    private String login(TestClient client, String user, String cookie) {
        TestResponse response = send(client, Method.POST, "/login/" + user, cookie);
        assertThat(response.status()).isEqualTo(204);
        String issued = cookie(response);
        assertThat(issued).startsWith("session=").hasSizeGreaterThan("session=".length());
        return issued;
    }

    private String me(TestClient client, String cookie) {
        TestResponse response = send(client, Method.GET, "/me", cookie);
        assertThat(response.status()).isEqualTo(200);
        return response.body();
    }

    @Test
    void a_session_made_on_one_instance_is_read_and_changed_on_the_other() {
        TestClient one = instance();
        TestClient two = instance();
        String cookie = login(one, "ada", null);
        assertThat(me(two, cookie)).isEqualTo("ada");
        assertThat(send(two, Method.POST, "/count", cookie).body()).isEqualTo("1");
        assertThat(send(one, Method.POST, "/count", cookie).body()).isEqualTo("2");
        assertThat(send(two, Method.POST, "/count", cookie).body()).isEqualTo("3");
        assertThat(keys()).hasSize(1);
    }

    @Test
    void rotation_on_one_instance_ends_the_old_id_on_both() {
        TestClient one = instance();
        TestClient two = instance();
        String before = login(one, "guest", null);
        String after = login(two, "ada", before);
        assertThat(after).isNotEqualTo(before);
        for (TestClient client : List.of(one, two)) {
            TestResponse old = send(client, Method.GET, "/me", before);
            assertThat(old.body()).isEqualTo("anonymous");
            assertThat(cookie(old)).as("the dead cookie is deleted").isEqualTo("session=");
            assertThat(me(client, after)).isEqualTo("ada");
        }
        assertThat(keys()).as("the old entry is gone, not left to expire").hasSize(1);
    }

    @Test
    void logout_on_one_instance_ends_the_session_on_both_and_in_redis() {
        TestClient one = instance();
        TestClient two = instance();
        String cookie = login(one, "ada", null);
        assertThat(send(two, Method.POST, "/logout", cookie).status()).isEqualTo(204);
        assertThat(me(one, cookie)).isEqualTo("anonymous");
        assertThat(me(two, cookie)).isEqualTo("anonymous");
        assertThat(keys()).isEmpty();
    }

    @Test
    void redis_holds_the_sha256_of_the_id_under_the_prefix_with_the_idle_timeout_as_ttl() throws Exception {
        TestClient one = instance(Duration.ofMinutes(7));
        String cookie = login(one, "ada", null);
        byte[] id = Base64.getUrlDecoder().decode(cookie.substring("session=".length()));
        String expected = prefix + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(MessageDigest.getInstance("SHA-256").digest(id));
        assertThat(keys()).containsExactly(expected);
        assertThat(keys().getFirst()).doesNotContain(cookie.substring("session=".length()));
        assertThat(redis.pttl(expected)).isBetween(Duration.ofMinutes(7).toMillis() - 60_000, Duration.ofMinutes(7).toMillis());
    }

    @Test
    void a_session_idle_past_its_timeout_is_expired_by_redis_and_activity_slides_it() throws Exception {
        TestClient one = instance(Duration.ofMillis(1500));
        TestClient two = instance(Duration.ofMillis(1500));
        String cookie = login(one, "ada", null);
        for (int i = 0; i < 3; i++) {
            Thread.sleep(700); // under the idle timeout each time, over it in total
            assertThat(me(i % 2 == 0 ? two : one, cookie)).as("each request slides the expiry").isEqualTo("ada");
        }
        Thread.sleep(2000);
        assertThat(keys()).as("Redis expired the key by itself").isEmpty();
        TestResponse expired = send(two, Method.GET, "/me", cookie);
        assertThat(expired.body()).isEqualTo("anonymous");
        assertThat(cookie(expired)).isEqualTo("session=");
    }

    @Test
    void a_late_update_cannot_bring_back_a_deleted_session() {
        RedisSessionStore store = store();
        byte[] data = "v1".getBytes(StandardCharsets.UTF_8);
        store.save("k", data, Duration.ofMinutes(1));
        assertThat(store.load("k")).hasValueSatisfying(v -> assertThat(v).isEqualTo(data));
        assertThat(store.update("k", "v2".getBytes(StandardCharsets.UTF_8), Duration.ofMinutes(1))).isTrue();
        assertThat(store.touch("k", Duration.ofMinutes(2))).isTrue();
        assertThat(redis.pttl(prefix + "k")).isGreaterThan(Duration.ofMinutes(1).toMillis());
        store.delete("k");
        assertThat(store.update("k", "late".getBytes(StandardCharsets.UTF_8), Duration.ofMinutes(1))).isFalse();
        assertThat(store.touch("k", Duration.ofMinutes(1))).isFalse();
        assertThat(store.load("k")).isEmpty();
        assertThat(keys()).isEmpty();
        store.delete("k"); // deleting what is gone is fine
    }

    @Test
    void values_are_bytes_kept_exactly() {
        RedisSessionStore store = store();
        byte[] all = new byte[256];
        for (int i = 0; i < all.length; i++) {
            all[i] = (byte) i;
        }
        store.save("bytes", all, Duration.ofMinutes(1));
        assertThat(store.load("bytes")).hasValueSatisfying(v -> assertThat(v).isEqualTo(all));
        store.save("empty", new byte[0], Duration.ofMinutes(1));
        assertThat(store.load("empty")).hasValueSatisfying(v -> assertThat(v).isEmpty());
    }

    @Test
    void a_value_of_another_type_under_the_prefix_is_an_error_not_an_outage() {
        RedisSessionStore store = store();
        redis.lpush(prefix + "list", "x");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> store.load("list"))
                .isInstanceOf(dev.weft.WeftException.class)
                .isNotInstanceOf(dev.weft.session.SessionStoreUnavailableException.class)
                .hasMessageContaining("WRONGTYPE");
        assertThat(store.failures()).isZero();
    }

    @Test
    void many_concurrent_requests_of_one_session_across_two_instances_are_all_answered() throws Exception {
        TestClient one = instance();
        TestClient two = instance();
        String cookie = login(one, "ada", null);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<CompletableFuture<TestResponse>> answers = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                TestClient client = i % 2 == 0 ? one : two;
                answers.add(CompletableFuture.supplyAsync(() -> send(client, Method.POST, "/count", cookie), pool));
            }
            for (CompletableFuture<TestResponse> answer : answers) {
                assertThat(answer.get(30, TimeUnit.SECONDS).status()).isEqualTo(200);
            }
        }
        // Last write wins: some increments are lost, but the session survives with its user.
        int n = Integer.parseInt(send(two, Method.POST, "/count", cookie).body());
        assertThat(n).isBetween(2, 65);
        assertThat(me(one, cookie)).isEqualTo("ada");
    }
}
