package dev.weft.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.extract.PathParam;
import dev.weft.routing.Router;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The examples in {@link Transport}'s documentation, run as tests. */
class TransportExamples {
    static Router app() {
        return Router.builder().get("/hi/{name}", PathParam.string("name"), name -> "hi " + name).build();
    }

    // @start region="every-transport"
    @ParameterizedTest(name = "{0}")
    @EnumSource(Transport.class)
    void every_transport_answers_alike(Transport transport) {
        try (Client client = transport.start(app())) {
            TestResponse response = client.get("/hi/ada");
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("hi ada");
        }
    }
    // @end

    @Test
    void each_transport_is_named_for_the_test_report() {
        assertThat(Transport.values()).extracting(Transport::toString)
                .containsExactly("in-memory", "http/1.1", "http/2");
    }

    @Test
    void each_transport_starts_the_client_it_names() {
        try (Client memory = Transport.IN_MEMORY.start(app());
                Client http1 = Transport.HTTP_1_1.start(app());
                Client http2 = Transport.HTTP_2.start(app())) {
            assertThat(memory).isInstanceOf(InMemoryClient.class);
            assertThat(http1).isInstanceOfSatisfying(TestClient.class, c -> assertThat(c.http2()).isFalse());
            assertThat(http2).isInstanceOfSatisfying(TestClient.class, c -> assertThat(c.http2()).isTrue());
        }
    }
}
