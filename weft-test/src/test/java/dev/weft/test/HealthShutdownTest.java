package dev.weft.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.health.Check;
import dev.weft.health.Health;
import dev.weft.routing.Router;
import dev.weft.server.RunningServer;
import dev.weft.server.Server;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The shutdown sequence seen from outside: readiness fails first, the server serves on for the
 * shutdown delay, then it drains and stops accepting. Observed by a client polling
 * {@code /health/ready} during a real {@code close()} and during a child JVM's SIGTERM.
 */
class HealthShutdownTest {
    private static final long BOUND_SECONDS = 20;
    /** Long enough for the client to see the 503 and send one more request before the drain. */
    private static final Duration DELAY = Duration.ofSeconds(3);

    static Router app(Health health) {
        return Router.builder()
                .get("/work", () -> "done")
                .merge(health.router())
                .build();
    }

    @Test
    void readiness_turns_503_at_close_before_the_listener_closes_and_requests_are_served_during_the_delay()
            throws Exception {
        Health health = Health.builder().readiness("db", Check.Result::pass).build();
        RunningServer server = Server.builder().port(0).shutdownDelay(DELAY).shutdownOnSignal(false).build()
                .serve(app(health));
        health.attach(server);
        List<String> events = new CopyOnWriteArrayList<>();
        server.onShutdownStarted(() -> events.add("shutdown started"));
        try (HttpClient http = HttpClient.newHttpClient()) {
            String base = "http://127.0.0.1:" + server.port();
            assertThat(status(http, base + "/health/ready")).isEqualTo(200);

            CompletableFuture<Void> closing = CompletableFuture.runAsync(server::close);
            int ready = pollUntilNot(http, base + "/health/ready", 200);

            assertThat(ready).as("readiness fails while the listener still answers").isEqualTo(503);
            assertThat(events).containsExactly("shutdown started");
            // During the delay the server serves normally, on a new connection too.
            try (HttpClient fresh = HttpClient.newHttpClient()) {
                assertThat(status(fresh, base + "/work")).isEqualTo(200);
            }
            assertThat(status(http, base + "/health/live")).isEqualTo(200);
            assertThat(closing).isNotDone();

            closing.get(BOUND_SECONDS, TimeUnit.SECONDS);
            try (HttpClient after = HttpClient.newHttpClient()) {
                assertThat(refused(after, base + "/work")).as("the listener is closed after the drain").isTrue();
            }
        } finally {
            server.close();
        }
    }

    @Test
    void a_shutdown_listener_added_after_shutdown_started_runs_at_once_and_a_failing_one_does_not_stop_shutdown() {
        RunningServer server = Server.builder().port(0).shutdownOnSignal(false).build()
                .serve(Router.builder().get("/", () -> "x").build());
        AtomicBoolean second = new AtomicBoolean();
        server.onShutdownStarted(() -> {
            throw new IllegalStateException("listener bug");
        });
        server.onShutdownStarted(() -> second.set(true));
        server.close();
        assertThat(second).isTrue();

        AtomicBoolean late = new AtomicBoolean();
        server.onShutdownStarted(() -> late.set(true));
        assertThat(late).isTrue();
    }

    @Test
    void readiness_turns_503_at_sigterm_before_the_listener_closes() throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        String classPath = String.join(File.pathSeparator, System.getProperty("jdk.module.path", ""),
                System.getProperty("java.class.path", ""), testClasses().toString());
        Process process = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp", classPath,
                HealthSigtermChild.class.getName(), Long.toString(DELAY.toMillis()))
                .redirectErrorStream(true)
                .start();
        List<String> output = new CopyOnWriteArrayList<>();
        try {
            BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            Thread reader = Thread.ofPlatform().daemon().start(() -> lines.lines().forEach(output::add));
            int port = -1;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(BOUND_SECONDS);
            while (port < 0 && System.nanoTime() < deadline && process.isAlive()) {
                for (String line : output) {
                    if (line.startsWith("PORT ")) {
                        port = Integer.parseInt(line.substring(5).trim());
                    }
                }
                Thread.sleep(20);
            }
            assertThat(port).as("the child printed its port; output: %s", output).isPositive();
            String base = "http://127.0.0.1:" + port;
            try (HttpClient http = HttpClient.newHttpClient()) {
                assertThat(status(http, base + "/health/ready")).isEqualTo(200);

                process.toHandle().destroy(); // SIGTERM
                int ready = pollUntilNot(http, base + "/health/ready", 200);

                assertThat(ready).as("readiness fails while the listener still answers; output: %s", output)
                        .isEqualTo(503);
                assertThat(status(http, base + "/work")).isEqualTo(200);
            }
            assertThat(process.waitFor(BOUND_SECONDS, TimeUnit.SECONDS)).as("exited after SIGTERM").isTrue();
            reader.join(Duration.ofSeconds(5));
            // The shutdown listeners ran in the child (a line printed after the drain could be lost:
            // the JVM halts once its shutdown hooks are done, racing the main thread).
            assertThat(output).containsSubsequence("PORT " + port, "SHUTDOWN STARTED");
        } finally {
            process.destroyForcibly();
        }
    }

    private static int status(HttpClient http, String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(BOUND_SECONDS)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** Polls {@code url} until it answers something other than {@code status}; returns that answer. */
    private static int pollUntilNot(HttpClient http, String url, int status) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(BOUND_SECONDS);
        while (System.nanoTime() < deadline) {
            int answer = status(http, url);
            if (answer != status) {
                return answer;
            }
            Thread.sleep(10);
        }
        return status;
    }

    private static boolean refused(HttpClient http, String url) throws InterruptedException {
        try {
            status(http, url);
            return false;
        } catch (IOException e) {
            return e instanceof ConnectException || e.getCause() instanceof ConnectException;
        }
    }

    private static Path testClasses() throws URISyntaxException {
        String name = HealthSigtermChild.class.getName().replace('.', '/') + ".class";
        Path file = Path.of(HealthSigtermChild.class.getClassLoader().getResource(name).toURI());
        Path root = file;
        for (int i = 0; i < name.split("/").length; i++) {
            root = root.getParent();
        }
        return root;
    }
}
