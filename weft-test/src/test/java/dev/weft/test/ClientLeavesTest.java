package dev.weft.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.extract.Body;
import dev.weft.routing.Handler;
import dev.weft.routing.Router;
import dev.weft.server.Server;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An HTTP/1.1 client that leaves while its handlers run: a reset or a close interrupts them (so a
 * transaction rolls back and no work is done for nobody), and a half-close does too unless the
 * server is built with {@code halfClose(true)}. Answers that exist are still written; the failure
 * of an interrupted handler is never answered as a 500.
 */
class ClientLeavesTest {
    /** How long a slow handler sleeps: only an interrupt ends it within a test's waits. */
    private static final long SLOW_MS = 30_000;

    private final Semaphore started = new Semaphore(0);
    private final AtomicInteger interrupted = new AtomicInteger();
    private final CountDownLatch anyInterrupted = new CountDownLatch(1);
    private final AtomicInteger finished = new AtomicInteger();
    private TestClient client;

    private TestClient start(Server.Builder options) {
        Router app = Router.builder()
                .get("/one", () -> "one")
                .get("/slow", () -> {
                    started.release();
                    try {
                        Thread.sleep(SLOW_MS);
                        finished.incrementAndGet();
                        return "slept";
                    } catch (InterruptedException e) {
                        interrupted.incrementAndGet();
                        anyInterrupted.countDown();
                        throw e;
                    }
                })
                .get("/slow-then-answer", () -> {
                    started.release();
                    try {
                        Thread.sleep(SLOW_MS);
                        return "slept";
                    } catch (InterruptedException e) {
                        interrupted.incrementAndGet();
                        anyInterrupted.countDown();
                        return "stopped early";
                    }
                })
                .get("/brief", () -> {
                    started.release();
                    Thread.sleep(300);
                    finished.incrementAndGet();
                    return "brief";
                })
                .post("/upload", Body.bytes(), bytes -> "read " + bytes.length)
                .get("/inline", Handler.of(() -> "inline").nonBlocking())
                .build();
        client = TestClient.start(app, options);
        return client;
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
    }

    private static Socket connect(int port) throws IOException {
        Socket socket = new Socket();
        socket.setSoTimeout(RawHttp.TIMEOUT_MS);
        socket.connect(new InetSocketAddress("127.0.0.1", port), RawHttp.TIMEOUT_MS);
        return socket;
    }

    private void awaitStarted(int handlers) throws InterruptedException {
        assertThat(started.tryAcquire(handlers, 10, TimeUnit.SECONDS)).as("handlers started").isTrue();
    }

    private void awaitInterrupted(int handlers) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (interrupted.get() < handlers && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(interrupted.get()).as("handlers interrupted").isEqualTo(handlers);
    }

    /** Waits until the server has no request in flight (every handler settled). */
    private void awaitIdle() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (client.server().stats().requestsInFlight() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(client.server().stats().requestsInFlight()).isZero();
    }

    @Test
    void a_client_that_closes_its_connection_interrupts_its_running_handler() throws Exception {
        start(Server.builder());
        Socket socket = connect(client.port());
        socket.getOutputStream().write(RawHttp.get("/slow").getBytes(StandardCharsets.ISO_8859_1));
        awaitStarted(1);

        socket.close();

        awaitInterrupted(1);
        awaitIdle();
        assertThat(finished.get()).isZero();
    }

    @Test
    void a_client_that_resets_its_connection_interrupts_its_running_handler_even_when_half_closes_are_expected()
            throws Exception {
        start(Server.builder().halfClose(true));
        Socket socket = connect(client.port());
        socket.getOutputStream().write(RawHttp.get("/slow").getBytes(StandardCharsets.ISO_8859_1));
        awaitStarted(1);

        socket.setSoLinger(true, 0);
        socket.close(); // a reset

        awaitInterrupted(1);
        awaitIdle();
    }

    @Test
    void every_pipelined_handler_still_running_is_interrupted_when_the_client_leaves() throws Exception {
        start(Server.builder());
        Socket socket = connect(client.port());
        socket.getOutputStream().write((RawHttp.get("/slow") + RawHttp.get("/slow") + RawHttp.get("/slow"))
                .getBytes(StandardCharsets.ISO_8859_1));
        awaitStarted(3);

        socket.close();

        awaitInterrupted(3);
        awaitIdle();
    }

