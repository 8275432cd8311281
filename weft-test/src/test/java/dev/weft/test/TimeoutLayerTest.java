package dev.weft.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.extract.Body;
import dev.weft.middleware.Middleware;
import dev.weft.middleware.Timeout;
import dev.weft.response.BodyOutput;
import dev.weft.response.BodyWriter;
import dev.weft.response.Response;
import dev.weft.response.ResponseBody;
import dev.weft.response.Status;
import dev.weft.routing.Handler;
import dev.weft.routing.Router;
import dev.weft.ws.WebSocketUpgrade;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The {@link Timeout} layer (the server's own timeouts, {@code requestTimeout} and the body
 * deadlines, are in {@link TimeoutTest}).
 */
class TimeoutLayerTest {

    static Stream<Named<Function<Router, Client>>> clients() {
        return Clients.both();
    }

    /** What handlers saw, for the test thread to check. */
    private static final BlockingQueue<String> SEEN = new LinkedBlockingQueue<>();

    /** An outer layer that reports whether the interrupt flag reached it. */
    private static final Middleware FLAG_CHECK = Middleware.named("flag-check", (request, next) -> {
        Response response = next.run(request);
        return response.withHeader("x-outer-interrupted", Boolean.toString(Thread.currentThread().isInterrupted()));
    });

