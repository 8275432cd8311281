package dev.weft.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.response.Response;
import dev.weft.routing.Router;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code Response.ndjson} and {@code Response.jsonArray} over real sockets: an item reaches the
 * client while the producer is still blocked on the next one (a live feed), yet a fast producer's
 * items still go out in whole chunks, not one write per item.
 */
class StreamedListPacingTest {
    public record N(int n) {}

    /** Two items; the second is produced only once the test has read the first. */
    static final class Gated implements Iterator<N>, AutoCloseable {
        final CountDownLatch firstRead = new CountDownLatch(1);
        final AtomicBoolean closed = new AtomicBoolean();
        private int next = 1;

        @Override
        public boolean hasNext() {
            if (next == 2) {
                try {
                    // Bounded, so a server that never sends item 1 fails the test rather than hanging it.
                    firstRead.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return next <= 2;
        }

        @Override
        public N next() {
            if (next > 2) {
                throw new NoSuchElementException();
            }
            return new N(next++);
        }

        @Override
        public void close() {
            closed.set(true);
        }
    }

    private final Gated lines = new Gated();
    private final Gated array = new Gated();
    private TestClient client;

    private Router app() {
        return Router.builder()
                .get("/lines", () -> Response.ndjson(lines))
                .get("/live-array", () -> {
                    Iterator<N> source = array;
                    return Response.jsonArray(Stream.generate(() -> 0).takeWhile(x -> source.hasNext())
                            .map(x -> source.next()).onClose(array::close));
                })
                .get("/fast/{count}", dev.weft.extract.PathParam.of("count", Integer.class),
                        count -> Response.ndjson(IntStream.range(0, count).mapToObj(N::new)))
                .build();
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
    }

    @Test
    void over_http1_an_ndjson_item_arrives_before_the_producer_makes_the_next() throws IOException {
        client = TestClient.start(app());
        try (RawHttp raw = RawHttp.connect(client.port())) {
            raw.send(RawHttp.get("/lines"));
            RawHttp.Response head = raw.readHead();
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.chunked()).isTrue();
            assertThat(readChunk(raw)).isEqualTo("{\"n\":1}\n");
            lines.firstRead.countDown();
            assertThat(readChunk(raw) + readChunk(raw)).isEqualTo("{\"n\":2}\n");
        }
        assertThat(lines.closed).isTrue();
    }

    @Test
    void over_http2_an_ndjson_item_arrives_before_the_producer_makes_the_next() throws IOException {
        client = TestClient.startHttp2(app());
        try (RawHttp2 raw = RawHttp2.connect(client.port())) {
            raw.get(1, "/lines");
            raw.await(f -> f instanceof RawHttp2.HeadersFrame h && h.stream() == 1);
            assertThat(readData(raw, "{\"n\":1}\n".length())).isEqualTo("{\"n\":1}\n");
            lines.firstRead.countDown();
            assertThat(readData(raw, "{\"n\":2}\n".length())).isEqualTo("{\"n\":2}\n");
        }
    }

    @Test
    void a_json_array_element_arrives_before_the_producer_makes_the_next() throws IOException {
        client = TestClient.start(app());
        try (RawHttp raw = RawHttp.connect(client.port())) {
            raw.send(RawHttp.get("/live-array"));
            assertThat(raw.readHead().chunked()).isTrue();
            assertThat(readChunk(raw)).isEqualTo("[{\"n\":1}");
            array.firstRead.countDown();
            assertThat(readChunk(raw) + readChunk(raw)).isEqualTo(",{\"n\":2}]");
        }
        assertThat(array.closed).isTrue();
    }

    @Test
    void a_client_that_leaves_while_the_producer_blocks_ends_the_body_and_closes_the_source() throws Exception {
        client = TestClient.start(app());
        try (RawHttp raw = RawHttp.connect(client.port())) {
            raw.send(RawHttp.get("/lines"));
            raw.readHead();
            assertThat(readChunk(raw)).isEqualTo("{\"n\":1}\n");
            raw.abort(); // gone while the producer is still blocked on item 2
        }
        lines.firstRead.countDown();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!lines.closed.get() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(lines.closed).isTrue();
        assertThat(client.get("/fast/3").body()).isEqualTo("{\"n\":0}\n{\"n\":1}\n{\"n\":2}\n"); // server fine
    }

    @Test
    void a_fast_producer_fills_whole_chunks_rather_than_sending_each_item() throws IOException {
        client = TestClient.start(app());
        try (RawHttp raw = RawHttp.connect(client.port())) {
            raw.send(RawHttp.get("/fast/20000")); // about 200 KiB: a dozen 16 KiB chunks
            assertThat(raw.readHead().chunked()).isTrue();
            int chunks = 0;
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            for (String chunk; !(chunk = readChunk(raw)).isEmpty(); chunks++) {
                body.writeBytes(chunk.getBytes(StandardCharsets.UTF_8));
            }
            String[] items = body.toString(StandardCharsets.UTF_8).split("\n");
            assertThat(items).hasSize(20_000);
            assertThat(items[19_999]).isEqualTo("{\"n\":19999}");
            // One flush per 5 ms at most besides the full chunks: far from one per item.
            assertThat(chunks).isLessThan(2_000);
        }
    }

    /** One chunk of a chunked body: its data, empty for the last chunk. */
    private static String readChunk(RawHttp raw) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        byte[] one = new byte[1];
        while (raw.readSome(one) == 1 && one[0] != '\n') {
            line.write(one[0]);
        }
        int size = Integer.parseInt(line.toString(StandardCharsets.US_ASCII).strip(), 16);
        byte[] data = new byte[size + 2];
        raw.readSome(data);
        return new String(data, 0, size, StandardCharsets.UTF_8);
    }

    /** {@code length} bytes of DATA on stream 1. */
    private static String readData(RawHttp2 raw, int length) throws IOException {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        while (data.size() < length) {
            var frame = (RawHttp2.DataFrame) raw.await(f -> f instanceof RawHttp2.DataFrame d && d.stream() == 1);
            data.writeBytes(frame.bytes());
        }
        return data.toString(StandardCharsets.UTF_8);
    }
}
