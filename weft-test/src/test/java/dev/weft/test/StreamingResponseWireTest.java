package dev.weft.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.response.BodyOutput;
import dev.weft.response.BodyWriter;
import dev.weft.response.Response;
import dev.weft.routing.Router;
import dev.weft.server.Server;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Streamed responses on a real socket: chunked framing and keep-alive after it, HTTP/1.0, order
 * among pipelined responses, chunks that reach the client before the next one exists, the
 * writer blocked while the client does not read (bounded memory for any size), and bodies cut
 * off by a failing writer or a client that leaves.
 */
class StreamingResponseWireTest {
    private static final int MIB = 1024 * 1024;

    /** Bytes the {@code /counted} writer has produced so far. */
    private final AtomicLong produced = new AtomicLong();
    private final CompletableFuture<String> writerOutcome = new CompletableFuture<>();
    private final CountDownLatch firstChunkSeen = new CountDownLatch(1);
    private TestClient client;

    @BeforeEach
    void start() {
        client = TestClient.start(app(), Server.builder().maxInFlight(4));
    }

    private Router app() {
        return Router.builder()
                .get("/large", () -> Response.stream("application/octet-stream",
                        new java.io.ByteArrayInputStream(StreamingResponseTest.pattern(100_000))))
                .get("/small", () -> "small")
                .get("/counted/{mib}", dev.weft.extract.PathParam.of("mib", Long.class),
                        mib -> Response.stream("application/octet-stream", mib * MIB, new Counted(mib * MIB)))
                .get("/progressive", () -> Response.chunks("text/plain", progressive()))
                .get("/fails-late", () -> Response.stream("text/plain", (BodyWriter) out -> {
                    out.write(new byte[64 * 1024]);
                    throw new IllegalStateException("the source failed half way");
                }))
                .get("/endless", () -> Response.stream("application/octet-stream", this::endless))
                .get("/source-fails", () -> Response.stream("text/plain", (BodyWriter) out -> {
                    out.write(new byte[64 * 1024]);
                    throw new IOException("the disk read failed");
                }))
                .post("/echo", dev.weft.routing.Handler.of(dev.weft.extract.Body.stream(),
                        in -> Response.stream("application/octet-stream", in)).bodyLimit(64L * MIB))
                .build();
    }

    @AfterEach
    void stop() {
        client.close();
    }

    /** An input stream of {@code size} bytes that counts how far it has been read. */
    private final class Counted extends InputStream {
        private final long size;
        private long position;

        Counted(long size) {
            this.size = size;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (position >= size) {
                return -1;
            }
            int n = (int) Math.min(length, size - position);
            for (int i = 0; i < n; i++) {
                buffer[offset + i] = (byte) (position + i);
            }
            position += n;
            produced.addAndGet(n);
            return n;
        }
    }

