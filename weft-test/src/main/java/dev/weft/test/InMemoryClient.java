package dev.weft.test;

import dev.weft.http.Headers;
import dev.weft.http.Method;
import dev.weft.http.Request;
import dev.weft.internal.http.Exchange;
import dev.weft.internal.ws.MemorySession;
import dev.weft.internal.http.ServerRequest;
import dev.weft.routing.Router;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * Runs requests through a {@link Router} without a socket: same routing, extraction, errors,
 * JSON encoding, HEAD handling and {@code content-length}/{@code date} headers as the network
 * server, in microseconds. Each request runs on a fresh virtual thread, as on the server.
 *
 * <p>What it cannot show: connection behaviour (keep-alive, pipelining, limits of the HTTP
 * decoder). Use {@link TestClient} for those.
 */
public final class InMemoryClient implements Client {
    private final Router router;
    private InetSocketAddress remoteAddress = new InetSocketAddress("127.0.0.1", 40000);

    private InMemoryClient(Router router) {
        this.router = Objects.requireNonNull(router, "router");
    }

    public static InMemoryClient of(Router router) {
        return new InMemoryClient(router);
    }

    /** The peer address requests appear to come from (default {@code 127.0.0.1:40000}). */
    public InMemoryClient remoteAddress(InetSocketAddress address) {
        this.remoteAddress = Objects.requireNonNull(address);
        return this;
    }

    InetSocketAddress remoteAddress() {
        return remoteAddress;
    }

    Router router() {
        return router;
    }

    @Override
    public TestRequest request(Method method, String target) {
        return new TestRequest(method, target, this::send);
    }

    private TestResponse send(Method method, String target, Headers headers, byte[] body) {
        Request.Builder builder = Request.builder(method, target).remoteAddress(remoteAddress);
        headers.forEach(builder::header);
        if (body != null) {
            builder.body(body);
        }
        ServerRequest request = (ServerRequest) builder.build();
        Exchange.Finished[] result = new Exchange.Finished[1];
        RuntimeException[] failure = new RuntimeException[1];
        Thread thread = Thread.ofVirtual().name("weft-test-request").start(() -> {
            Exchange.Finished routed = Exchange.run(router, request);
            try {
                result[0] = Exchange.buffered(routed, request);
                // Written to the caller now, all of it: the exchange ends here, as on the network.
                request.headSent();
                request.complete(result[0].status().code(), result[0].body().length, false);
            } catch (RuntimeException e) {
                failure[0] = e; // a streamed body cut off after part of it: thrown to the caller, as a network client sees it fail
                request.complete(routed.status().code(), 0, true);
            }
        });
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the response", e);
        }
        if (failure[0] != null) {
            throw failure[0];
        }
        Exchange.Finished finished = result[0];
        return new TestResponse(finished.status().code(), finished.headers(), finished.body());
    }

    /**
     * Opens an in-memory WebSocket session to {@code path}: the handshake runs through the router
     * like any request ({@code headers}: name, value pairs added to it), and on {@code 101} the
     * handler runs on a virtual thread of its own, talking to the returned client.
     *
     * @throws WebSocketClient.HandshakeRefusedException if the router does not answer 101
     */
    @Override
    public TestWebSocket webSocket(String path, String... headers) {
        if (headers.length % 2 != 0) {
            throw new IllegalArgumentException("headers are name, value pairs");
        }
        Request.Builder builder = Request.builder(Method.GET, path).remoteAddress(remoteAddress)
                .header("host", "localhost")
                .header("upgrade", "websocket")
                .header("connection", "Upgrade")
                .header("sec-websocket-key", "dGhlIHNhbXBsZSBub25jZQ==")
                .header("sec-websocket-version", "13");
        for (int i = 0; i < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
        }
        ServerRequest request = (ServerRequest) builder.build();
        Exchange.Finished[] result = new Exchange.Finished[1];
        Thread thread = Thread.ofVirtual().name("weft-test-request").start(() -> {
            Exchange.Finished finished = Exchange.run(router, request);
            result[0] = finished.upgrades() ? finished : Exchange.buffered(finished, request);
            request.headSent();
            request.complete(result[0].status().code(), result[0].body().length, false);
        });
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the handshake", e);
        }
        Exchange.Finished finished = result[0];
        java.util.Map<String, java.util.List<String>> fields = new java.util.LinkedHashMap<>();
        finished.forEachHeader((name, value) -> fields.computeIfAbsent(name.toLowerCase(java.util.Locale.ROOT),
                k -> new java.util.ArrayList<>()).add(value));
        var handshake = new WebSocketClient.Handshake(finished.status().code(), java.util.Map.copyOf(fields),
                new String(finished.body(), java.nio.charset.StandardCharsets.UTF_8));
        if (!finished.upgrades()) {
            throw new WebSocketClient.HandshakeRefusedException(handshake);
        }
        MemorySession session = MemorySession.start(router, finished.upgrade());
        return new MemoryWebSocket(session, handshake);
    }

    @Override
    public void close() {
        // nothing to release
    }
}
