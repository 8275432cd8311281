package dev.weft.test;

import dev.weft.http.Headers;
import dev.weft.routing.Router;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;

/** The two clients every behaviour suite runs over, and a raw-socket escape hatch. */
final class Clients {
    private Clients() {}

    /** Factories for {@link InMemoryClient} and {@link TestClient}; use with {@code @MethodSource("dev.weft.test.Clients#both")}. */
    static Stream<Named<Function<Router, Client>>> both() {
        return Stream.of(
                Named.<Function<Router, Client>>of("InMemoryClient", InMemoryClient::of),
                Named.<Function<Router, Client>>of("TestClient", TestClient::start));
    }

    /**
     * Sends {@code GET target} exactly as written. The JDK HTTP client behind {@link TestClient}
     * refuses targets that are not valid URIs (for example a malformed percent escape), so for a
     * {@link TestClient} the request goes over a raw socket instead.
     */
    static TestResponse rawGet(Client client, String target) {
        if (client instanceof TestClient net) {
            return rawRequest(net.port(), "GET", target);
        }
        return client.get(target);
    }

    /** One HTTP/1.1 request over a fresh connection, closed after the response. */
    static TestResponse rawRequest(int port, String method, String target) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            String head = method + " " + target + " HTTP/1.1\r\nhost: 127.0.0.1\r\nconnection: close\r\n\r\n";
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return parse(socket.getInputStream().readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static TestResponse parse(byte[] raw) {
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            throw new IllegalStateException("no complete response head in: " + text);
        }
        String[] lines = text.substring(0, end).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Headers.Builder headers = Headers.builder();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.add(lines[i].substring(0, colon).trim().toLowerCase(java.util.Locale.ROOT),
                    lines[i].substring(colon + 1).trim());
        }
        return new TestResponse(status, headers.build(), Arrays.copyOfRange(raw, end + 4, raw.length));
    }
}