    /** Yields "first", then waits until the client has seen it before yielding "second". */
    private Iterator<byte[]> progressive() {
        return new Iterator<>() {
            private int index;

            @Override
            public boolean hasNext() {
                return index < 2;
            }

            @Override
            public byte[] next() {
                if (index++ == 1) {
                    try {
                        if (!firstChunkSeen.await(10, TimeUnit.SECONDS)) {
                            return "second (the first chunk never arrived)".getBytes(StandardCharsets.UTF_8);
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return "second".getBytes(StandardCharsets.UTF_8);
                }
                return "first".getBytes(StandardCharsets.UTF_8);
            }
        };
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

    @Test
    void aLongBodyIsChunkedAndTheConnectionStaysOpen() throws IOException {
        try (RawHttp raw = RawHttp.connect(client.port())) {
            raw.send(RawHttp.get("/large"));
            RawHttp.Response streamed = raw.read();

            assertThat(streamed.status()).isEqualTo(200);
            assertThat(streamed.chunked()).isTrue();
            assertThat(streamed.header("content-length")).isEmpty();
            assertThat(streamed.body()).isEqualTo(StreamingResponseTest.pattern(100_000));

            raw.send(RawHttp.get("/small"));
            assertThat(raw.read().text()).isEqualTo("small");
        }
    }

    @Test
    void http10GetsNoChunksAndTheConnectionCloses() throws IOException {
        try (RawHttp raw = RawHttp.connect(client.port())) {
            raw.send(RawHttp.request("GET", "/large", "HTTP/1.0"));
            RawHttp.Response streamed = raw.read();

            assertThat(streamed.version()).isEqualTo("HTTP/1.0");
            assertThat(streamed.chunked()).isFalse();
            assertThat(streamed.connectionHas("close")).isTrue();
            assertThat(streamed.body()).isEqualTo(StreamingResponseTest.pattern(100_000));
        }
    }

    @Test
    void aStreamedResponseKeepsItsPlaceAmongPipelinedOnes() throws IOException {
        try (RawHttp raw = RawHttp.connect(client.port())) {
            raw.send(RawHttp.get("/small") + RawHttp.get("/large") + RawHttp.get("/small") + RawHttp.get("/counted/1"));
            List<RawHttp.Response> responses = raw.read(4);

            assertThat(responses.get(0).text()).isEqualTo("small");
            assertThat(responses.get(1).body()).isEqualTo(StreamingResponseTest.pattern(100_000));
            assertThat(responses.get(2).text()).isEqualTo("small");
            assertThat(responses.get(3).body()).hasSize(MIB);
            assertThat(responses.get(3).header("content-length")).contains(Integer.toString(MIB));
        }
    }

    @Test
    void aFlushedChunkReachesTheClientBeforeTheNextExists() throws IOException {
        try (RawHttp raw = RawHttp.connect(client.port())) {
            raw.send(RawHttp.get("/progressive"));
            RawHttp.Response head = raw.readHead();
            assertThat(head.chunked()).isTrue();
            byte[] firstChunk = new byte["5\r\nfirst\r\n".length()];
            raw.readSome(firstChunk);
            assertThat(new String(firstChunk, StandardCharsets.US_ASCII)).isEqualTo("5\r\nfirst\r\n");
            firstChunkSeen.countDown();

            byte[] rest = new byte["6\r\nsecond\r\n0\r\n\r\n".length()];
            raw.readSome(rest);
            assertThat(new String(rest, StandardCharsets.US_ASCII)).isEqualTo("6\r\nsecond\r\n0\r\n\r\n");
        }
    }

    @Test
    void theWriterWaitsWhileTheClientDoesNotRead() throws Exception {
        try (RawHttp raw = RawHttp.connect(client.port(), 64 * 1024)) {
            raw.send(RawHttp.get("/counted/256"));
            raw.readHead();
            long stalled = awaitNoProgress();

            // What is buffered is bounded by the socket buffers and the channel's high-water
            // mark, not by the body's 256 MiB.
            assertThat(stalled).isLessThan(32L * MIB);

            long total = 0;
            byte[] buffer = new byte[256 * 1024];
            int n;
            while ((n = raw.readSome(buffer)) > 0) {
                total += n;
                if (total >= 256L * MIB) {
                    break;
                }
            }
            assertThat(total).isEqualTo(256L * MIB);
        }
    }

    /**
     * A 1 GiB body passes with the server never more than a few MiB ahead of the client: the
     * writer's position minus the client's, sampled as it reads, stays bounded.
     */
    @Test
    void aGibibyteStreamsWithBoundedBuffering() throws Exception {
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            HttpResponse<InputStream> response = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + client.port() + "/counted/1024")).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            StreamingResponseTest.Lead lead = StreamingResponseTest.readTracking(response.body(), produced);

            assertThat(lead.received()).isEqualTo(1024L * MIB);
            assertThat(lead.mostAhead()).isLessThan(32L * MIB);
        }
    }

    @Test
    void aWriterThatFailsAfterSendingCutsTheBodyOff() throws IOException {
        try (RawHttp raw = RawHttp.connect(client.port())) {
            raw.send(RawHttp.get("/fails-late"));
            RawHttp.Response head = raw.readHead();
            assertThat(head.status()).isEqualTo(200);

            byte[] rest = new byte[1024 * 1024];
            int n = raw.readSome(rest);
            // The connection closed without the terminating zero-length chunk.
            assertThat(n).isLessThan(rest.length);
            assertThat(new String(rest, 0, n, StandardCharsets.ISO_8859_1)).doesNotEndWith("0\r\n\r\n");
        }
        assertThat(client.get("/small").body()).isEqualTo("small");
    }

