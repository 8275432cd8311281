package dev.weft.examples.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weft.test.TestClient;
import dev.weft.ws.Hub;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The page in a real browser: headless Chromium loads {@code /?selftest}, whose script does an
 * echo round trip, joins a chat room and says something, and waits for a ticker event, recording
 * each in the DOM. Skipped only when there is no Chromium ({@code .ci/run} installs it on CI).
 *
 * <p>{@code --dump-dom} cannot be used: it prints the DOM as soon as the page has loaded, before
 * the sockets have answered ({@code --timeout} does not make it wait, and
 * {@code --virtual-time-budget} never finishes while a socket is open). So the test speaks the
 * DevTools protocol instead: it asks the page for its self-test status until it has passed, then
 * reads the DOM.
 */
class BrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    @Timeout(60)
    void the_page_echoes_chats_and_shows_ticks_in_chromium() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM), "skipped: no Chromium at " + CHROMIUM
                + " (Debian package chromium; .ci/run installs it when run as root)");
        Path profile = Files.createTempDirectory("weft-live-chromium");
        Path log = Files.createTempFile("weft-live-chromium", ".log");
        Process browser = null;
        // Ticks every 200 ms, so the page sees one soon.
        try (TestClient app = TestClient.start(LiveApp.app(Hub.create(), TickClock.every(Duration.ofMillis(200))))) {
            String url = "http://127.0.0.1:" + app.port() + "/?selftest";
            browser = new ProcessBuilder(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                    "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--user-data-dir=" + profile, "--remote-debugging-port=0", url)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            try (DevTools page = DevTools.attach(devToolsPort(profile, browser, log), url)) {
                String status = "";
                long deadline = System.nanoTime() + DEADLINE.toNanos();
                while (!status.equals("passed") && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                    status = page.evaluate("document.getElementById('selftest').dataset.status || ''");
                }
                String dom = page.evaluate("document.documentElement.outerHTML");
                assertThat(status).as("self-test status after %s; the DOM:%n%s", DEADLINE, dom).isEqualTo("passed");
                assertThat(dom)
                        .contains("echo: echo-check", "chat: selftest: hello from the selftest", "ticker: #")
                        .contains("<li>\u2190 echo-check</li>", "<li>selftest: hello from the selftest</li>")
                        .contains("id=\"echo-state\" data-state=\"open\"", "id=\"chat-state\" data-state=\"open\"",
                                "id=\"ticker-state\" data-state=\"open\"", "data-members=\"1\"");
                assertThat(page.evaluate("document.getElementById('last-id').textContent")).matches("\\d+");
            }
        } finally {
            if (browser != null) {
                stop(browser);
            }
            delete(profile);
            Files.deleteIfExists(log);
        }
    }

    /** The port Chromium's DevTools listen on, from the file it writes into its profile. */
    private static int devToolsPort(Path profile, Process browser, Path log) throws Exception {
        Path file = profile.resolve("DevToolsActivePort");
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(file)) {
                List<String> lines = Files.readAllLines(file);
                if (!lines.isEmpty() && !lines.get(0).isBlank()) {
                    return Integer.parseInt(lines.get(0).strip());
                }
            }
            if (!browser.isAlive()) {
                throw new AssertionError("Chromium exited with " + browser.exitValue() + ":\n" + Files.readString(log));
            }
            Thread.sleep(50);
        }
        throw new AssertionError("Chromium did not open its DevTools port within " + DEADLINE + ":\n" + Files.readString(log));
    }

    /** A DevTools protocol session with one page: {@code Runtime.evaluate} and nothing else. */
    private static final class DevTools implements WebSocket.Listener, AutoCloseable {
        private final Map<Integer, CompletableFuture<JsonNode>> replies = new ConcurrentHashMap<>();
        private final AtomicInteger ids = new AtomicInteger();
        private final StringBuilder partial = new StringBuilder();
        private WebSocket socket;

        static DevTools attach(int port, String url) throws Exception {
            HttpClient http = HttpClient.newHttpClient();
            String target = null;
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            while (target == null && System.nanoTime() < deadline) {
                String list = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                for (JsonNode entry : JSON.readTree(list)) {
                    if (entry.path("type").asString("").equals("page") && entry.path("url").asString("").equals(url)) {
                        target = entry.path("webSocketDebuggerUrl").asString();
                    }
                }
                if (target == null) {
                    Thread.sleep(50);
                }
            }
            assertThat(target).as("a DevTools target for %s", url).isNotNull();
            DevTools session = new DevTools();
            session.socket = http.newWebSocketBuilder().buildAsync(URI.create(target), session).get(10, TimeUnit.SECONDS);
            return session;
        }

        /** The value of {@code expression} in the page, as a string. */
        String evaluate(String expression) throws Exception {
            int id = ids.incrementAndGet();
            CompletableFuture<JsonNode> reply = new CompletableFuture<>();
            replies.put(id, reply);
            socket.sendText(JSON.writeValueAsString(Map.of("id", id, "method", "Runtime.evaluate",
                    "params", Map.of("expression", expression, "returnByValue", true))), true).get(5, TimeUnit.SECONDS);
            JsonNode result = reply.get(10, TimeUnit.SECONDS);
            assertThat(result.path("exceptionDetails").isMissingNode()).as("%s threw: %s", expression, result).isTrue();
            return result.path("result").path("value").asString("");
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                JsonNode message = JSON.readTree(partial.toString());
                partial.setLength(0);
                CompletableFuture<JsonNode> reply = replies.remove(message.path("id").asInt(-1));
                if (reply != null) {
                    reply.complete(message.path("result"));
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public void close() {
            socket.abort();
        }
    }

    /** Ends Chromium and the processes it started. */
    private static void stop(Process browser) throws InterruptedException {
        List<ProcessHandle> children = browser.descendants().toList();
        browser.destroy();
        children.forEach(ProcessHandle::destroy);
        if (!browser.waitFor(5, TimeUnit.SECONDS)) {
            browser.destroyForcibly();
            children.forEach(ProcessHandle::destroyForcibly);
        }
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a file Chromium was still writing; the directory is a temporary one
        }
    }
}
