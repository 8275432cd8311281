package dev.weft.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.extract.PathParam;
import dev.weft.response.BodyOutput;
import dev.weft.response.BodyWriter;
import dev.weft.response.Response;
import dev.weft.routing.Router;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Streamed responses over HTTP/2 (the JDK client, upgraded with {@code h2c}): DATA frames as the
 * writer produces them, bounded by the stream's flow-control window; a writer failing after the
 * head resets the stream; a client cancelling the stream stops the writer.
 */
class StreamingResponseHttp2Test {
    private static final int MIB = 1024 * 1024;

    private final AtomicLong produced = new AtomicLong();
    private final CompletableFuture<String> writerOutcome = new CompletableFuture<>();
    /** A fresh latch for each attempt of {@link #pairedWithin}. */
    private final java.util.concurrent.atomic.AtomicReference<java.util.concurrent.CountDownLatch> pair =
            new java.util.concurrent.atomic.AtomicReference<>();
    private TestClient client;
    private HttpClient http;

    @BeforeEach
    void start() throws Exception {
        Router app = Router.builder()
                .get("/", () -> "root")
                .get("/large", () -> Response.stream("application/octet-stream",
                        new ByteArrayInputStream(StreamingResponseTest.pattern(100_000))))
                .get("/small", () -> Response.stream("text/plain", out -> out.writeText("small")))
                .get("/counted/{mib}", PathParam.of("mib", Long.class), mib -> Response.stream(
                        "application/octet-stream", out -> count(out, mib * MIB)))
                .get("/fails-first", () -> Response.stream("text/plain", (BodyWriter) out -> {
                    throw new IllegalStateException("no data today");
                }))
                .get("/fails-late", () -> Response.stream("text/plain", (BodyWriter) out -> {
                    out.write(new byte[64 * 1024]);
                    out.flush();
                    throw new IllegalStateException("the source failed half way");
                }))
                .get("/endless", () -> Response.stream("application/octet-stream", this::endless))
                .build();
        client = TestClient.start(app);
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).connectTimeout(Duration.ofSeconds(5)).build();
        // The first request upgrades the connection; the tests then run on HTTP/2 streams.
        assertThat(http.send(get("/"), HttpResponse.BodyHandlers.ofString()).version())
                .isEqualTo(HttpClient.Version.HTTP_2);
    }

    @AfterEach
    void stop() {
        http.close();
        client.close();
    }

    private void count(BodyOutput out, long size) throws IOException {
        byte[] block = new byte[64 * 1024];
        for (long left = size; left > 0; left -= block.length) {
            int n = (int) Math.min(block.length, left);
            out.write(block, 0, n);
            produced.addAndGet(n);
        }
    }

    private void endless(BodyOutput out) throws IOException {
        byte[] block = new byte[8192];
        try {
            while (true) {
                out.write(block);
            }
        } catch (IOException e) {
            writerOutcome.complete("failed: " + e.getMessage());
            throw e;
        }
    }

    private HttpRequest get(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + client.port() + path))
                .timeout(Duration.ofSeconds(30)).build();
    }

    @Test
    void aStreamedBodyArrivesWholeOverHttp2() throws Exception {
        HttpResponse<byte[]> response = http.send(get("/large"), HttpResponse.BodyHandlers.ofByteArray());

        assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(StreamingResponseTest.pattern(100_000));
    }

    @Test
    void aSmallStreamedBodyGetsAContentLength() throws Exception {
        HttpResponse<String> response = http.send(get("/small"), HttpResponse.BodyHandlers.ofString());

        assertThat(response.body()).isEqualTo("small");
        assertThat(response.headers().firstValue("content-length")).contains("5");
    }

    @Test
    void theWriterStaysWithinAFewMibOfTheReader() throws Exception {
        HttpResponse<InputStream> response = http.send(get("/counted/256"), HttpResponse.BodyHandlers.ofInputStream());
        StreamingResponseTest.Lead lead = StreamingResponseTest.readTracking(response.body(), produced);

        assertThat(lead.received()).isEqualTo(256L * MIB);
        assertThat(lead.mostAhead()).isLessThan(32L * MIB);
    }

    @Test
    void aWriterFailingBeforeTheFirstChunkGets500() throws Exception {
        HttpResponse<String> response = http.send(get("/fails-first"), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.body()).contains("failed to produce its response").doesNotContain("no data today");
    }

    @Test
    void aWriterFailingAfterTheHeadResetsTheStreamAndTheConnectionGoesOn() throws Exception {
        assertThatThrownBy(() -> http.send(get("/fails-late"), HttpResponse.BodyHandlers.ofByteArray()))
                .isInstanceOf(IOException.class);

        HttpResponse<String> after = http.send(get("/"), HttpResponse.BodyHandlers.ofString());
        assertThat(after.body()).isEqualTo("root");
        assertThat(after.version()).isEqualTo(HttpClient.Version.HTTP_2);
    }

    @Test
    void aClientCancellingTheStreamStopsTheWriter() throws Exception {
        HttpResponse<InputStream> response = http.send(get("/endless"), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            body.readNBytes(100_000);
        } // closing the body before its end cancels the stream (RST_STREAM)

        assertThat(writerOutcome.get(10, TimeUnit.SECONDS)).startsWith("failed");
    }

    /**
     * A client that never opens its stream window (no WINDOW_UPDATE) cannot hold a stream and its
     * in-flight slot forever: after {@code writeTimeout} the server resets the stream, whether the
     * body was built first or streamed.
     */
    @Test
    void aStreamWhoseWindowNeverOpensIsResetAfterTheWriteTimeout() throws Exception {
        Router app = Router.builder()
                .get("/built", () -> StreamingResponseTest.pattern(200_000))
                .get("/streamed", () -> Response.stream("application/octet-stream", out -> count(out, MIB)))
                .get("/", () -> "root")
                .get("/pair", () -> {
                    // Answers "paired" only if two of these run at once: both slots are free.
                    java.util.concurrent.CountDownLatch both = pair.get();
                    both.countDown();
                    return both.await(2, TimeUnit.SECONDS) ? "paired" : "alone";
                })
                .build();
        try (TestClient stalling = TestClient.start(app, dev.weft.server.Server.builder()
                        .writeTimeout(Duration.ofMillis(300)).maxInFlight(2));
                RawHttp2 connection = RawHttp2.connect(stalling.port())) {
            connection.get(1, "/built").get(3, "/streamed");

            RawHttp2.Response built = connection.response(1);
            RawHttp2.Response streamed = connection.response(3);

            assertThat(built.status()).isEqualTo(200);
            assertThat(built.resetCode()).isNotNull();
            assertThat(built.body().length).isLessThan(200_000);
            assertThat(streamed.resetCode()).isNotNull();
            // Both in-flight slots (maxInFlight 2) were released: two requests run at once. Their
            // slots are freed on the event loop just after the resets, hence the retries.
            assertThat(pairedWithin(stalling)).isTrue();
        }
    }

    /** Sends two {@code GET /pair} at once until neither is refused (bounded); whether they ran together. */
    private boolean pairedWithin(TestClient client) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < until) {
            pair.set(new java.util.concurrent.CountDownLatch(2));
            CompletableFuture<TestResponse> first = CompletableFuture.supplyAsync(() -> client.get("/pair"));
            TestResponse second = client.get("/pair");
            TestResponse firstResponse = first.get(10, TimeUnit.SECONDS);
            if (second.status() == 200 && firstResponse.status() == 200) {
                return "paired".equals(second.body()) && "paired".equals(firstResponse.body());
            }
            Thread.sleep(10);
        }
        return false;
    }
}
