package dev.weft.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.routing.Router;
import dev.weft.server.Server;
import dev.weft.sse.Event;
import dev.weft.sse.Sse;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Event streams on the HTTP/1.1 wire, read from a raw socket: the exact head, one chunk per
 * event (flushed as sent), keep-alive comments and their timing, the terminating chunk, a
 * request deadline that does not cut a stream, and a client that stops reading being cut off.
 */
class SseWireTest {
    private final CountDownLatch release = new CountDownLatch(1);
    private final CountDownLatch producerStopped = new CountDownLatch(1);
    private final AtomicReference<Throwable> producerSaw = new AtomicReference<>();
    private TestClient client;

    private Router app() {
        return Router.builder()
                .get("/two", () -> Sse.stream(java.util.stream.Stream.of(
                        Event.data("one").withId("1"), Event.data("two\nlines").withEvent("multi"))))
                .get("/quiet", () -> Sse.options().keepAlive(Duration.ofMillis(300)).emit(emitter -> {
                    emitter.send("hello");
                    release.await();
                }))
                .get("/chatty", () -> Sse.options().keepAlive(Duration.ofSeconds(2)).emit(emitter -> {
                    for (int i = 0; i < 10; i++) {
                        emitter.send("tick " + i);
                        Thread.sleep(100);
                    }
                }))
                .get("/slow", () -> Sse.options().keepAlive(Duration.ZERO).emit(emitter -> {
                    for (int i = 0; i < 3; i++) {
                        Thread.sleep(400);
                        emitter.send("late " + i);
                    }
                }))
                .get("/flood", () -> Sse.emit(emitter -> {
                    String big = "x".repeat(60_000);
                    try {
                        while (true) {
                            emitter.send(big);
                        }
                    } catch (IOException e) {
                        producerSaw.set(e);
                        producerStopped.countDown();
                    }
                }))
                .build();
    }

    @AfterEach
    void stop() {
        release.countDown();
        if (client != null) {
            client.close();
        }
    }

    /** A raw HTTP/1.1 connection that reads the response head and then one chunk at a time. */
    private static final class Wire implements AutoCloseable {
        final Socket socket = new Socket();
        final InputStream in;

        Wire(int port, String target) throws IOException {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nhost: localhost\r\n"
                    + "accept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            in = new BufferedInputStream(socket.getInputStream());
        }

        /** The head's lines, up to the blank line. */
        List<String> head() throws IOException {
            List<String> lines = new ArrayList<>();
            for (String line; !(line = line()).isEmpty(); ) {
                lines.add(line);
            }
            return lines;
        }

        /** The next chunk's payload; empty for the terminating chunk. */
        String chunk() throws IOException {
            int size = Integer.parseInt(line(), 16);
            byte[] data = in.readNBytes(size);
            if (data.length < size) {
                throw new EOFException("cut inside a chunk");
            }
            if (!line().isEmpty()) { // after the last chunk: the end of (no) trailers
                throw new IOException("a chunk without its CRLF, or trailers");
            }
            return new String(data, StandardCharsets.UTF_8);
        }

        String line() throws IOException {
            StringBuilder line = new StringBuilder();
            for (int c; (c = in.read()) != '\n'; ) {
                if (c < 0) {
                    throw new EOFException("closed after '" + line + "'");
                }
                line.append((char) c);
            }
            assertThat(line.toString()).endsWith("\r");
            return line.substring(0, line.length() - 1);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    @Test
    void the_head_is_exact_and_each_event_is_its_own_chunk_then_the_last_chunk() throws IOException {
        client = TestClient.start(app());
        try (Wire wire = new Wire(client.port(), "/two")) {
            List<String> head = wire.head();
            assertThat(head.getFirst()).isEqualTo("HTTP/1.1 200 OK");
            assertThat(head).contains("content-type: text/event-stream", "cache-control: no-cache",
                    "x-accel-buffering: no", "transfer-encoding: chunked");
            assertThat(head).noneMatch(h -> h.startsWith("content-length") || h.startsWith("connection"));
            assertThat(wire.chunk()).isEqualTo("id: 1\ndata: one\n\n");
            assertThat(wire.chunk()).isEqualTo("event: multi\ndata: two\ndata: lines\n\n");
            assertThat(wire.chunk()).isEmpty();
        }
    }

    @Test
    void a_keep_alive_comment_follows_the_interval_without_an_event() throws IOException {
        client = TestClient.start(app());
        long asked = System.nanoTime(); // the event cannot be sent before the request is
        try (Wire wire = new Wire(client.port(), "/quiet")) {
            wire.head();
            assertThat(wire.chunk()).isEqualTo("data: hello\n\n");
            assertThat(wire.chunk()).isEqualTo(":\n\n");
            // Never before the interval; the upper bound is generous for a loaded machine.
            assertThat(Duration.ofNanos(System.nanoTime() - asked)).isGreaterThanOrEqualTo(Duration.ofMillis(300))
                    .isLessThan(Duration.ofSeconds(5));
            assertThat(wire.chunk()).isEqualTo(":\n\n");
            release.countDown();
            assertThat(wire.chunk()).isEmpty();
        }
    }

    @Test
    void each_event_restarts_the_keep_alive_wait() throws IOException {
        client = TestClient.start(app());
        try (Wire wire = new Wire(client.port(), "/chatty")) {
            wire.head();
            for (int i = 0; i < 10; i++) {
                assertThat(wire.chunk()).isEqualTo("data: tick " + i + "\n\n"); // events 100 ms apart: no comment between
            }
            assertThat(wire.chunk()).isEmpty();
        }
    }

    @Test
    void a_request_deadline_does_not_cut_a_stream() throws IOException {
        client = TestClient.start(app(), Server.builder().requestTimeout(Duration.ofMillis(200)));
        try (Wire wire = new Wire(client.port(), "/slow")) {
            assertThat(wire.head().getFirst()).isEqualTo("HTTP/1.1 200 OK");
            for (int i = 0; i < 3; i++) {
                assertThat(wire.chunk()).isEqualTo("data: late " + i + "\n\n");
            }
            assertThat(wire.chunk()).isEmpty();
        }
    }

    @Test
    void a_client_that_stops_reading_is_cut_off_after_the_write_timeout() throws Exception {
        client = TestClient.start(app(), Server.builder().writeTimeout(Duration.ofSeconds(1)));
        try (Socket socket = new Socket()) {
            socket.setReceiveBufferSize(4096);
            socket.connect(new InetSocketAddress("127.0.0.1", client.port()), 5_000);
            socket.getOutputStream().write("GET /flood HTTP/1.1\r\nhost: localhost\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            // Reads nothing: the server's buffers fill, the writer stalls, the stall timeout cuts it.
            assertThat(producerStopped.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(producerSaw.get()).isInstanceOf(IOException.class);
            socket.setSoTimeout(10_000);
            byte[] sink = new byte[65536];
            try {
                while (socket.getInputStream().read(sink) >= 0) {
                    // drain until the server's close arrives
                }
            } catch (SocketException reset) {
                // closed with unread data: a reset is a close too
            }
        }
    }
}
