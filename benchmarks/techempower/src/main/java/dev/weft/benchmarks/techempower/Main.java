package dev.weft.benchmarks.techempower;

import dev.weft.routing.Router;
import dev.weft.server.Server;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the TechEmpower app; settings come from the environment (see {@link Config}). Stops
 * gracefully on SIGTERM, then closes the connection pool.
 */
public final class Main {
    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    private Main() {}

    public static void main(String[] args) throws InterruptedException {
        Config config = Config.fromEnv(System.getenv());
        LOG.info("{}", config);
        try (Database database = Database.connect(config)) {
            Router app = TechEmpowerApp.app(database);
            LOG.info("routes:\n{}", app.routeTable());
            Server.builder().host(config.host()).port(config.port()).build().serve(app).awaitShutdown();
        }
    }
}
