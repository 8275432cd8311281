package dev.weft.examples.todo;

import dev.weft.routing.Router;
import dev.weft.server.Server;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the todo demo. {@code PORT} (default 8080) and {@code ADMIN_TOKEN} (default
 * {@code change-me}) come from the environment.
 */
public final class Main {
    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    private Main() {}

    public static void main(String[] args) throws InterruptedException {
        int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "8080"));
        String token = System.getenv().getOrDefault("ADMIN_TOKEN", "change-me");
        Router app = TodoApi.app(new TodoStore(), token);
        LOG.info("routes:\n{}", app.routeTable());
        Server.builder().port(port).build().serve(app).awaitShutdown();
    }
}
