package peer.vertx;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Vert.x peer: vertx-web Router + the reactive PostgreSQL client, one verticle instance
 * per core, each with its own event loop, HTTP server share and pipelined pooled DB client.
 *
 * <p>Environment: {@code PORT} (8080), {@code WEFT_PG_PORT} (55432), {@code WEFT_DB_POOL}
 * (2 x cores, in total, split over the verticles), {@code PEER_VERTICLES} (cores).
 */
public final class VertxPeer {

    private VertxPeer() {
    }

    public static void main(String[] args) {
        // Vert.x switches that its TechEmpower entry sets and that are safe in production
        // (header validation stays ON). Set before any Vert.x class reads them; a -D wins.
        defaultProperty("vertx.disableMetrics", "true");
        defaultProperty("vertx.disableContextTimings", "true");
        defaultProperty("vertx.cacheImmutableHttpResponseHeaders", "true");
        defaultProperty("vertx.internCommonHttpRequestHeadersToLowerCase", "true");

        int cores = Runtime.getRuntime().availableProcessors();
        int verticles = intEnv("PEER_VERTICLES", cores);
        int port = intEnv("PORT", 8080);
        int pgPort = intEnv("WEFT_PG_PORT", 55432);
        int pool = intEnv("WEFT_DB_POOL", 2 * cores);
        // Split the pool so the verticles hold WEFT_DB_POOL connections in total (at least 1 each).
        AtomicInteger instance = new AtomicInteger();

        Vertx vertx = Vertx.vertx(new VertxOptions()
                .setPreferNativeTransport(true)
                .setEventLoopPoolSize(verticles));
        vertx.deployVerticle(() -> {
                    int i = instance.getAndIncrement();
                    int share = pool / verticles + (i < pool % verticles ? 1 : 0);
                    return new PeerVerticle(port, pgPort, Math.max(1, share));
                }, new DeploymentOptions().setInstances(verticles))
                .onSuccess(id -> System.out.printf(
                        "vertx peer listening on :%d (%d verticles, native transport %s, %d DB connections in all)%n",
                        port, verticles, vertx.isNativeTransportEnabled(), Math.max(pool, verticles)))
                .onFailure(err -> {
                    err.printStackTrace();
                    System.exit(1);
                });
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
