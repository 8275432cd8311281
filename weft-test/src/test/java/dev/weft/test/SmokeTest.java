package dev.weft.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.extract.PathParam;
import dev.weft.routing.Router;
import org.junit.jupiter.api.Test;

class SmokeTest {
    @Test
    void both_clients_answer_the_same() {
        Router app = Router.builder().get("/hi/{name}", PathParam.string("name"), n -> "hi " + n).build();
        try (var memory = InMemoryClient.of(app); var net = TestClient.start(app)) {
            assertThat(memory.get("/hi/ada").body()).isEqualTo("hi ada");
            assertThat(net.get("/hi/ada").body()).isEqualTo("hi ada");
        }
    }
}