    private static Router app() {
        return Router.builder()
                .layer(FLAG_CHECK)
                .layer(Timeout.of(Duration.ofMillis(300)))
                .get("/slow", () -> {
                    try {
                        Thread.sleep(30_000);
                        return "late";
                    } catch (InterruptedException e) {
                        SEEN.add("interrupted");
                        throw e;
                    }
                })
                .get("/stubborn", () -> {
                    long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(600);
                    while (System.nanoTime() < until) {
                        Thread.onSpinWait(); // ignores interrupts
                    }
                    return Response.of(Status.OK).withBody(new ResponseBody.Streaming(new BodyWriter() {
                        @Override
                        public void writeTo(BodyOutput out) {
                            SEEN.add("written");
                        }

                        @Override
                        public void discard() {
                            SEEN.add("discarded");
                        }
                    }, -1));
                })
                .get("/download", () -> Response.stream("text/plain", out -> {
                    for (int i = 0; i < 6; i++) {
                        out.write(("part " + i + "\n").getBytes(StandardCharsets.UTF_8));
                        out.flush();
                        try {
                            Thread.sleep(100); // 600 ms in all: twice the deadline
                        } catch (InterruptedException e) {
                            throw new AssertionError("a body returned in time must not be interrupted", e);
                        }
                    }
                }))
                .get("/quick", () -> {
                    Thread.sleep(20); // would throw if a stale interrupt flag were set
                    return "quick, interrupted=" + Thread.currentThread().isInterrupted();
                })
                .post("/upload", Body.bytes(), bytes -> "got " + bytes.length)
                .post("/ignore-body", () -> {
                    Thread.sleep(30_000);
                    return "late";
                })
                .get("/ws", WebSocketUpgrade.extractor(), upgrade -> upgrade.accept(socket -> {
                    Thread.sleep(500); // longer than the deadline: the session is not a request
                    socket.send("still here");
                }))
                .get("/inline", Handler.of(() -> "inline on " + (Thread.currentThread().isVirtual() ? "virtual" : "loop"))
                        .nonBlocking())
                .get("/own-deadline", Handler.of(() -> {
                    Thread.sleep(30_000);
                    return "late";
                }).layer(Timeout.builder().deadline(Duration.ofMillis(50)).retryAfter(Duration.ofSeconds(7)).build()))
                .build();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void a_slow_handler_is_interrupted_and_answered_503_with_retry_after(Function<Router, Client> clients)
            throws Exception {
        SEEN.clear();
        try (Client client = clients.apply(app())) {
            TestResponse response = client.get("/slow");
            Problems.assertProblem(response, 503);
            assertThat(response.header("retry-after")).contains("1");
            assertThat(response.body()).contains("300 ms");
            assertThat(response.header("x-outer-interrupted")).contains("false");
            assertThat(SEEN.poll(5, TimeUnit.SECONDS)).isEqualTo("interrupted");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void a_handler_that_ignores_the_interrupt_still_gets_503_and_its_streamed_body_is_discarded(
            Function<Router, Client> clients) throws Exception {
        SEEN.clear();
        try (Client client = clients.apply(app())) {
            TestResponse response = client.get("/stubborn");
            assertThat(response.status()).isEqualTo(503);
            assertThat(response.header("x-outer-interrupted")).contains("false");
            assertThat(SEEN.poll(5, TimeUnit.SECONDS)).isEqualTo("discarded");
            assertThat(SEEN).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void a_streamed_response_returned_in_time_is_not_cut_by_the_deadline(Function<Router, Client> clients) {
        try (Client client = clients.apply(app())) {
            TestResponse response = client.get("/download");
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("part 0\npart 1\npart 2\npart 3\npart 4\npart 5\n");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void a_websocket_session_outlives_the_deadline(Function<Router, Client> clients) {
        try (Client client = clients.apply(app()); TestWebSocket socket = client.webSocket("/ws")) {
            assertThat(socket.handshake().status()).isEqualTo(101);
            assertThat(socket.receiveText()).isEqualTo("still here");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void a_route_can_have_its_own_tighter_deadline_and_retry_after(Function<Router, Client> clients) {
        try (Client client = clients.apply(app())) {
            TestResponse response = client.get("/own-deadline");
            assertThat(response.status()).isEqualTo(503);
            assertThat(response.header("retry-after")).contains("7");
            assertThat(response.body()).contains("50 ms");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void a_handler_that_does_not_read_its_body_past_the_deadline_gets_503_not_408(Function<Router, Client> clients) {
        try (Client client = clients.apply(app())) {
            TestResponse response = client.post("/ignore-body").body("text/plain", "hello").send();
            assertThat(response.status()).isEqualTo(503);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void a_non_blocking_route_passes_through_without_a_deadline_on_its_event_loop(Function<Router, Client> clients)
            throws Exception {
        try (Client client = clients.apply(app())) {
            for (int i = 0; i < 20; i++) {
                assertThat(client.get("/inline").body()).startsWith("inline on ");
            }
            Thread.sleep(400); // past the deadline: a stray timer must not interrupt the event loop
            assertThat(client.get("/inline").status()).isEqualTo(200);
            assertThat(client.get("/quick").body()).isEqualTo("quick, interrupted=false");
        }
    }

    @Test
    void the_next_request_on_the_same_keep_alive_connection_is_unaffected() throws Exception {
        SEEN.clear();
        try (TestClient client = TestClient.start(app()); RawHttp connection = RawHttp.connect(client.port())) {
            RawHttp.Response timedOut = connection.send(RawHttp.get("/slow")).read();
            assertThat(timedOut.status()).isEqualTo(503);
            assertThat(timedOut.connectionHas("close")).isFalse();
            RawHttp.Response next = connection.send(RawHttp.get("/quick")).read();
            assertThat(next.status()).isEqualTo(200);
            assertThat(next.text()).isEqualTo("quick, interrupted=false");
            RawHttp.Response stubborn = connection.send(RawHttp.get("/stubborn")).read();
            assertThat(stubborn.status()).isEqualTo(503);
            assertThat(connection.send(RawHttp.get("/quick")).read().text()).isEqualTo("quick, interrupted=false");
        }
    }

    @Test
    void a_body_still_arriving_over_http1_at_the_deadline_gets_408() throws Exception {
        try (TestClient client = TestClient.start(app()); RawHttp connection = RawHttp.connect(client.port())) {
            connection.send(RawHttp.request("POST", "/upload", "HTTP/1.1", "Content-Type: text/plain",
                    "Content-Length: 1000") + "only ten b");
            RawHttp.Response response = connection.read();
            assertThat(response.status()).isEqualTo(408);
            assertThat(response.header("content-type")).contains("application/problem+json");
            assertThat(response.text()).contains("did not arrive within 300 ms");
        }
    }

    @Test
    void a_body_still_arriving_over_http2_at_the_deadline_gets_408() throws Exception {
        try (TestClient client = TestClient.startHttp2(app()); RawHttp2 connection = RawHttp2.connect(client.port())) {
            connection.headers(1, RawHttp2.request("POST", "/upload", "content-type", "text/plain",
                    "content-length", "1000"), false);
            connection.data(1, "only ten b".getBytes(StandardCharsets.US_ASCII), false);
            RawHttp2.Response response = connection.response(1);
            assertThat(response.status()).isEqualTo(408);
            assertThat(response.text()).contains("did not arrive within 300 ms");
        }
    }

    @Test
    void a_body_trickled_slowly_over_http1_gets_408_at_the_deadline() throws Exception {
        try (TestClient client = TestClient.start(app()); RawHttp connection = RawHttp.connect(client.port())) {
            connection.send(RawHttp.request("POST", "/upload", "HTTP/1.1", "Content-Type: text/plain",
                    "Content-Length: 100"));
            Thread trickle = Thread.ofVirtual().start(() -> {
                try {
                    for (int i = 0; i < 100; i++) {
                        connection.send("x");
                        Thread.sleep(20); // 2 s in all, past the 300 ms deadline
                    }
                } catch (Exception stopped) {
                    // the server answered and closed
                }
            });
            RawHttp.Response response = connection.read();
            assertThat(response.status()).isEqualTo(408);
            trickle.interrupt();
            trickle.join();
        }
    }
}
