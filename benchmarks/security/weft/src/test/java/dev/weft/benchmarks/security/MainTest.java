package dev.weft.benchmarks.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.RSAKey;
import dev.weft.http.Method;
import dev.weft.test.Client;
import dev.weft.test.InMemoryClient;
import dev.weft.test.TestResponse;
import io.lettuce.core.RedisURI;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The benchmark app answers what the harness expects on every route. No Redis here: the Redis
 * route's limit fails open (the harness checks through /stats that it does not during a run).
 */
class MainTest {
    private static final RSAKey KEY = Main.generateKey();
    private static Main.Layers layers;
    private static Client client;

    @BeforeAll
    static void start() {
        layers = Main.Layers.create(KEY, RedisURI.create("redis://127.0.0.1:1"));
        client = InMemoryClient.of(Main.app(layers));
    }

    @AfterAll
    static void stop() throws Exception {
        client.close();
        layers.close();
    }

    private static TestResponse get(String path, String token) {
        var request = client.request(Method.GET, path).header("origin", Main.ORIGIN).header("x-client", "7");
        if (token != null) {
            request = request.header("authorization", "Bearer " + token);
        }
        return request.send();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/json", "/jwt", "/jwt-local", "/jwt-redis", "/jwt-redis-keyed", "/jwt-cors"})
    void every_route_answers_the_same_json_to_a_valid_token(String path) {
        TestResponse response = get(path, Main.token(KEY, "bench-user", Duration.ofMinutes(5)));
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"message\":\"Hello, World!\"}");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/jwt", "/jwt-local", "/jwt-redis", "/jwt-redis-keyed", "/jwt-cors"})
    void every_protected_route_refuses_a_request_without_a_token(String path) {
        TestResponse response = get(path, null);
        assertThat(response.status()).isEqualTo(401);
        assertThat(response.header("www-authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/jwt", "/jwt-local", "/jwt-redis", "/jwt-redis-keyed", "/jwt-cors"})
    void every_protected_route_refuses_a_token_signed_with_another_key(String path) {
        assertThat(get(path, Main.token(Main.generateKey(), "bench-user", Duration.ofMinutes(5))).status())
                .isEqualTo(401);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/jwt-local", "/jwt-redis", "/jwt-redis-keyed"})
    void rate_limited_routes_say_so_in_their_headers(String path) {
        TestResponse response = get(path, Main.token(KEY, "bench-user", Duration.ofMinutes(5)));
        assertThat(response.header("ratelimit-policy")).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/jwt-cors"})
    void the_cors_route_allows_the_benchmark_origin(String path) {
        TestResponse response = get(path, Main.token(KEY, "bench-user", Duration.ofMinutes(5)));
        assertThat(response.header("access-control-allow-origin")).hasValue(Main.ORIGIN);
        assertThat(get("/jwt", Main.token(KEY, "bench-user", Duration.ofMinutes(5)))
                .header("access-control-allow-origin")).isEmpty();
    }
}
