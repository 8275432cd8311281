package dev.weft.benchmarks.techempower;

import static dev.weft.benchmarks.techempower.RunningApp.assertServerAndDate;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.test.TestResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PlaintextAndJsonIT {
    private static RunningApp app;

    @BeforeAll
    static void start() {
        app = RunningApp.start();
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void plaintext_is_hello_world_as_text_plain() {
        TestResponse response = app.client().get("/plaintext");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.contentType()).startsWith("text/plain");
        assertThat(response.header("content-length")).contains("13");
        assertThat(response.body()).isEqualTo("Hello, World!");
    }

    @Test
    void json_is_the_message_object() {
        TestResponse response = app.client().get("/json");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.contentType()).isEqualTo("application/json");
        assertThat(response.header("content-length")).contains("27");
        assertThat(response.body()).isEqualTo("{\"message\":\"Hello, World!\"}");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/plaintext", "/json", "/db", "/queries?queries=2", "/fortunes", "/updates?queries=2", "/nowhere"})
    void every_answer_has_server_and_date_headers(String target) {
        TestResponse response = app.client().get(target);
        assertThat(response.status()).isIn(200, 404);
        assertServerAndDate(response);
    }
}
