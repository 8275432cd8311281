package wsbench.vertx;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;

import java.util.HashSet;
import java.util.Set;

/**
 * The Vert.x 5 WebSocket peer: {@code /echo} echoes every text and binary message,
 * {@code /room} joins one broadcast group; a text message {@code pub:<payload>} from any
 * member goes to every member, the publisher included.
 *
 * <p>The way a Vert.x application holds a room: one verticle instance per event loop (as the
 * HTTP peer deploys), each with the members whose sockets live on its event loop in a plain
 * set (touched only by that event loop, no locks). A publication goes once over the
 * <em>local</em> event bus ({@code publish}) to every verticle instance, and each writes it to
 * its own members with {@code writeTextMessage}. Vert.x has no API to write one encoded frame
 * to many sockets: a {@code WebSocketFrame} handed to {@code writeFrame} is released after its
 * first write, so each member's write encodes the text itself.
 *
 * <p>Vert.x defaults kept: 64 KiB frames, 256 KiB messages, no idle timeout, no server pings
 * (the default {@code HttpServerOptions}); permessage-deflate is offered by default but the
 * load tool does not ask for it.
 *
 * <p>Environment: {@code PORT} (8080), {@code PEER_VERTICLES} (one per core).
 */
public final class VertxWsPeer {
    static final String ROOM_ADDRESS = "room.broadcast";

    private VertxWsPeer() {
    }

    public static void main(String[] args) {
        defaultProperty("vertx.disableMetrics", "true");
        defaultProperty("vertx.disableContextTimings", "true");
        int cores = Runtime.getRuntime().availableProcessors();
        int verticles = intEnv("PEER_VERTICLES", cores);
        int port = intEnv("PORT", 8080);

        Vertx vertx = Vertx.vertx(new VertxOptions()
                .setPreferNativeTransport(true)
                .setEventLoopPoolSize(verticles));
        vertx.deployVerticle(() -> new WsVerticle(port), new DeploymentOptions().setInstances(verticles))
                .onSuccess(id -> System.out.printf("vertx websocket peer listening on :%d (%d verticles, native transport %s)%n",
                        port, verticles, vertx.isNativeTransportEnabled()))
                .onFailure(err -> {
                    err.printStackTrace();
                    System.exit(1);
                });
    }

    static final class WsVerticle extends AbstractVerticle {
        private final int port;
        private final Set<ServerWebSocket> members = new HashSet<>();

        WsVerticle(int port) {
            this.port = port;
        }

        @Override
        public void start(Promise<Void> started) {
            vertx.eventBus().<String>localConsumer(ROOM_ADDRESS, message -> {
                String payload = message.body();
                for (ServerWebSocket member : members) {
                    member.writeTextMessage(payload);
                }
            });
            vertx.createHttpServer(new HttpServerOptions().setPort(port).setHost("0.0.0.0"))
                    .webSocketHandshakeHandler(handshake -> {
                        switch (handshake.path()) {
                            case "/echo", "/room" -> handshake.accept();
                            default -> handshake.reject(404);
                        }
                    })
                    .webSocketHandler(ws -> {
                        if ("/echo".equals(ws.path())) {
                            ws.textMessageHandler(ws::writeTextMessage);
                            ws.binaryMessageHandler(ws::writeBinaryMessage);
                        } else {
                            members.add(ws);
                            ws.closeHandler(v -> members.remove(ws));
                            ws.textMessageHandler(text -> {
                                if (text.startsWith("pub:")) {
                                    vertx.eventBus().publish(ROOM_ADDRESS, text.substring(4));
                                }
                            });
                        }
                    })
                    .listen()
                    .<Void>mapEmpty()
                    .onComplete(started);
        }
    }

    private static void defaultProperty(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    static int intEnv(String name, int dflt) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? dflt : Integer.parseInt(v.trim());
    }
}
