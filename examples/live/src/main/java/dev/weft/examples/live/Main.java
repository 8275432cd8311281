package dev.weft.examples.live;

import dev.weft.routing.Router;
import dev.weft.server.Server;
import dev.weft.ws.Hub;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs the live demo on {@code PORT} (default 8080); open {@code http://localhost:8080/}. */
public final class Main {
    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    private Main() {}

    public static void main(String[] args) throws InterruptedException {
        int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "8080"));
        Router app = LiveApp.app(Hub.create(), TickClock.every(Duration.ofSeconds(1)));
        LOG.info("routes:\n{}", app.routeTable());
        LOG.info("open http://localhost:{}/ in a browser (two tabs to chat)", port);
        Server.builder().port(port).build().serve(app).awaitShutdown();
    }
}
