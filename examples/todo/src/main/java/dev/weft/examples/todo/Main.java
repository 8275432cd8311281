package dev.weft.examples.todo;

import dev.weft.config.Config;
import dev.weft.config.ConfigCheck;
import dev.weft.config.Parsers;
import dev.weft.config.Secret;
import dev.weft.config.ServerEnv;
import dev.weft.diagnostics.Diagnostics;
import dev.weft.health.Health;
import dev.weft.jdbc.Database;
import dev.weft.jdbc.DatabaseException;
import dev.weft.metrics.Metrics;
import dev.weft.otel.Tracing;
import dev.weft.ratelimit.Rate;
import dev.weft.routing.Router;
import dev.weft.server.RunningServer;
import dev.weft.server.Server;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the todo demo with its operations side: configuration from the environment (every problem
 * reported at once, exit 78; {@code --check-config} prints the table), its database from
 * {@code DATABASE_*} (one line on stderr and exit 69 when it cannot be used at start), the API on {@code PORT},
 * and on {@code ADMIN_PORT} the Prometheus metrics, detailed health and the in-flight requests;
 * tracing only when {@code OTEL_EXPORTER_OTLP_ENDPOINT} is set. The server's own options come from
 * {@code WEFT_*} variables (see docs/configuration.md).
 *
 * <p>{@code Main probe URL [timeout]} is a health probe instead (see {@link Probe}): exit 0 on a 2xx
 * answer, else 1; the Dockerfile's HEALTHCHECK runs it, since a minimal image has no curl.
 */
public final class Main {

    /**
     * The demo's variables; each component's name in upper snake case is its variable.
     *
     * @param port {@code PORT}, the API's port (default 8080; 0 picks a free one)
     * @param adminPort {@code ADMIN_PORT}, metrics, health and diagnostics (default 9090; 0 picks one)
     * @param adminToken {@code ADMIN_TOKEN} (or {@code ADMIN_TOKEN_FILE}), guards {@code /admin}
     * @param corsOrigins {@code CORS_ORIGINS}, the browser origins allowed to call the API
     * @param writesPerMinute {@code WRITES_PER_MINUTE}, each client's write budget
     * @param otelExporterOtlpEndpoint {@code OTEL_EXPORTER_OTLP_ENDPOINT}, where spans go (none: no tracing)
     */
    public record Settings(int port, int adminPort, Secret adminToken, List<String> corsOrigins, int writesPerMinute,
            Optional<URI> otelExporterOtlpEndpoint) {}

    private Main() {}

    /** Reads the settings; problems are collected in {@code config}, not thrown. */
    static Settings settings(Config config) {
        return config.binding(Settings.class)
                .parser("port", Parsers.portOrZero())
                .parser("adminPort", Parsers.portOrZero())
                .parser("writesPerMinute", Parsers.integer(1, 1_000_000))
                .parser("otelExporterOtlpEndpoint", Parsers.uri("http", "https"))
                .defaults(new Settings(8080, 9090, Secret.of("change-me"), List.of(TodoApi.DEV_ORIGIN), 120,
                        Optional.empty()))
                .bind();
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length > 0 && args[0].equals("probe")) {
            // Before any logger exists: the probe is a short-lived JVM that starts no logging.
            System.exit(Probe.run(java.util.Arrays.copyOfRange(args, 1, args.length), System.out));
        }
        Logger log = LoggerFactory.getLogger(Main.class);
        Config config = Config.fromEnvironment();
        Settings settings = settings(config);
        Server.Builder server = ServerEnv.read(config);
        Database.Settings databaseSettings = Database.settings(config); // DATABASE_*: docs/database.md
        ConfigCheck.run(args, config); // a problem: the table on stderr and exit 78, before any port is bound

        Database db;
        try {
            db = Database.start(databaseSettings); // gives up after DATABASE_STARTUP_TIMEOUT
            db.migrate(); // db/migration/V1__todos.sql, before any port is bound (so before readiness)
        } catch (DatabaseException e) {
            // Unreachable, unknown host, credentials refused, no such database, a failed migration:
            // one line naming host and port (password masked), no stack trace, exit 69 (docs/database.md).
            System.err.println("weft-todo: cannot start: " + e.getMessage());
            System.exit(Database.EX_UNAVAILABLE);
            return;
        }
        Health health = Health.builder()
                .readiness("database", db.healthCheck())
                .build();
        Metrics metrics = Metrics.create();
        db.bindMetrics(metrics.registry()); // hikaricp_connections_* on the admin port
        Tracing tracing = Tracing.builder().serviceName("weft-todo")
                .otlpEndpoint(settings.otelExporterOtlpEndpoint()).build();
        Diagnostics diagnostics = Diagnostics.builder().build().start();

        Router app = TodoApi.app(new TodoStore(db), settings.adminToken().reveal(), settings.corsOrigins(),
                Rate.perMinute(settings.writesPerMinute()),
                List.of(tracing, metrics.layer(), diagnostics.layer()), health);
        log.info("routes:\n{}", app.routeTable());
        RunningServer api = server.port(settings.port()).build().serve(app);
        Router admin = Router.builder()
                .merge(metrics.router())
                .merge(health.router(Health.Detail.FULL))
                .merge(diagnostics.router())
                .build();
        RunningServer adminServer = Server.builder().port(settings.adminPort()).shutdownOnSignal(false).build()
                .serve(admin);
        metrics.bind(api);
        metrics.bind(diagnostics);
        health.attach(api);
        diagnostics.watch(api);
        log.info("admin endpoints on port {}: /metrics, /health/ready, /debug/requests",
                adminServer.port());
        api.awaitShutdown();
        adminServer.close();
        diagnostics.close();
        tracing.close();
        metrics.close();
        db.close();
    }
}
