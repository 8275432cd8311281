package dev.weft.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.middleware.Compression;
import dev.weft.response.Response;
import dev.weft.routing.Router;
import dev.weft.server.Server;
import dev.weft.sse.Sse;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Streams stay live through compression (tower-http #292: its compressor held output until the
 * body ended). The handler writes a line, then waits until the test has read and decoded that
 * line from the socket before it writes the next: if any layer held the line back, the test would
 * wait for it forever (bounded here by a timeout) and fail. Over HTTP/1.1 and HTTP/2, for each
 * coding, with a handler's own flushes, {@code Response.chunks} and an event stream.
 */
class CompressionStreamingTest {
    private static final int LINES = 5;
    private static final long WAIT_SECONDS = 10;
    private final BlockingQueue<Integer> acks = new ArrayBlockingQueue<>(LINES);
    private final ExecutorService reader = Executors.newVirtualThreadPerTaskExecutor();

    @AfterEach
    void stop() {
        reader.shutdownNow();
    }

    static Stream<Arguments> socketsAndCodings() {
        return Stream.of(false, true).flatMap(h2 -> Stream.of(Codings.ALL).map(c -> Arguments.of(h2 ? "http/2" : "http/1.1", c)));
    }

    private Router app() {
        return Router.builder()
                .layer(Compression.create())
                .get("/ndjson", () -> Response.stream(Response.NDJSON, out -> {
                    for (int i = 0; i < LINES; i++) {
                        out.writeJson(new Line(i, "line " + i));
                        out.write('\n');
                        out.flush();
                        awaitAck(i);
                    }
                }))
                .get("/chunks", () -> Response.chunks("text/plain", new Iterator<byte[]>() {
                    int next;

                    @Override
                    public boolean hasNext() {
                        if (next > 0) {
                            awaitAck(next - 1);
                        }
                        return next < LINES;
                    }

                    @Override
                    public byte[] next() {
                        return ("chunk " + next++ + "\n").getBytes(StandardCharsets.UTF_8);
                    }
                }))
                .get("/events", () -> Sse.emit(emitter -> {
                    for (int i = 0; i < LINES; i++) {
                        emitter.send("event " + i);
                        awaitAck(i);
                    }
                }))
                .build();
    }

    public record Line(int n, String text) {}

    private void awaitAck(int i) {
        try {
            Integer got = acks.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            if (got == null || got != i) {
                throw new IllegalStateException("no ack for line " + i);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static TestClient start(String transport, Router app) {
        return transport.equals("http/2") ? TestClient.startHttp2(app, Server.builder()) : TestClient.start(app);
    }

    /** Reads the next line, or fails if it does not come: then something held it back. */
    private String next(InputStream decoded) throws Exception {
        Future<String> line = reader.submit(() -> Codings.line(decoded));
        return line.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("socketsAndCodings")
    void ndjson_arrives_line_by_line(String transport, String coding) throws Exception {
        arrivesLineByLine(transport, coding, "/ndjson", i -> "{\"n\":" + i + ",\"text\":\"line " + i + "\"}");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("socketsAndCodings")
    void chunks_arrive_one_by_one(String transport, String coding) throws Exception {
        arrivesLineByLine(transport, coding, "/chunks", i -> "chunk " + i);
    }

    /** Reads each line before the handler may write the next (it waits for the ack), then the end. */
    private void arrivesLineByLine(String transport, String coding, String target,
            java.util.function.IntFunction<String> expected) throws Exception {
        try (TestClient client = start(transport, app())) {
            HttpResponse<InputStream> response = Codings.streamingGet(client, target, coding);
            assertThat(response.headers().firstValue("content-encoding")).contains(coding);
            try (InputStream raw = response.body(); // closed in any case, or the client cannot close
                    InputStream decoded = CompletableFuture.supplyAsync(() -> open(coding, raw), reader)
                            .get(WAIT_SECONDS, TimeUnit.SECONDS)) {
                for (int i = 0; i < LINES; i++) {
                    assertThat(next(decoded)).isEqualTo(expected.apply(i));
                    acks.put(i);
                }
                assertThat(next(decoded)).isNull();
            }
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("socketsAndCodings")
    void an_event_stream_stays_live(String transport, String coding) throws Exception {
        try (TestClient client = start(transport, app())) {
            HttpResponse<InputStream> response = Codings.streamingGet(client, "/events", coding);
            assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/event-stream"));
            assertThat(response.headers().firstValue("content-encoding")).contains(coding);
            try (InputStream raw = response.body(); // closed in any case, or the client cannot close
                    InputStream decoded = CompletableFuture.supplyAsync(() -> open(coding, raw), reader)
                            .get(WAIT_SECONDS, TimeUnit.SECONDS)) {
                for (int i = 0; i < LINES; i++) {
                    String line;
                    do {
                        line = next(decoded);
                    } while (line != null && !line.startsWith("data:"));
                    assertThat(line).isEqualTo("data: event " + i);
                    acks.put(i);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("socketsAndCodings")
    void shutdown_still_ends_a_compressed_event_stream(String transport, String coding) throws Exception {
        Router app = Router.builder()
                .layer(Compression.create())
                .get("/idle", () -> Sse.emit(emitter -> {
                    emitter.send("hello");
                    new java.util.concurrent.CountDownLatch(1).await(); // never sends again
                }))
                .build();
        Server.Builder options = Server.builder().shutdownTimeout(Duration.ofSeconds(20));
        try (TestClient client = transport.equals("http/2") ? TestClient.startHttp2(app, options) : TestClient.start(app, options)) {
            HttpResponse<InputStream> response = Codings.streamingGet(client, "/idle", coding);
            try (InputStream raw = response.body()) {
                InputStream decoded = CompletableFuture.supplyAsync(() -> open(coding, raw), reader)
                        .get(WAIT_SECONDS, TimeUnit.SECONDS);
                assertThat(next(decoded)).isEqualTo("data: hello");
                long start = System.nanoTime();
                CompletableFuture<Void> closing = CompletableFuture.runAsync(() -> client.server().close());
                // The stream ends cleanly (the compressed body is complete: the decoder reaches its end).
                Future<byte[]> rest = reader.submit(decoded::readAllBytes);
                rest.get(WAIT_SECONDS, TimeUnit.SECONDS);
                closing.get(WAIT_SECONDS, TimeUnit.SECONDS);
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
            }
        }
    }

    private static InputStream open(String coding, InputStream raw) {
        try {
            return Codings.decoder(coding, raw);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
