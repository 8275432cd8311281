package dev.weft.test;

import static dev.weft.test.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.extract.Body;
import dev.weft.routing.Handler;
import dev.weft.routing.Router;
import dev.weft.server.Server;
import java.io.EOFException;
import java.io.IOException;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The connection deadlines: request head ({@code requestHeadTimeout}), keep-alive idle
 * ({@code idleTimeout}), request body ({@code bodyTimeout}), response write
 * ({@code writeTimeout}) and the optional handler deadline ({@code requestTimeout}).
 *
 * <p>Each test configures the deadline under test short ({@link #SHORT}) and the others long,
 * so only one of them can fire. Outcomes are asserted with generous upper bounds (the
 * {@link RawHttp#TIMEOUT_MS} read timeout, {@link #BOUND_SECONDS}) and, where it proves which
 * deadline fired, the lower bound that the server did not answer before the deadline; never
 * that something happened quickly. Every test also checks that the server goes on serving
 * other connections. The server runs one event loop, so a connection waiting out a deadline
 * shares it with the other connections.
 */
class TimeoutTest {
    private static final Duration SHORT = Duration.ofMillis(300);
    private static final Duration LONG = Duration.ofSeconds(60);
    private static final long BOUND_SECONDS = 10;
    /** A response far larger than the socket buffers of both ends; built once, shared by all requests. */
    private static final byte[] BIG = bigBody(64 * 1024 * 1024);

    /** Counted down when the /stuck handler starts. */
    private final CountDownLatch stuckEntered = new CountDownLatch(1);
    /** Counted down when the /stuck handler's wait is interrupted. */
    private final CountDownLatch stuckInterrupted = new CountDownLatch(1);
    /** Never counted down by a test: /stuck waits on it until interrupted (or {@link #stop()}). */
    private final CountDownLatch never = new CountDownLatch(1);
    /** Counted down when the /big handler has returned its body. */
    private final CountDownLatch bigServed = new CountDownLatch(1);
    /** How many requests /stuck answered normally. */
    private final AtomicInteger stuckCompleted = new AtomicInteger();
    private TestClient client;

    private final Router app = Router.builder()
            .get("/", () -> "root")
            .post("/bytes", Body.bytes(), bytes -> "got " + bytes.length)
            .get("/stuck", () -> {
                stuckEntered.countDown();
                try {
                    never.await();
                } catch (InterruptedException e) {
                    stuckInterrupted.countDown();
                    throw e;
                }
                stuckCompleted.incrementAndGet();
                return "finished";
            })
            .get("/second", () -> {
                Thread.sleep(1_000);
                return "slept";
            })
            .get("/big", Handler.of(() -> {
                bigServed.countDown();
                return BIG;
            }))
            .build();

    @AfterEach
    void stop() {
        never.countDown();
        if (client != null) {
            client.close();
        }
    }

    /** Every deadline long, on one event loop; each test shortens the one it is about. */
    private static Server.Builder options() {
        return Server.builder()
                .ioThreads(1)
                .requestHeadTimeout(LONG)
                .idleTimeout(LONG)
                .bodyTimeout(LONG)
                .writeTimeout(LONG);
    }

    private void start(Server.Builder options) {
        client = TestClient.start(app, options);
    }

    @Test
    void a_connection_that_sends_nothing_gets_408_and_is_closed_after_the_request_head_timeout() throws Exception {
        start(options().requestHeadTimeout(SHORT));
        long started = System.nanoTime();
        try (RawHttp silent = RawHttp.connect(client.port())) {
            assertServesAnotherConnection();

            RawHttp.Response response = silent.read();

            assertNotBefore(started, SHORT);
            assertProblem(response, 408);
            assertThat(response.connectionHas("close")).as("connection header of %s", response).isTrue();
            assertThat(silent.closedByServer()).isTrue();
        }
        assertServesAnotherConnection();
    }

    @Test
    void a_partial_request_head_gets_408_and_is_closed_after_the_request_head_timeout() throws Exception {
        start(options().requestHeadTimeout(SHORT));
        try (RawHttp slow = RawHttp.connect(client.port())) {
            long started = System.nanoTime();
            slow.send("GET / HTTP/1.1\r\nHost: x\r\n"); // the empty line that ends the head never comes
            assertServesAnotherConnection();

            RawHttp.Response response = slow.read();

            assertNotBefore(started, SHORT);
            assertProblem(response, 408);
            assertThat(response.connectionHas("close")).as("connection header of %s", response).isTrue();
            assertThat(slow.closedByServer()).isTrue();
        }
        assertServesAnotherConnection();
    }

    @Test
    void a_request_head_trickled_a_byte_at_a_time_gets_408_although_bytes_keep_arriving() throws Exception {
        // Slowloris proper: every byte is new activity, but the head deadline runs from the first
        // byte to the end of the head and is not re-armed by each byte.
        start(options().requestHeadTimeout(SHORT));
        try (RawHttp slow = RawHttp.connect(client.port())) {
            Thread trickler = Thread.ofPlatform().daemon().name("trickler").start(() -> trickle(slow));
            try {
                assertServesAnotherConnection();

                RawHttp.Response response = slow.read();

                assertProblem(response, 408);
                assertThat(response.connectionHas("close")).as("connection header of %s", response).isTrue();
                assertThat(slow.closedByServer()).isTrue();
            } finally {
                trickler.interrupt();
                assertThat(trickler.join(Duration.ofSeconds(BOUND_SECONDS))).isTrue();
            }
        }
        assertServesAnotherConnection();
    }

    /** Writes a request head that never ends, one byte every 20 ms, for at most 10 s or until a write fails. */
    private static void trickle(RawHttp connection) {
        byte[] head = ("GET / HTTP/1.1\r\nHost: x\r\nX-Slow: " + "s".repeat(480)).getBytes(StandardCharsets.US_ASCII);
        for (byte b : head) {
            try {
                connection.send(new byte[] {b});
                Thread.sleep(20);
            } catch (IOException | InterruptedException stop) {
                return;
            }
        }
    }

    @Test
    void the_request_head_timeout_also_applies_to_the_next_request_on_a_keep_alive_connection() throws Exception {
        start(options().requestHeadTimeout(SHORT));
        try (RawHttp connection = RawHttp.connect(client.port())) {
            RawHttp.Response first = connection.send(RawHttp.get("/")).read();
            assertThat(first.status()).isEqualTo(200);
            assertThat(first.connectionHas("close")).isFalse();
            long started = System.nanoTime();
            connection.send("GET / HTTP/1.1\r\nHost: x\r\n");

            RawHttp.Response response = connection.read();

            assertNotBefore(started, SHORT);
            assertProblem(response, 408);
            assertThat(connection.closedByServer()).isTrue();
        }
        assertServesAnotherConnection();
    }

    @Test
    void an_idle_keep_alive_connection_is_closed_without_a_response_after_the_idle_timeout() throws Exception {
        start(options().idleTimeout(SHORT));
        try (RawHttp connection = RawHttp.connect(client.port())) {
            long sent = System.nanoTime(); // before the server's idle deadline was armed
            RawHttp.Response response = connection.send(RawHttp.get("/")).read();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.connectionHas("close")).isFalse();
            assertServesAnotherConnection();

            // closedByServer() fails the test if any byte (a 408, say) arrives instead of the end of stream.
            assertThat(connection.closedByServer()).isTrue();
            assertNotBefore(sent, SHORT);
        }
        assertServesAnotherConnection();
    }

    @Test
    void a_keep_alive_connection_used_within_the_idle_timeout_stays_open() throws Exception {
        // The idle deadline is re-armed after each exchange: eight exchanges, each after a pause
        // of a fifth of the idle timeout, all on one connection that lives longer than the timeout.
        Duration idle = Duration.ofSeconds(1);
        start(options().idleTimeout(idle));
        try (RawHttp connection = RawHttp.connect(client.port())) {
            for (int i = 0; i < 8; i++) {
                RawHttp.Response response = connection.send(RawHttp.get("/")).read();
                assertThat(response.status()).isEqualTo(200);
                assertThat(response.connectionHas("close")).isFalse();
                Thread.sleep(idle.toMillis() / 5);
            }
        }
    }

    @Test
    void a_body_that_stalls_gets_408_with_connection_close_after_the_body_timeout() throws Exception {
        start(options().bodyTimeout(SHORT));
        try (RawHttp stalled = RawHttp.connect(client.port())) {
            long started = System.nanoTime();
            stalled.send(RawHttp.request("POST", "/bytes", "HTTP/1.1", "Content-Length: 100") + "0123456789");
            assertServesAnotherConnection();

            RawHttp.Response response = stalled.read();

            assertNotBefore(started, SHORT);
            assertProblem(response, 408);
            assertThat(response.connectionHas("close")).as("connection header of %s", response).isTrue();
            assertThat(stalled.closedByServer()).isTrue();
        }
        assertServesAnotherConnection();
    }

    @Test
    void a_body_that_keeps_arriving_is_not_cut_by_the_body_timeout() throws Exception {
        // The body deadline bounds each pause, not the whole body: ten pieces, each sent after a
        // pause of a fifth of the body timeout, so the body takes twice the timeout to arrive.
        Duration body = Duration.ofSeconds(1);
        start(options().bodyTimeout(body));
        try (RawHttp connection = RawHttp.connect(client.port())) {
            connection.send(RawHttp.request("POST", "/bytes", "HTTP/1.1", "Content-Length: 100"));
            for (int i = 0; i < 10; i++) {
                Thread.sleep(body.toMillis() / 5);
                connection.send("0123456789");
            }

            RawHttp.Response response = connection.read();

            assertThat(response.status()).as("status of %s", response).isEqualTo(200);
            assertThat(response.text()).isEqualTo("got 100");
            assertThat(response.connectionHas("close")).isFalse();
        }
    }

    @Test
    void a_handler_slower_than_the_request_timeout_gets_503_its_thread_interrupted_and_the_connection_closed()
            throws Exception {
        start(options().requestTimeout(SHORT));
        try (RawHttp connection = RawHttp.connect(client.port())) {
            long started = System.nanoTime();
            connection.send(RawHttp.get("/stuck"));
            assertThat(stuckEntered.await(BOUND_SECONDS, TimeUnit.SECONDS)).isTrue();
            assertServesAnotherConnection();

            RawHttp.Response response = connection.read();

            assertNotBefore(started, SHORT);
            assertProblem(response, 503);
            assertThat(response.header("retry-after")).as("retry-after of %s", response).isPresent();
            assertThat(response.connectionHas("close")).as("connection header of %s", response).isTrue();
            assertThat(connection.closedByServer()).isTrue();
            assertThat(stuckInterrupted.await(BOUND_SECONDS, TimeUnit.SECONDS))
                    .as("the handler's thread was interrupted").isTrue();
            assertThat(stuckCompleted).hasValue(0);
        }
        assertServesAnotherConnection();
    }

    @Test
    void without_a_request_timeout_a_handler_taking_a_second_is_answered_normally() throws Exception {
        start(Server.builder().ioThreads(1)); // requestTimeout is zero (off) by default
        try (RawHttp connection = RawHttp.connect(client.port())) {
            connection.send(RawHttp.get("/second"));
            assertServesAnotherConnection();

            RawHttp.Response response = connection.read();

            assertThat(response.status()).as("status of %s", response).isEqualTo(200);
            assertThat(response.text()).isEqualTo("slept");
            assertThat(response.connectionHas("close")).isFalse();
            assertThat(connection.send(RawHttp.get("/")).read().text()).isEqualTo("root");
        }
    }

    @Test
    void a_client_that_never_reads_a_large_response_is_disconnected_after_the_write_timeout() throws Exception {
        // maxConnections(1) makes the server's close observable without reading: a probe
        // connection is refused (503) while the stalled one is open and served once it is closed.
        start(options().writeTimeout(SHORT).maxConnections(1));
        try (RawHttp stalled = RawHttp.connect(client.port())) {
            stalled.send(RawHttp.get("/big"));
            assertThat(bigServed.await(BOUND_SECONDS, TimeUnit.SECONDS)).isTrue();
            // From here on, the test reads nothing from the stalled connection until the server gave up.

            RawHttp.Response probe = awaitServedDespiteConnectionLimit();

            assertThat(probe.status()).as("a connection after the stalled one was closed: %s", probe).isEqualTo(200);
            assertThatThrownBy(stalled::read)
                    .as("reading the stalled response ends before its %d bytes", BIG.length)
                    .isInstanceOfAny(EOFException.class, SocketException.class);
        }
    }

    @Test
    void other_connections_are_served_while_a_response_write_is_stalled() throws Exception {
        start(options()); // a write timeout of a minute: the write stays stalled while the test runs
        try (RawHttp stalled = RawHttp.connect(client.port())) {
            stalled.send(RawHttp.get("/big"));
            RawHttp.Response head = stalled.readHead();
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("content-length")).contains(Integer.toString(BIG.length));

            // The same (single) event loop holds the stalled write and serves these.
            for (int i = 0; i < 3; i++) {
                assertServesAnotherConnection();
            }
        }
    }

    @Test
    void a_client_that_reads_a_large_response_slowly_but_steadily_receives_all_of_it() throws Exception {
        // The write timeout bounds a stall, not the whole transfer (Server: "longest a response
        // write may stall on a client that does not read"). The client reads 64 KiB, then pauses
        // 2 ms, so the transfer takes longer than the write timeout while no pause comes near it.
        // A small receive buffer keeps the kernel from absorbing the response on the client's behalf.
        Duration write = Duration.ofSeconds(1);
        start(options().writeTimeout(write));
        try (RawHttp reader = RawHttp.connect(client.port(), 256 * 1024)) {
            long started = System.nanoTime();
            reader.send(RawHttp.get("/big"));
            RawHttp.Response head = reader.readHead();
            assertThat(head.status()).isEqualTo(200);

            long received = 0;
            byte[] buffer = new byte[64 * 1024];
            for (int i = 0; i <= BIG.length / buffer.length && received < BIG.length; i++) {
                int n = reader.readSome(buffer);
                received += n;
                if (n < buffer.length) {
                    break; // end of stream
                }
                Thread.sleep(2);
            }

            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            assertThat(received)
                    .as("bytes received of a %d-byte response read over %d ms with a write timeout of %d ms",
                            BIG.length, tookMillis, write.toMillis())
                    .isEqualTo(BIG.length);
        }
    }

    /** Polls with new connections until one is served rather than refused at the connection limit. */
    private RawHttp.Response awaitServedDespiteConnectionLimit() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(BOUND_SECONDS);
        RawHttp.Response last = null;
        for (int attempt = 0; attempt < 1_000 && System.nanoTime() < deadline; attempt++) {
            try (RawHttp probe = RawHttp.connect(client.port())) {
                last = probe.send(RawHttp.get("/")).read();
            } catch (IOException refusedMidway) {
                last = null; // closed at the limit before the response was read
            }
            if (last != null && last.status() == 200) {
                return last;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no connection was served within " + BOUND_SECONDS + " s; last answer: " + last);
    }

    private void assertServesAnotherConnection() throws Exception {
        try (RawHttp other = RawHttp.connect(client.port())) {
            RawHttp.Response response = other.send(RawHttp.get("/")).read();
            assertThat(response.status()).as("another connection: %s", response).isEqualTo(200);
            assertThat(response.text()).isEqualTo("root");
        }
    }

    /** The deadline cannot have fired before it was due: at least {@code timeout} passed since {@code startNanos}. */
    private static void assertNotBefore(long startNanos, Duration timeout) {
        assertThat(Duration.ofNanos(System.nanoTime() - startNanos)).as("time until the deadline fired")
                .isGreaterThanOrEqualTo(timeout);
    }


    private static byte[] bigBody(int size) {
        byte[] body = new byte[size];
        for (int i = 0; i < size; i++) {
            body[i] = (byte) ('a' + i % 26);
        }
        return body;
    }
}
