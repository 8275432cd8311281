package dev.weft.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.response.BodyWriter;
import dev.weft.response.Response;
import dev.weft.routing.Router;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Streamed response bodies as a handler sees them, over both clients: each factory's bytes, the
 * resources closed at the end or when the body is not sent, and failures before the first byte
 * (answered 500). Wire framing, back-pressure and cut-off bodies are in
 * {@link StreamingResponseWireTest}.
 */
class StreamingResponseTest {
    public record Item(int id, String name) {}

    private final AtomicBoolean closed = new AtomicBoolean();

    static Stream<Named<Function<Router, Client>>> clients() {
        return Clients.both();
    }

    private Router app() {
        return Router.builder()
                .get("/input", () -> Response.stream("text/plain", tracked("from a stream")))
                .get("/returned", () -> (Object) tracked("returned as is"))
                .get("/known", () -> Response.stream("text/plain", 5, tracked("exact")))
                .get("/short", () -> Response.stream("text/plain", 10, tracked("short")))
                .get("/chunks", () -> Response.chunks("text/plain", List.of(bytes("a"), bytes("bc"), bytes("def")).iterator()))
                .get("/ndjson", () -> Response.ndjson(items(3)))
                .get("/array", () -> Response.jsonArray(items(3)))
                .get("/empty-array", () -> Response.jsonArray(items(0)))
                .get("/writer", () -> Response.stream("text/csv", out -> {
                    out.writeText("id,name\n");
                    out.writeText("1,ada\n");
                }))
                .get("/fails-first", () -> Response.stream("text/plain", (BodyWriter) out -> {
                    out.writeText("a little");
                    throw new IllegalStateException("the database went away");
                }))
                .get("/large", () -> Response.stream("application/octet-stream", new ByteArrayInputStream(pattern(100_000))))
                .build();
    }

    private InputStream tracked(String text) {
        return new ByteArrayInputStream(bytes(text)) {
            @Override
            public void close() {
                closed.set(true);
            }
        };
    }

    private Stream<Item> items(int count) {
        return IntStream.range(0, count).mapToObj(i -> new Item(i, "item " + i)).onClose(() -> closed.set(true));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** What a client read from a streamed body, and how far the server's writer was ever ahead of it. */
    record Lead(long received, long mostAhead) {}

    /**
     * Reads {@code body} to its end, slower than a loopback writer produces it (1 ms of pause per
     * 512 KiB), sampling {@code produced} (the writer's position) after each read: without
     * back-pressure the writer would run hundreds of MiB ahead.
     */
    static Lead readTracking(InputStream body, java.util.concurrent.atomic.AtomicLong produced)
            throws java.io.IOException, InterruptedException {
        long received = 0;
        long mostAhead = 0;
        long sincePause = 0;
        byte[] buffer = new byte[64 * 1024];
        try (body) {
            for (int n; (n = body.read(buffer)) >= 0; ) {
                received += n;
                sincePause += n;
                mostAhead = Math.max(mostAhead, produced.get() - received);
                if (sincePause >= 512 * 1024) {
                    sincePause = 0;
                    Thread.sleep(1);
                }
            }
        }
        return new Lead(received, mostAhead);
    }

    static byte[] pattern(int size) {
        byte[] data = new byte[size];
        for (int i = 0; i < size; i++) {
            data[i] = (byte) (i * 31 + (i >> 8));
        }
        return data;
    }

    @ParameterizedTest
    @MethodSource("clients")
    void anInputStreamIsCopiedAndClosed(Function<Router, Client> clients) {
        try (Client client = clients.apply(app())) {
            TestResponse response = client.get("/input");

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.header("content-type")).contains("text/plain");
            assertThat(response.body()).isEqualTo("from a stream");
            assertThat(closed).isTrue();
        }
    }

    @ParameterizedTest
    @MethodSource("clients")
    void aReturnedInputStreamIsAnOctetStream(Function<Router, Client> clients) {
        try (Client client = clients.apply(app())) {
            TestResponse response = client.get("/returned");

            assertThat(response.header("content-type")).contains("application/octet-stream");
            assertThat(response.body()).isEqualTo("returned as is");
        }
    }

    @ParameterizedTest
    @MethodSource("clients")
    void aSmallBodyOfUnknownLengthGetsAContentLength(Function<Router, Client> clients) {
        try (Client client = clients.apply(app())) {
            TestResponse response = client.get("/writer");

            assertThat(response.body()).isEqualTo("id,name\n1,ada\n");
            assertThat(response.header("content-length")).contains("14");
            assertThat(response.header("content-type")).contains("text/csv");
        }
    }