    @Test
    void aSourceFailingMidBodyIsLoggedAsAnErrorButAClientLeavingIsNot() throws Exception {
        try (LogCapture log = new LogCapture("dev.weft")) {
            try (RawHttp raw = RawHttp.connect(client.port(), 64 * 1024)) {
                raw.send(RawHttp.get("/endless"));
                raw.readHead();
            }
            assertThat(writerOutcome.get(10, TimeUnit.SECONDS)).startsWith("failed");
            assertThat(log.messagesAtLeast(ch.qos.logback.classic.Level.WARN)).isEmpty();

            try (RawHttp raw = RawHttp.connect(client.port())) {
                raw.send(RawHttp.get("/source-fails"));
                raw.readHead();
                raw.readSome(new byte[1024 * 1024]); // to the cut
            }
            assertThat(log.messagesAtLeast(ch.qos.logback.classic.Level.ERROR))
                    .anySatisfy(m -> assertThat(m).contains("GET /source-fails failed after"));
        }
    }

    @Test
    void aClientThatLeavesMidBodyStopsTheWriterAndFreesItsSlot() throws Exception {
        try (TestClient single = TestClient.start(app(), Server.builder().maxInFlight(1))) {
            try (RawHttp raw = RawHttp.connect(single.port(), 64 * 1024)) {
                raw.send(RawHttp.get("/endless"));
                raw.readHead();
            }
            assertThat(writerOutcome.get(10, TimeUnit.SECONDS)).startsWith("failed");
            // The only in-flight slot: had the stream kept it, this would be refused with 503.
            assertThat(awaitStatus(single, "/small")).isEqualTo(200);
        }
    }

    /**
     * A writer whose client stops reading (but keeps the connection open) fails after
     * {@code writeTimeout} instead of holding its thread and in-flight slot forever.
     */
    @Test
    void aStreamToAClientThatStopsReadingEndsAfterTheWriteTimeout() throws Exception {
        try (TestClient single = TestClient.start(app(), Server.builder().maxInFlight(1)
                .writeTimeout(java.time.Duration.ofMillis(300)));
                RawHttp raw = RawHttp.connect(single.port(), 64 * 1024)) {
            raw.send(RawHttp.get("/endless"));
            raw.readHead(); // and nothing more, with the connection left open

            assertThat(writerOutcome.get(10, TimeUnit.SECONDS)).startsWith("failed");
            assertThat(awaitStatus(single, "/small")).isEqualTo(200);
        }
    }

    /**
     * The status of {@code GET path}, retried briefly while it is 503: the slot of a failed
     * writer is freed on the event loop just after the writer learns of the failure.
     */
    private static int awaitStatus(TestClient client, String path) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        int status;
        while ((status = client.get(path).status()) == 503 && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        return status;
    }

    @Test
    void aWriterMayReadTheRequestBodyWhileItWrites() throws Exception {
        byte[] body = StreamingResponseTest.pattern(8 * MIB);
        try (RawHttp raw = RawHttp.connect(client.port())) {
            // Far more than either side buffers: the echo only completes if reading and writing interleave.
            byte[] head = RawHttp.request("POST", "/echo", "HTTP/1.1", "Content-Length: " + body.length)
                    .getBytes(StandardCharsets.ISO_8859_1);
            byte[] request = java.util.Arrays.copyOf(head, head.length + body.length);
            System.arraycopy(body, 0, request, head.length, body.length);
            CompletableFuture<Void> sent = raw.sendInBackground(request);
            RawHttp.Response echoed = raw.read();

            assertThat(echoed.status()).isEqualTo(200);
            assertThat(echoed.body()).isEqualTo(body);
            sent.get(10, TimeUnit.SECONDS);
        }
    }

    /** Waits until {@link #produced} stops growing for a while; returns its value. */
    private long awaitNoProgress() throws InterruptedException {
        long last = -1;
        long now = produced.get();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (now != last && System.nanoTime() < deadline) {
            last = now;
            Thread.sleep(300);
            now = produced.get();
        }
        return now;
    }
}
