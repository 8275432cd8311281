package dev.weft.examples.todo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The demo as a real process: it starts, serves, and stops gracefully on SIGTERM. */
class SigtermTest {
    private static final Pattern LISTENING = Pattern.compile("listening on http://[^:]+:(\\d+)");

    @Test
    void the_demo_stops_gracefully_on_sigterm() throws Exception {
        String javaBin = ProcessHandle.current().info().command().orElseThrow();
        ProcessBuilder builder = new ProcessBuilder(javaBin, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), Main.class.getName())
                .redirectErrorStream(true);
        builder.environment().put("PORT", "0");
        builder.environment().put("ADMIN_PORT", "0");
        Process process = builder.start();
        List<String> output = new CopyOnWriteArrayList<>();
        int port = -1;
        try {
            BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            Thread reader = Thread.ofPlatform().daemon().start(() -> lines.lines().forEach(output::add));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (port < 0 && System.nanoTime() < deadline && process.isAlive()) {
                for (String line : output) {
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        port = Integer.parseInt(m.group(1)); // the API starts first, the admin port after it
                        break;
                    }
                }
                Thread.sleep(50);
            }
            assertThat(port).as("the demo logged its port; output: %s", output).isPositive();

            try (HttpClient http = HttpClient.newHttpClient()) {
                HttpResponse<String> response = http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/todos"))
                                .timeout(Duration.ofSeconds(10)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).isEqualTo(200);
            }

            // SIGTERM through the handle: Process.destroy() would also close our end of the pipe,
            // and the demo's last log lines would be lost.
            process.toHandle().destroy();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("exited after SIGTERM").isTrue();
            reader.join(Duration.ofSeconds(10)); // the pipe ends when the process has exited
            assertThat(String.join("\n", output)).contains("Weft on port " + port + " stopped");
        } finally {
            process.destroyForcibly();
        }
    }
}
