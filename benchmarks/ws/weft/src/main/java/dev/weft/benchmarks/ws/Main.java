package dev.weft.benchmarks.ws;

import dev.weft.extract.State;
import dev.weft.routing.Router;
import dev.weft.server.Server;
import dev.weft.ws.Hub;
import dev.weft.ws.Message;
import dev.weft.ws.WebSocketUpgrade;

/**
 * The WebSocket benchmark's Weft app (benchmarks/ws-run): {@code /echo} sends every text and
 * binary message back; {@code /room} joins the hub's room "room", and a text message
 * {@code pub:<payload>} from any member is broadcast to every member, the publisher included
 * ({@link Hub#broadcast} encodes it once; every member's socket writes the same frame buffer).
 * Each session's handler runs on a virtual thread of its own and blocks in {@code receive()}.
 * Weft's defaults are kept (heartbeat pings every 25 s, 1 MiB messages, the hub's queue limits
 * and slow-client policy).
 *
 * <p>Environment: {@code PORT} (8080), {@code WEFT_MAX_CONNECTIONS} (Weft's default, 10,000).
 */
public final class Main {
    private Main() {}

    public static Router app(Hub hub) {
        return Router.builder()
                .webSocket("/echo", socket -> {
                    for (Message m = socket.receive(); !(m instanceof Message.Close); m = socket.receive()) {
                        switch (m) {
                            case Message.Text t -> socket.send(t.text());
                            case Message.Binary b -> socket.send(b.bytes());
                            default -> { }
                        }
                    }
                })
                .get("/room", State.of(Hub.class), WebSocketUpgrade.extractor(), (h, ws) -> ws.accept(socket -> {
                    h.join("room", socket); // leaves by itself when the session ends
                    for (Message m = socket.receive(); !(m instanceof Message.Close); m = socket.receive()) {
                        if (m instanceof Message.Text t && t.text().startsWith("pub:")) {
                            h.broadcast("room", t.text().substring(4));
                        }
                    }
                }))
                .state(Hub.class, hub)
                .build();
    }

    public static void main(String[] args) throws InterruptedException {
        Server.Builder server = Server.builder().host("0.0.0.0").port(intEnv("PORT", 8080));
        String max = System.getenv("WEFT_MAX_CONNECTIONS");
        if (max != null && !max.isBlank()) {
            server.maxConnections(Integer.parseInt(max.trim()));
        }
        server.build().serve(app(Hub.create())).awaitShutdown();
    }

    private static int intEnv(String name, int dflt) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? dflt : Integer.parseInt(v.trim());
    }
}
