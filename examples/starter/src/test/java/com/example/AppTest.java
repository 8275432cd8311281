package com.example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.test.TestClient;
import org.junit.jupiter.api.Test;

class AppTest {

    @Test
    void a_note_is_created_and_read_back() {
        try (var client = TestClient.start(App.router(new App.Notes()))) {
            var created = client.post("/notes").json("{\"text\":\"buy milk\"}").send();
            assertThat(created.status()).isEqualTo(201);
            assertThat(created.header("location")).contains("/notes/1");

            var read = client.get("/notes/1");
            assertThat(read.status()).isEqualTo(200);
            assertThat(read.body()).isEqualTo("{\"id\":1,\"text\":\"buy milk\"}");
            assertThat(client.get("/notes/2").status()).isEqualTo(404);
        }
    }

    @Test
    void bad_input_gets_a_problem_naming_the_field() {
        try (var client = TestClient.start(App.router(new App.Notes()))) {
            var blank = client.post("/notes").json("{\"text\":\" \"}").send();
            var missing = client.post("/notes").json("{}").send();

            assertThat(blank.status()).isEqualTo(422);
            assertThat(blank.body()).contains("JSON field '/text' must not be blank");
            assertThat(missing.status()).isEqualTo(422);
            assertThat(missing.body()).contains("/text");
            assertThat(client.get("/notes/abc").status()).isEqualTo(400);
        }
    }
}
