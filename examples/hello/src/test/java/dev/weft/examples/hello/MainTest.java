package dev.weft.examples.hello;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.test.TestClient;
import org.junit.jupiter.api.Test;

class MainTest {
    @Test
    void root_says_hello_world() {
        try (var client = TestClient.start(Main.app())) {
            var response = client.get("/");
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("Hello, World!");
            assertThat(response.contentType()).isEqualTo("text/plain; charset=utf-8");
        }
    }

    @Test
    void hello_greets_the_decoded_name() {
        try (var client = TestClient.start(Main.app())) {
            assertThat(client.get("/hello/Ada%20Lovelace").body()).isEqualTo("Hello, Ada Lovelace!");
        }
    }
}
