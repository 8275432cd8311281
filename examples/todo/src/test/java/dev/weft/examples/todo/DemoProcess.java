package dev.weft.examples.todo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The demo ({@link Main}) as a real JVM process with only the environment given (no inherited
 * {@code WEFT_*}, {@code OTEL_*} or {@code DATABASE_*}; both ports 0 unless given), its stdout and
 * stderr collected separately. Closing it sends SIGTERM and waits.
 */
final class DemoProcess implements AutoCloseable {
    private static final Pattern API = Pattern.compile("listening on http://[^:]+:(\\d+)");
    private static final Pattern ADMIN = Pattern.compile("admin endpoints on port (\\d+)");

    private final Process process;
    private final List<String> out = new CopyOnWriteArrayList<>();
    private final List<String> err = new CopyOnWriteArrayList<>();
    private final List<Thread> readers = new ArrayList<>();

    private DemoProcess(Process process) {
        this.process = process;
        readers.add(drain(process.getInputStream(), out));
        readers.add(drain(process.getErrorStream(), err));
    }

    static DemoProcess start(Map<String, String> env, String... args) throws IOException {
        String javaBin = ProcessHandle.current().info().command().orElseThrow();
        List<String> command = new ArrayList<>(List.of(javaBin, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(name -> name.startsWith("WEFT_") || name.startsWith("OTEL_")
                || name.startsWith("DATABASE_"));
        builder.environment().put("PORT", "0");
        builder.environment().put("ADMIN_PORT", "0");
        builder.environment().putAll(env);
        return new DemoProcess(builder.start());
    }

    private static Thread drain(InputStream stream, List<String> into) {
        BufferedReader lines = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8));
        return Thread.ofPlatform().daemon().start(() -> {
            try {
                lines.lines().forEach(into::add);
            } catch (java.io.UncheckedIOException closed) {
                // the process was killed forcibly: what it printed before is kept
            }
        });
    }

    /** Waits for the process to exit; true if it did within {@code timeout} (its output then complete). */
    boolean exited(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            return false;
        }
        for (Thread reader : readers) {
            reader.join(Duration.ofSeconds(5));
        }
        return true;
    }

    int exitValue() {
        return process.exitValue();
    }

    List<String> stderr() {
        return List.copyOf(err);
    }

    /** Everything printed so far, stdout then stderr. */
    String output() {
        return String.join("\n", out) + "\n" + String.join("\n", err);
    }

    int apiPort() throws InterruptedException {
        return find(API);
    }

    int adminPort() throws InterruptedException {
        return find(ADMIN);
    }

    private int find(Pattern pattern) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && process.isAlive()) {
            for (String line : out) {
                Matcher m = pattern.matcher(line);
                if (m.find()) {
                    return Integer.parseInt(m.group(1));
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no line matching " + pattern + " in:\n" + output());
    }

    static HttpResponse<String> get(HttpClient http, int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> postJson(HttpClient http, int port, String path, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** SIGTERM, then waits for the graceful shutdown (forcibly after 30 s). */
    @Override
    public void close() throws InterruptedException {
        process.toHandle().destroy(); // SIGTERM without closing our ends of its pipes (Process.destroy would)
        if (!exited(Duration.ofSeconds(30))) {
            process.destroyForcibly();
            process.waitFor();
        }
    }
}