    @ParameterizedTest
    @MethodSource("clients")
    void aDeclaredLengthIsSent(Function<Router, Client> clients) {
        try (Client client = clients.apply(app())) {
            TestResponse response = client.get("/known");

            assertThat(response.header("content-length")).contains("5");
            assertThat(response.body()).isEqualTo("exact");
        }
    }

    @ParameterizedTest
    @MethodSource("clients")
    void aBodyShorterThanDeclaredIsAServerError(Function<Router, Client> clients) {
        try (Client client = clients.apply(app())) {
            TestResponse response = client.get("/short");

            assertThat(response.status()).isEqualTo(500);
            assertThat(response.header("content-type")).contains("application/problem+json");
        }
    }

    @ParameterizedTest
    @MethodSource("clients")
    void chunksAreSentInOrder(Function<Router, Client> clients) {
        try (Client client = clients.apply(app())) {
            assertThat(client.get("/chunks").body()).isEqualTo("abcdef");
        }
    }

    @ParameterizedTest
    @MethodSource("clients")
    void ndjsonWritesOneValuePerLineAndClosesTheStream(Function<Router, Client> clients) {
        try (Client client = clients.apply(app())) {
            TestResponse response = client.get("/ndjson");

            assertThat(response.header("content-type")).contains("application/x-ndjson");
            assertThat(response.body()).isEqualTo("""
                    {"id":0,"name":"item 0"}
                    {"id":1,"name":"item 1"}
                    {"id":2,"name":"item 2"}
                    """);
            assertThat(closed).isTrue();
        }
    }

    @ParameterizedTest
    @MethodSource("clients")
    void aJsonArrayIsWrittenElementByElement(Function<Router, Client> clients) {
        try (Client client = clients.apply(app())) {
            TestResponse response = client.get("/array");

            assertThat(response.header("content-type")).contains("application/json");
            assertThat(response.body()).isEqualTo(
                    "[{\"id\":0,\"name\":\"item 0\"},{\"id\":1,\"name\":\"item 1\"},{\"id\":2,\"name\":\"item 2\"}]");
            assertThat(client.get("/empty-array").body()).isEqualTo("[]");
        }
    }

    @ParameterizedTest
    @MethodSource("clients")
    void headDiscardsTheBodyAndClosesItsSource(Function<Router, Client> clients) {
        try (Client client = clients.apply(app())) {
            TestResponse response = client.head("/input");

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isEmpty();
            assertThat(closed).isTrue();
        }
    }

    @ParameterizedTest
    @MethodSource("clients")
    void headAndGetAgreeOnTheContentLengthOfAShortStream(Function<Router, Client> clients) {
        try (Client client = clients.apply(app())) {
            // A stream that ends within 16 KiB without a flush has a length; one that flushes (chunks) has none.
            assertThat(client.head("/input").header("content-length")).contains("13");
            for (String path : List.of("/input", "/writer", "/chunks", "/ndjson", "/array")) {
                TestResponse get = client.get(path);
                TestResponse head = client.head(path);

                assertThat(head.header("content-length")).as(path).isEqualTo(get.header("content-length"));
                get.header("content-length").ifPresent(length ->
                        assertThat(length).as(path).isEqualTo(Integer.toString(get.bodyBytes().length)));
                assertThat(head.body()).isEmpty();
            }
        }
    }

    @ParameterizedTest
    @MethodSource("clients")
    void headOfALongStreamPromisesNoLength(Function<Router, Client> clients) {
        try (Client client = clients.apply(app())) {
            TestResponse head = client.head("/large");

            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("content-length")).isEqualTo(client.get("/large").header("content-length"));
        }
    }

    @ParameterizedTest
    @MethodSource("clients")
    void aWriterThatFailsBeforeSendingAnythingGetsA500(Function<Router, Client> clients) {
        try (Client client = clients.apply(app())) {
            TestResponse response = client.get("/fails-first");

            assertThat(response.status()).isEqualTo(500);
            assertThat(response.body()).contains("failed to produce its response").doesNotContain("database");
            assertThat(client.get("/input").status()).isEqualTo(200);
        }
    }

    @ParameterizedTest
    @MethodSource("clients")
    void aLargeBodyArrivesWhole(Function<Router, Client> clients) {
        try (Client client = clients.apply(app())) {
            TestResponse response = client.get("/large");

            assertThat(response.bodyBytes()).isEqualTo(pattern(100_000));
            // Sent before its length was known (chunked on HTTP/1.1: StreamingResponseWireTest).
            assertThat(response.header("content-length")).isEmpty();
        }
    }
}
