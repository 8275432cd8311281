package dev.weft.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.routing.Router;
import dev.weft.server.RunningServer;
import dev.weft.server.Server;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** The examples in the Javadoc of {@link Health} and in docs/health.md. */
class HealthExamples {

    /** The main and admin servers of the example. */
    record Servers(RunningServer main, RunningServer admin) {}

    // @start region=health
    static Servers serve(Router app, BooleanSupplier databaseAnswers, Duration shutdownDelay) {
        Health health = Health.builder()
                // Readiness: a dependency the instance needs to serve traffic.
                .readiness("db:connections", () -> Check.Result.of(databaseAnswers.getAsBoolean(), "no connection"))
                // Liveness never touches a dependency: with no liveness check, answering is the check.
                .build();
        // The public port serves the probes without details ...
        Router main = Router.builder().merge(app).merge(health.router()).build();
        RunningServer server = Server.builder().port(0)
                .shutdownDelay(shutdownDelay)           // about 5 s in production
                .build().serve(main);
        // ... the admin port (never exposed publicly) with them.
        RunningServer admin = Server.builder().port(0).build().serve(health.router(Health.Detail.FULL));
        // Startup is done; at shutdown readiness fails first, then the delay, then the drain.
        health.attach(server);
        return new Servers(server, admin);
    }
    // @end

    @Test
    void the_public_port_tells_the_status_and_the_admin_port_the_details() throws IOException {
        Servers servers = serve(Router.builder().get("/", () -> "hi").build(), () -> false, Duration.ZERO);
        try (RunningServer main = servers.main(); RunningServer admin = servers.admin()) {
            assertThat(get(main, "/health/live")).startsWith("200 ");
            assertThat(get(main, "/health/ready"))
                    .startsWith("503 ")
                    .contains("\"db:connections\":[{\"status\":\"fail\"")
                    .doesNotContain("no connection");
            assertThat(get(admin, "/health/ready")).startsWith("503 ").contains("\"output\":\"no connection\"");
            assertThat(get(main, "/")).isEqualTo("200 hi");
        }
    }

    private static String get(RunningServer server, String path) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) URI.create("http://127.0.0.1:" + server.port() + path)
                .toURL().openConnection();
        try {
            int status = connection.getResponseCode();
            try (InputStream in = status < 400 ? connection.getInputStream() : connection.getErrorStream()) {
                return status + " " + new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        } finally {
            connection.disconnect();
        }
    }
}
