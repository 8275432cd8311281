package dev.weft.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.routing.Router;
import dev.weft.ws.Message;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The example in the Javadoc of {@link TestWebSocket} and {@link WebSocketClient}. */
class WebSocketClientExamples {

    static Router app() {
        return Router.builder()
                .webSocket("/echo", socket -> {
                    for (Message m = socket.receive(); m instanceof Message.Text text; m = socket.receive()) {
                        socket.send(text.text());
                    }
                })
                .build();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Transport.class)
    void echo(Transport transport) {
        // @start region=echo
        try (Client client = transport.start(app()); TestWebSocket ws = client.webSocket("/echo")) {
            ws.send("hello");
            assertThat(ws.receiveText()).isEqualTo("hello");
            ws.close(1000, "done");
            assertThat(ws.awaitClose(Duration.ofSeconds(5)).code()).isEqualTo(1000);
        }
        // @end
    }
}