    @Test
    void a_half_closed_client_still_gets_what_an_interrupted_handler_returns_then_the_close() throws Exception {
        start(Server.builder());
        try (RawHttp connection = RawHttp.connect(client.port())) {
            connection.send(RawHttp.get("/one") + RawHttp.get("/slow-then-answer"));
            awaitStarted(1);
            connection.shutdownOutput();

            List<RawHttp.Response> responses = connection.read(2);

            assertThat(responses).extracting(RawHttp.Response::text).containsExactly("one", "stopped early");
            assertThat(responses.get(1).connectionHas("close")).isTrue();
            assertThat(connection.closedByServer()).isTrue();
        }
        assertThat(interrupted.get()).isEqualTo(1);
    }

    @Test
    void the_failure_of_a_handler_interrupted_by_a_half_close_is_not_answered_but_earlier_answers_are()
            throws Exception {
        start(Server.builder());
        try (RawHttp connection = RawHttp.connect(client.port())) {
            connection.send(RawHttp.get("/one") + RawHttp.get("/slow") + RawHttp.get("/one"));
            awaitStarted(1);
            connection.shutdownOutput();

            RawHttp.Response first = connection.read();

            assertThat(first.status()).isEqualTo(200);
            assertThat(first.text()).isEqualTo("one");
            // no 500 for the interrupted one, and nothing after it can be written in order
            assertThat(connection.closedByServer()).isTrue();
        }
        awaitInterrupted(1);
        awaitIdle();
    }

    @Test
    void quick_handlers_pipelined_with_a_slow_one_and_a_half_close_in_the_same_packet_are_answered()
            throws Exception {
        start(Server.builder());
        for (int i = 0; i < 20; i++) {
            try (RawHttp connection = RawHttp.connect(client.port())) {
                connection.send(RawHttp.get("/one") + RawHttp.get("/inline") + RawHttp.get("/slow")).shutdownOutput();

                List<RawHttp.Response> responses = connection.read(2);

                assertThat(responses).extracting(RawHttp.Response::text).containsExactly("one", "inline");
                assertThat(connection.closedByServer()).isTrue();
            }
        }
        awaitInterrupted(20);
        awaitIdle();
    }

    @Test
    void with_half_close_expected_a_half_closed_client_is_answered_in_full() throws Exception {
        start(Server.builder().halfClose(true));
        try (RawHttp connection = RawHttp.connect(client.port())) {
            connection.send(RawHttp.get("/one") + RawHttp.get("/brief") + RawHttp.get("/brief"));
            awaitStarted(1);
            connection.shutdownOutput();

            List<RawHttp.Response> responses = connection.read(3);

            assertThat(responses).extracting(RawHttp.Response::status).containsExactly(200, 200, 200);
            assertThat(responses).extracting(RawHttp.Response::text).containsExactly("one", "brief", "brief");
            assertThat(responses.get(2).connectionHas("close")).isTrue();
            assertThat(connection.closedByServer()).isTrue();
        }
        assertThat(interrupted.get()).isZero();
        assertThat(finished.get()).isEqualTo(2);
    }

    @Test
    void a_half_close_right_after_a_request_to_a_quick_handler_still_gets_its_answer() throws Exception {
        start(Server.builder());
        for (String target : List.of("/one", "/inline")) {
            try (RawHttp connection = RawHttp.connect(client.port())) {
                RawHttp.Response response = connection.send(RawHttp.get(target)).shutdownOutput().read();

                assertThat(response.status()).isEqualTo(200);
                assertThat(connection.closedByServer()).isTrue();
            }
        }
    }

    @Test
    void a_body_cut_off_by_a_half_close_is_refused_not_interrupted() throws Exception {
        start(Server.builder());
        try (RawHttp connection = RawHttp.connect(client.port())) {
            connection.send("POST /upload HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 10\r\n\r\nhalf!");
            assertThat(connection.readsNothingWithin(200)).isTrue(); // the handler waits for the rest
            connection.shutdownOutput();

            RawHttp.Response response = connection.read();

            assertThat(response.status()).isEqualTo(400);
            assertThat(response.header("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
            assertThat(connection.closedByServer()).isTrue();
        }
        assertThat(interrupted.get()).isZero();
    }

    @Test
    void a_server_whose_clients_keep_leaving_stays_healthy() throws Exception {
        start(Server.builder().requestTimeout(Duration.ofMinutes(1)));
        for (int i = 0; i < 20; i++) {
            Socket socket = connect(client.port());
            socket.getOutputStream().write(RawHttp.get("/slow").getBytes(StandardCharsets.ISO_8859_1));
            awaitStarted(1);
            if (i % 2 == 0) {
                socket.setSoLinger(true, 0);
            }
            socket.close();
        }
        awaitInterrupted(20);
        awaitIdle();
        try (RawHttp connection = RawHttp.connect(client.port())) {
            assertThat(connection.send(RawHttp.get("/one")).read().text()).isEqualTo("one");
        }
    }
}
