package dev.weft.test;

import dev.weft.http.Method;
import dev.weft.routing.Router;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;

/**
 * Test support: the clients every behaviour suite runs over, and ways to send requests the JDK
 * HTTP client will not build: a target that is not a valid URI ({@code ?q=%ZZ}), raw UTF-8 in a
 * target, a body of undeclared length. Each speaks the protocol of the client it is given: HTTP/1.1
 * on a raw socket ({@link RawHttp}) for an HTTP/1.1 {@link TestClient}, HTTP/2 frames with prior
 * knowledge ({@link RawHttp2}) for an HTTP/2 one, an ordinary request for an {@link InMemoryClient}.
 */
final class Clients {
    private static final int STREAM = 1;

    private Clients() {}

    /**
     * One client factory per {@link Transport}, named for the test report: in memory, HTTP/1.1 on
     * a socket, and HTTP/2 (h2c) on a socket, so every behaviour suite shows the protocols answer alike.
     */
    static Stream<Named<Function<Router, Client>>> both() {
        return Arrays.stream(Transport.values())
                .map(transport -> Named.of(transport.toString(), (Function<Router, Client>) transport::start));
    }

    /**
     * Sends {@code target} exactly as written (non-ASCII characters as their UTF-8 bytes): as the
     * request line on HTTP/1.1, as {@code :path} on HTTP/2, because {@code java.net.URI} rejects
     * targets such as {@code /q?x=%ZZ} and percent-encodes raw non-ASCII text.
     */
    static TestResponse sendVerbatim(Client client, Method method, String target) {
        if (!(client instanceof TestClient network)) {
            return client.request(method, target).send();
        }
        String bytesAsChars = new String(target.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
        try {
            if (network.http2()) {
                try (RawHttp2 connection = RawHttp2.connect(network.port())) {
                    connection.headers(STREAM, RawHttp2.request(method.name(), bytesAsChars), true);
                    return connection.response(STREAM).toTestResponse();
                }
            }
            try (RawHttp connection = RawHttp.connect(network.port())) {
                return connection.send(RawHttp.request(method.name(), bytesAsChars, "HTTP/1.1", "Connection: close"))
                        .read(method == Method.HEAD).toTestResponse();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code GET target} exactly as written; see {@link #sendVerbatim}. */
    static TestResponse rawGet(Client client, String target) {
        return sendVerbatim(client, Method.GET, target);
    }

    /**
     * Sends {@code body} without a {@code content-length}, in pieces of at most 4 bytes: on
     * HTTP/1.1 as {@code transfer-encoding: chunked} chunks, on HTTP/2 as DATA frames (HTTP/2 has
     * no chunked coding; a body without {@code content-length} is its counterpart). Through an
     * {@link InMemoryClient} the request carries {@code transfer-encoding: chunked} and no
     * {@code content-length}.
     */
    static TestResponse sendWithoutLength(Client client, Method method, String target, String contentType,
            byte[] body) {
        if (!(client instanceof TestClient network)) {
            return client.request(method, target)
                    .header("content-type", contentType)
                    .header("transfer-encoding", "chunked")
                    .body(body)
                    .send();
        }
        try {
            if (network.http2()) {
                try (RawHttp2 connection = RawHttp2.connect(network.port())) {
                    connection.headers(STREAM, RawHttp2.request(method.name(), target, "content-type", contentType),
                            false);
                    for (int i = 0; i < body.length; i += 4) {
                        connection.data(STREAM, Arrays.copyOfRange(body, i, Math.min(body.length, i + 4)), false);
                    }
                    connection.data(STREAM, new byte[0], true);
                    return connection.response(STREAM).toTestResponse();
                }
            }
            ByteArrayOutputStream chunks = new ByteArrayOutputStream();
            chunks.writeBytes(RawHttp.request(method.name(), target, "HTTP/1.1", "Content-Type: " + contentType,
                    "Transfer-Encoding: chunked", "Connection: close").getBytes(StandardCharsets.ISO_8859_1));
            for (int i = 0; i < body.length; i += 4) {
                int n = Math.min(4, body.length - i);
                chunks.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                chunks.write(body, i, n);
                chunks.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            chunks.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            try (RawHttp connection = RawHttp.connect(network.port())) {
                return connection.send(chunks.toByteArray()).read(method == Method.HEAD).toTestResponse();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
