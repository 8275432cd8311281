package dev.weft.test;

import dev.weft.http.Headers;
import dev.weft.http.Method;
import dev.weft.http.Request;
import dev.weft.internal.http.Exchange;
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
            try {
                result[0] = Exchange.buffered(Exchange.run(router, request), request);
            } catch (RuntimeException e) {
                failure[0] = e; // a streamed body cut off after part of it: thrown to the caller, as a network client sees it fail
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

    @Override
    public void close() {
        // nothing to release
    }
}
