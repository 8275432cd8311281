package dev.weft.test;

import static dev.weft.test.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.extract.Body;
import dev.weft.routing.Handler;
import dev.weft.routing.Router;
import dev.weft.server.Server;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Slow request bodies on HTTP/1.1 (issue #8, class 7): a body trickled below
 * {@code minBodyBytesPerSecond} once {@code bodyRateGrace} has passed, or still arriving at
 * {@code bodyDeadline}, gets one 408 problem and a close, while other connections are served. A
 * trickle never pauses long enough for {@code bodyTimeout}, so only these stop it. Time the
 * server holds the body back (its handler is behind) does not count. (HTTP/2:
 * {@link Http2SlowBodyTest}.)
 */
class SlowBodyTest {
    private final List<AutoCloseable> open = new ArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);

    private TestClient start(Server.Builder options) {
        TestClient server = TestClient.start(Router.builder()
                .get("/", () -> "root")
                .post("/echo", Handler.of(Body.bytes(), bytes -> bytes).bodyLimit(8L * 1024 * 1024))
                .post("/late", Handler.of(Body.stream(), in -> {
                    release.await(); // reads nothing until released: the server holds the body back
                    return Long.toString(in.transferTo(OutputStream.nullOutputStream()));
                }).bodyLimit(64L * 1024 * 1024))
                .build(), options);
        open.add(server);
        return server;
    }

    private RawHttp connect(TestClient server) throws IOException {
        RawHttp connection = RawHttp.connect(server.port());
        open.add(connection);
        return connection;
    }

    @AfterEach
    void close() throws Exception {
        release.countDown();
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
    }

    /** Sends {@code piece} every {@code everyMillis} until the server answers (or 200 pieces). */
    private static RawHttp.Response trickle(RawHttp connection, String piece, int everyMillis) throws IOException {
        for (int i = 0; i < 200; i++) {
            if (!connection.readsNothingWithin(everyMillis)) {
                return connection.read();
            }
            try {
                connection.send(piece);
            } catch (IOException closedMeanwhile) {
                return connection.read();
            }
        }
        throw new AssertionError("the trickled body was never cut off");
    }

    private static void assertServed(TestClient server) throws IOException {
        try (RawHttp other = RawHttp.connect(server.port())) {
            assertThat(other.send(RawHttp.get("/")).read().text()).isEqualTo("root");
        }
    }

    @Test
    void a_content_length_body_trickled_below_the_minimum_rate_gets_408_and_a_close() throws Exception {
        TestClient server = start(Server.builder().minBodyBytesPerSecond(100).bodyRateGrace(Duration.ofMillis(500)));
        RawHttp slow = connect(server);
        long started = System.nanoTime();

        slow.send(RawHttp.request("POST", "/echo", "HTTP/1.1", "Content-Length: 1000"));
        RawHttp.Response response = trickle(slow, "x", 100); // 10 B/s, never 100 ms without a byte

        assertProblem(response, 408);
        assertThat(response.text()).contains("100 bytes per second");
        assertThat(response.connectionHas("close")).isTrue();
        assertThat(slow.closedByServer()).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        assertServed(server);
    }

    @Test
    void a_chunked_body_trickled_one_chunk_at_a_time_gets_408() throws Exception {
        TestClient server = start(Server.builder().minBodyBytesPerSecond(100).bodyRateGrace(Duration.ofMillis(500)));
        RawHttp slow = connect(server);

        slow.send(RawHttp.request("POST", "/echo", "HTTP/1.1", "Transfer-Encoding: chunked"));
        RawHttp.Response response = trickle(slow, "1\r\nx\r\n", 100);

        assertProblem(response, 408);
        assertThat(slow.closedByServer()).isTrue();
    }

    @Test
    void a_body_still_arriving_at_the_body_deadline_gets_408_however_fast_it_comes() throws Exception {
        TestClient server = start(Server.builder().minBodyBytesPerSecond(0).bodyDeadline(Duration.ofSeconds(1)));
        RawHttp connection = connect(server);
        long started = System.nanoTime();

        connection.send(RawHttp.request("POST", "/echo", "HTTP/1.1", "Content-Length: 1000000"));
        RawHttp.Response response = trickle(connection, "x".repeat(1000), 50); // 20 kB/s, but too long

        assertProblem(response, 408);
        assertThat(response.text()).contains("1000 ms");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void many_slow_bodies_at_once_are_all_cut_off_and_the_server_still_serves() throws Exception {
        TestClient server = start(Server.builder().minBodyBytesPerSecond(1000).bodyRateGrace(Duration.ofMillis(300)));
        List<RawHttp> slow = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            RawHttp c = connect(server);
            c.send(RawHttp.request("POST", "/echo", "HTTP/1.1", "Content-Length: 100000") + "x");
            slow.add(c);
        }
        assertServed(server);
        for (RawHttp c : slow) {
            assertProblem(c.read(), 408); // none sends another byte: each is cut off within a check or two
        }
        assertServed(server);
    }

    @Test
    void a_body_at_a_good_rate_is_not_cut_off() throws Exception {
        TestClient server = start(Server.builder().minBodyBytesPerSecond(100).bodyRateGrace(Duration.ofMillis(500)));
        RawHttp connection = connect(server);
        String piece = "y".repeat(100);

        connection.send(RawHttp.request("POST", "/echo", "HTTP/1.1", "Content-Length: 2000"));
        for (int i = 0; i < 19; i++) {
            assertThat(connection.readsNothingWithin(100)).isTrue(); // 1000 B/s for 1.9 s
            connection.send(piece);
        }
        RawHttp.Response response = connection.send(piece).read();

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).hasSize(2000);
    }

    @Test
    void time_the_handler_does_not_read_does_not_count_against_the_rate() throws Exception {
        TestClient server = start(Server.builder().minBodyBytesPerSecond(100_000).bodyRateGrace(Duration.ofMillis(300)));
        RawHttp connection = RawHttp.connect(server.port(), 64 * 1024);
        open.add(connection);
        int size = 4 * 1024 * 1024; // far more than the server queues and the kernel buffers
        connection.send(RawHttp.request("POST", "/late", "HTTP/1.1", "Content-Length: " + size));
        Thread writer = Thread.ofVirtual().start(() -> {
            try {
                connection.send(new byte[size]); // blocks while the server holds the body back
            } catch (IOException ignored) {
                // the assertion below reports it
            }
        });
        // The handler reads nothing for 2 s: far below 100 kB/s if that counted.
        assertThat(connection.readsNothingWithin(2_000)).isTrue();
        release.countDown();
        writer.join(10_000);

        RawHttp.Response response = connection.read();

        assertThat(response.text()).isEqualTo(Integer.toString(size));
    }
}
