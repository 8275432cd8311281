package dev.weft.benchmarks.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.http.Method;
import dev.weft.test.Client;
import dev.weft.test.InMemoryClient;
import dev.weft.test.TestResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The benchmark app answers what the harness expects on every route. */
class MainTest {
    private static Main.Layers layers;
    private static Client client;

    @BeforeAll
    static void start() throws Exception {
        layers = Main.Layers.create();
        client = InMemoryClient.of(Main.app(layers));
    }

    @AfterAll
    static void stop() throws Exception {
        client.close();
        layers.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/json", "/metrics-json", "/traced-json", "/all-json"})
    void every_route_answers_the_same_json(String path) {
        TestResponse response = client.request(Method.GET, path).send();
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"message\":\"Hello, World!\"}");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/all-json"})
    void the_route_with_every_layer_gets_a_request_id(String path) {
        assertThat(client.request(Method.GET, path).send().header("x-request-id")).isPresent();
    }
}
