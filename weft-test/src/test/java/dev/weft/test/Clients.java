package dev.weft.test;

import dev.weft.http.Headers;
import dev.weft.http.Method;
import dev.weft.routing.Router;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;

/**
 * Test support: the two clients every behaviour suite runs over, and ways to send requests the
 * JDK HTTP client will not build: a target that is not a valid URI ({@code ?q=%ZZ}), raw UTF-8
 * in a target, a chunked body.
 */
final class Clients {
    private Clients() {}

    /**
     * The client factories, named for the test report: in memory, HTTP/1.1 on a socket, and
     * HTTP/2 (h2c) on a socket, so every behaviour suite shows the protocols answer alike.
     */
    static Stream<Named<Function<Router, Client>>> both() {
        return Stream.of(
                Named.of("in-memory", (Function<Router, Client>) InMemoryClient::of),
                Named.of("network", (Function<Router, Client>) TestClient::start),
                Named.of("http/2", (Function<Router, Client>) TestClient::startHttp2));
    }

    /**
     * Sends {@code target} exactly as written. Through an {@link InMemoryClient} this is an
     * ordinary request; through a {@link TestClient} the request line is written on a raw socket
     * (non-ASCII characters as their UTF-8 bytes), because {@code java.net.URI} rejects targets
     * such as {@code /q?x=%ZZ} and percent-encodes raw non-ASCII text.
     */
    static TestResponse sendVerbatim(Client client, Method method, String target) {
        if (client instanceof TestClient network) {
            byte[] head = (method.name() + " " + target + " HTTP/1.1\r\n"
                    + "host: 127.0.0.1\r\n"
                    + "connection: close\r\n"
                    + "\r\n").getBytes(StandardCharsets.UTF_8);
            return raw(network.port(), head, new byte[0]);
        }
        return client.request(method, target).send();
    }

    /** {@code GET target} exactly as written; see {@link #sendVerbatim}. */
    static TestResponse rawGet(Client client, String target) {
        return sendVerbatim(client, Method.GET, target);
    }

    /**
     * Sends {@code body} without a declared length. Through a {@link TestClient} it goes on the
     * wire with {@code transfer-encoding: chunked} in chunks of at most 4 bytes; through an
     * {@link InMemoryClient} the request carries the same header and no {@code content-length}.
     */
    static TestResponse sendChunked(Client client, Method method, String target, String contentType, byte[] body) {
        if (client instanceof TestClient network) {
            byte[] head = (method.name() + " " + target + " HTTP/1.1\r\n"
                    + "host: 127.0.0.1\r\n"
                    + "content-type: " + contentType + "\r\n"
                    + "transfer-encoding: chunked\r\n"
                    + "connection: close\r\n"
                    + "\r\n").getBytes(StandardCharsets.US_ASCII);
            ByteArrayOutputStream chunks = new ByteArrayOutputStream();
            for (int i = 0; i < body.length; i += 4) {
                int n = Math.min(4, body.length - i);
                chunks.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                chunks.write(body, i, n);
                chunks.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            chunks.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            return raw(network.port(), head, chunks.toByteArray());
        }
        return client.request(method, target)
                .header("content-type", contentType)
                .header("transfer-encoding", "chunked")
                .body(body)
                .send();
    }

    /** Writes a whole request and reads the response until the server closes the connection. */
    private static TestResponse raw(int port, byte[] head, byte[] body) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(head);
            out.write(body);
            out.flush();
            return parse(socket.getInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static TestResponse parse(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        in.transferTo(all);
        byte[] bytes = all.toByteArray();
        int end = indexOf(bytes, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        if (end < 0) {
            throw new IllegalStateException("no complete response head in: "
                    + new String(bytes, StandardCharsets.ISO_8859_1));
        }
        String[] lines = new String(bytes, 0, end, StandardCharsets.ISO_8859_1).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Headers.Builder headers = Headers.builder();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.add(lines[i].substring(0, colon).trim().toLowerCase(java.util.Locale.ROOT),
                    lines[i].substring(colon + 1).trim());
        }
        Headers built = headers.build();
        int start = end + 4;
        int length = built.first("content-length").map(Integer::parseInt).orElse(bytes.length - start);
        byte[] body = java.util.Arrays.copyOfRange(bytes, start, start + length);
        return new TestResponse(status, built, body);
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
