package dev.weft.ws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.extract.Header;
import dev.weft.extract.RejectedException;
import dev.weft.extract.Rejection;
import dev.weft.http.Method;
import dev.weft.http.Request;
import dev.weft.response.Response;
import dev.weft.response.ResponseBody;
import dev.weft.response.Status;
import dev.weft.routing.Router;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The examples in the Javadoc of {@code dev.weft.ws}; weft-test drives them over sockets. */
class WebSocketExamples {

    private static Request handshake(String path, String... headers) {
        Request.Builder request = Request.builder(Method.GET, path)
                .header("host", "example.com")
                .header("upgrade", "websocket")
                .header("connection", "Upgrade")
                .header("sec-websocket-key", "dGhlIHNhbXBsZSBub25jZQ==")
                .header("sec-websocket-version", "13");
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return request.build();
    }

    @Test
    void echo() {
        // @start region=echo
        Router router = Router.builder()
                .webSocket("/echo", socket -> {
                    // receive() blocks this session's virtual thread until the next whole message
                    for (Message m = socket.receive(); !(m instanceof Message.Close); m = socket.receive()) {
                        switch (m) {
                            case Message.Text text -> socket.send(text.text());
                            case Message.Binary binary -> socket.send(binary.bytes());
                            default -> { }
                        }
                    }
                })
                .build();
        // @end
        Response accepted = router.handle(handshake("/echo"));
        assertThat(accepted.status()).isEqualTo(Status.SWITCHING_PROTOCOLS);
        assertThat(accepted.header("sec-websocket-accept")).contains("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
        assertThat(accepted.body()).isInstanceOf(ResponseBody.Upgrade.class);
        assertThat(router.handle(Request.builder(Method.GET, "/echo").build()).status().code()).isEqualTo(426);
    }

    @Test
    void auth() {
        // @start region=auth
        Router router = Router.builder()
                .get("/live", Header.optional("authorization"), WebSocketUpgrade.extractor(), (auth, ws) -> {
                    if (auth.isEmpty()) { // refused as plain HTTP, before any socket is opened
                        throw new RejectedException(Rejection.of(Status.UNAUTHORIZED, "sign in first"));
                    }
                    return ws.accept(socket -> socket.send("welcome"));
                })
                .build();
        // @end
        assertThat(router.handle(handshake("/live")).status()).isEqualTo(Status.UNAUTHORIZED);
        assertThat(router.handle(handshake("/live", "authorization", "Bearer t")).status())
                .isEqualTo(Status.SWITCHING_PROTOCOLS);
    }

    @Test
    void options() {
        // @start region=options
        WebSocketOptions options = WebSocketOptions.builder()
                .maxMessageBytes(64 * 1024)
                .heartbeat(Duration.ofSeconds(20))
                .allowedOrigins("https://app.example.com")
                .protocols("graphql-transport-ws")
                .build();
        Router router = Router.builder()
                .webSocket("/graphql", options, socket -> socket.send("{\"type\":\"connection_ack\"}"))
                .build();
        // @end
        Response accepted = router.handle(handshake("/graphql", "sec-websocket-protocol", "graphql-transport-ws",
                "origin", "https://app.example.com"));
        assertThat(accepted.header("sec-websocket-protocol")).contains("graphql-transport-ws");
        assertThat(router.handle(handshake("/graphql", "origin", "https://evil.example")).status())
                .isEqualTo(Status.FORBIDDEN);
    }
}
