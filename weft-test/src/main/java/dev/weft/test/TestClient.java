package dev.weft.test;

import dev.weft.http.Headers;
import dev.weft.http.Method;
import dev.weft.routing.Router;
import dev.weft.server.RunningServer;
import dev.weft.server.Server;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Serves a router on {@code 127.0.0.1} on a free port and talks to it over real HTTP/1.1 with
 * the JDK client (or over HTTP/2: {@link #startHttp2}). Close it to stop the server.
 *
 * <p>The JDK client refuses to set {@code connection}, {@code content-length}, {@code expect},
 * {@code host} and {@code upgrade} itself; protocol-level tests use a raw socket instead.
 */
public final class TestClient implements Client {
    private static final Set<String> SKIPPED_RESPONSE_HEADERS = Set.of(":status");

    private final RunningServer server;
    private final HttpClient http;
    private final URI base;
    private final boolean http2;

    private TestClient(RunningServer server, HttpClient.Version version) {
        this.server = server;
        this.http2 = version == HttpClient.Version.HTTP_2;
        this.http = HttpClient.newBuilder()
                .version(version)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        this.base = URI.create("http://127.0.0.1:" + server.port());
    }

    /** Starts {@code router} on a free port with default options. */
    public static TestClient start(Router router) {
        return start(router, Server.builder());
    }

    /** Starts {@code router} with {@code options}; host, port and signal handling are set for tests. */
    public static TestClient start(Router router, Server.Builder options) {
        Server server = options.host("127.0.0.1").port(0).shutdownOnSignal(false).build();
        return new TestClient(server.serve(router), HttpClient.Version.HTTP_1_1);
    }

    /**
     * Like {@link #start(Router)}, but requests go over cleartext HTTP/2: the client's connection
     * is upgraded ({@code Upgrade: h2c}) by a first {@code OPTIONS *} before this returns.
     */
    public static TestClient startHttp2(Router router) {
        return startHttp2(router, Server.builder());
    }

    /**
     * Opens a WebSocket session to {@code path} on this server ({@code headers}: name, value pairs
     * sent with the handshake, e.g. an {@code origin} or a cookie).
     *
     * @throws WebSocketClient.HandshakeRefusedException if the server does not answer 101
     */
    public WebSocketClient webSocket(String path, String... headers) {
        return WebSocketClient.connect(server.port(), path, headers);
    }

    /** Like {@link #start(Router, Server.Builder)}, over cleartext HTTP/2 (see {@link #startHttp2(Router)}). */
    public static TestClient startHttp2(Router router, Server.Builder options) {
        Server server = options.host("127.0.0.1").port(0).shutdownOnSignal(false).build();
        TestClient client = new TestClient(server.serve(router), HttpClient.Version.HTTP_2);
        try {
            HttpResponse<Void> upgraded = client.http.send(HttpRequest.newBuilder(client.base)
                    .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
            if (upgraded.version() != HttpClient.Version.HTTP_2) {
                client.close();
                throw new IllegalStateException("the server did not upgrade the connection to HTTP/2");
            }
        } catch (IOException e) {
            client.close();
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            client.close();
            throw new IllegalStateException("interrupted", e);
        }
        return client;
    }

    public int port() {
        return server.port();
    }

    /** {@code http://127.0.0.1:<port>} */
    public URI baseUri() {
        return base;
    }

    /** Whether requests go over HTTP/2; the kit's own raw-protocol tests speak the same protocol. */
    boolean http2() {
        return http2;
    }

    /** The running server, for tests of shutdown. */
    public RunningServer server() {
        return server;
    }

    @Override
    public TestRequest request(Method method, String target) {
        return new TestRequest(method, target, this::send);
    }

    private TestResponse send(Method method, String target, Headers headers, byte[] body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(target))
                .timeout(Duration.ofSeconds(30))
                .method(method.name(), body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        try {
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            Headers.Builder received = Headers.builder();
            for (Map.Entry<String, List<String>> e : response.headers().map().entrySet()) {
                if (!SKIPPED_RESPONSE_HEADERS.contains(e.getKey())) {
                    e.getValue().forEach(v -> received.add(e.getKey(), v));
                }
            }
            return new TestResponse(response.statusCode(), received.build(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public void close() {
        http.close();
        server.close();
    }
}
