package dev.weft.benchmarks.ws;

import dev.weft.routing.Router;
import dev.weft.server.Server;
import dev.weft.ws.Message;

/**
 * The WebSocket benchmark's Weft app (benchmarks/ws-run): {@code /echo} sends every text and
 * binary message back. Each session's handler runs on a virtual thread of its own and blocks in
 * {@code receive()}; sends may come from any thread.
 *
 * <p>{@code /room} (join a room; a text {@code pub:<payload>} from any member goes to every member,
 * the publisher included) needs {@code dev.weft.ws.Hub}, which is not on main yet: see
 * {@code Room.java.sketch} next to this file, written against the #11 API sketch, to be added
 * here when the hub lands.
 *
 * <p>Environment: {@code PORT} (8080), {@code WEFT_MAX_CONNECTIONS} (Weft's default, 10,000).
 */
public final class Main {
    private Main() {}

    public static Router app() {
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
                .build();
    }

    public static void main(String[] args) throws InterruptedException {
        Server.Builder server = Server.builder().host("0.0.0.0").port(intEnv("PORT", 8080));
        String max = System.getenv("WEFT_MAX_CONNECTIONS");
        if (max != null && !max.isBlank()) {
            server.maxConnections(Integer.parseInt(max.trim()));
        }
        server.build().serve(app()).awaitShutdown();
    }

    private static int intEnv(String name, int dflt) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? dflt : Integer.parseInt(v.trim());
    }
}
