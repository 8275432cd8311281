package dev.weft.jwt;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** A local JWKS endpoint (the JDK's HTTP server on a free port) whose keys and health a test controls. */
final class JwksServer implements AutoCloseable {
    private final HttpServer server;
    private final List<JWK> keys = new ArrayList<>();
    private final AtomicBoolean down = new AtomicBoolean();
    private final AtomicInteger fetches = new AtomicInteger();

    JwksServer(JWK... initial) {
        keys.addAll(List.of(initial));
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/jwks.json", exchange -> {
            fetches.incrementAndGet();
            byte[] body;
            int status;
            if (down.get()) {
                status = 503;
                body = "down".getBytes(StandardCharsets.UTF_8);
            } else {
                status = 200;
                synchronized (keys) {
                    body = new JWKSet(keys).toString(true).getBytes(StandardCharsets.UTF_8); // public parts only
                }
            }
            exchange.getResponseHeaders().add("content-type", "application/json");
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/jwks.json");
    }

    void add(JWK key) {
        synchronized (keys) {
            keys.add(key);
        }
    }

    void down(boolean value) {
        down.set(value);
    }

    int fetches() {
        return fetches.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
