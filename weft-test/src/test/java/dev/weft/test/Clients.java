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
 * Test support: the two clients every behaviour suite runs over, and a way to send requests the
 * JDK HTTP client refuses to build (a target that is not a valid URI, such as {@code ?q=%ZZ}).
 */
final class Clients {
    private Clients() {}

    /** The client factories, named for the test report. */
    static Stream<Named<Function<Router, Client>>> both() {
        return Stream.of(
                Named.of("in-memory", (Function<Router, Client>) InMemoryClient::of),
                Named.of("network", (Function<Router, Client>) TestClient::start));
    }

    /**
     * Sends {@code target} exactly as written. Through an {@link InMemoryClient} this is an
     * ordinary request; through a {@link TestClient} it is written on a raw socket, because
     * {@code java.net.URI} rejects targets such as {@code /q?x=%ZZ}.
     */
    static TestResponse sendVerbatim(Client client, Method method, String target) {
        if (client instanceof TestClient network) {
            return raw(network.port(), method.name() + " " + target + " HTTP/1.1\r\n"
                    + "host: 127.0.0.1\r\n"
                    + "connection: close\r\n"
                    + "\r\n");
        }
        return client.request(method, target).send();
    }

    /** Writes {@code head} (a whole request without body) and reads the response until the server closes. */
    private static TestResponse raw(int port, String head) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
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
