package dev.weft.ws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.extract.PathParam;
import dev.weft.extract.State;
import dev.weft.http.Method;
import dev.weft.http.Request;
import dev.weft.response.Status;
import dev.weft.routing.Router;
import org.junit.jupiter.api.Test;

/** The examples in the Javadoc of {@link Hub}; weft-test's HubTest drives the hub over sockets. */
class HubExamples {

    @Test
    void chat() {
        // @start region=chat
        Router router = Router.builder()
                .state(Hub.class, Hub.create())
                .get("/rooms/{room}", State.of(Hub.class), PathParam.string("room"), WebSocketUpgrade.extractor(),
                        (hub, room, ws) -> ws.accept(socket -> {
                            hub.join(room, socket); // leaves by itself when the session ends
                            for (Message m = socket.receive(); m instanceof Message.Text text; m = socket.receive()) {
                                hub.broadcast(room, text.text()); // encoded once, never blocks on a slow member
                            }
                        }))
                .build();
        // @end
        Request handshake = Request.builder(Method.GET, "/rooms/lobby")
                .header("host", "example.com")
                .header("upgrade", "websocket")
                .header("connection", "Upgrade")
                .header("sec-websocket-key", "dGhlIHNhbXBsZSBub25jZQ==")
                .header("sec-websocket-version", "13")
                .build();
        assertThat(router.handle(handshake).status()).isEqualTo(Status.SWITCHING_PROTOCOLS);
    }
}
