package dev.weft.examples.todo;

import dev.weft.routing.Router;
import dev.weft.server.Server;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the todo demo. {@code PORT} (default 8080) and {@code ADMIN_TOKEN} (default
 * {@code change-me}) come from the environment.
 *
 * <p>{@code Main probe URL [timeout]} is a health probe instead (see {@link Probe}): exit 0 on a 2xx
 * answer, else 1; the Dockerfile's HEALTHCHECK runs it, since a minimal image has no curl.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) throws InterruptedException {
        if (args.length > 0 && args[0].equals("probe")) {
            // Before any logger exists: the probe is a short-lived JVM that starts no logging.
            System.exit(Probe.run(java.util.Arrays.copyOfRange(args, 1, args.length), System.out));
        }
        Logger log = LoggerFactory.getLogger(Main.class);
        int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "8080"));
        String token = System.getenv().getOrDefault("ADMIN_TOKEN", "change-me");
        Router app = TodoApi.app(new TodoStore(), token);
        log.info("routes:\n{}", app.routeTable());
        Server.builder().port(port).build().serve(app).awaitShutdown();
    }
}
