package dev.weft.test;

import static dev.weft.test.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.extract.Body;
import dev.weft.routing.Handler;
import dev.weft.routing.Router;
import dev.weft.server.Server;
import io.netty.handler.codec.http2.Http2Error;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Slow request bodies on HTTP/2 (issue #8, class 7): a body trickled below
 * {@code minBodyBytesPerSecond} after {@code bodyRateGrace}, or still arriving at
 * {@code bodyDeadline}, is answered 408 on its stream (or its stream is reset with
 * {@code CANCEL} once the response has started), while other streams and connections are served.
 * Time the server itself holds the body back does not count.
 */
class Http2SlowBodyTest {
    private static final byte[] BYTE = {'x'};
    private final List<AutoCloseable> open = new ArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private final CountDownLatch streaming = new CountDownLatch(1);

    private TestClient start(Server.Builder options) {
        TestClient server = TestClient.start(Router.builder()
                .get("/", () -> "root")
                .post("/echo", Handler.of(Body.bytes(), bytes -> bytes).bodyLimit(8L * 1024 * 1024))
                .post("/late", Handler.of(Body.stream(), in -> {
                    release.await(); // reads nothing until released: the server holds the body back
                    return Long.toString(in.transferTo(java.io.OutputStream.nullOutputStream()));
                }).bodyLimit(8L * 1024 * 1024))
                .build(), options);
        open.add(server);
        return server;
    }

    private RawHttp2 connect(TestClient server) throws IOException {
        RawHttp2 connection = RawHttp2.connect(server.port());
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

    /** Sends one byte of the body every {@code everyMillis} until the stream gets an answer or a reset. */
    private static RawHttp2.Frame trickle(RawHttp2 connection, int stream, int everyMillis, int maxBytes)
            throws IOException {
        for (int i = 0; i < maxBytes; i++) {
            var answer = connection.peekWithin(f -> f.stream() == stream
                    && (f instanceof RawHttp2.HeadersFrame || f instanceof RawHttp2.ResetFrame), everyMillis);
            if (answer.isPresent()) {
                return answer.get();
            }
            connection.data(stream, BYTE, false);
        }
        throw new AssertionError("the trickled body was never cut off");
    }

    @Test
    void a_body_trickled_below_the_minimum_rate_after_the_grace_gets_408_and_others_are_served() throws Exception {
        TestClient server = start(Server.builder().minBodyBytesPerSecond(100).bodyRateGrace(Duration.ofMillis(500)));
        RawHttp2 slow = connect(server);
        RawHttp2 other = connect(server);
        long started = System.nanoTime();

        slow.headers(1, RawHttp2.request("POST", "/echo", "content-length", "1000"), false);
        RawHttp2.Frame cut = trickle(slow, 1, 100, 200); // 10 B/s
        RawHttp2.Response answer = slow.response(1);

        assertThat(cut).isInstanceOf(RawHttp2.HeadersFrame.class);
        assertProblem(answer.toTestResponse(), 408);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        assertThat(slow.get(3, "/").response(3).text()).as("the same connection").isEqualTo("root");
        assertThat(other.get(1, "/").response(1).text()).as("another connection").isEqualTo("root");
    }

    @Test
    void a_body_still_arriving_at_the_body_deadline_gets_408() throws Exception {
        TestClient server = start(Server.builder().minBodyBytesPerSecond(0).bodyDeadline(Duration.ofSeconds(1)));
        RawHttp2 connection = connect(server);

        connection.headers(1, RawHttp2.request("POST", "/echo", "content-length", "100000"), false);
        RawHttp2.Frame cut = trickle(connection, 1, 50, 100); // fast enough for any rate, but too long

        assertThat(cut).isInstanceOf(RawHttp2.HeadersFrame.class);
        assertProblem(connection.response(1).toTestResponse(), 408);
    }

    @Test
    void a_body_at_a_good_rate_is_not_cut_off() throws Exception {
        TestClient server = start(Server.builder().minBodyBytesPerSecond(100).bodyRateGrace(Duration.ofMillis(500)));
        RawHttp2 connection = connect(server);
        byte[] chunk = new byte[100];

        connection.headers(1, RawHttp2.request("POST", "/echo", "content-length", "2000"), false);
        for (int i = 0; i < 19; i++) {
            connection.data(1, chunk, false); // 1000 B/s for 1.9 s
            assertThat(connection.awaitWithin(f -> f.stream() == 1 && !(f instanceof RawHttp2.WindowUpdateFrame), 100))
                    .isEmpty();
        }
        connection.data(1, chunk, true);

        assertThat(connection.response(1).body()).hasSize(2000);
    }

    @Test
    void time_the_handler_does_not_read_does_not_count_against_the_rate() throws Exception {
        TestClient server = start(Server.builder().minBodyBytesPerSecond(1000).bodyRateGrace(Duration.ofMillis(300))
                .http2InitialWindowBytes(1 << 20)); // a window larger than the body buffer
        RawHttp2 connection = connect(server);
        byte[] window = new byte[16_384];

        connection.headers(1, RawHttp2.request("POST", "/late", "content-length", Integer.toString(20 * 16_384)), false);
        for (int i = 0; i < 20; i++) {
            connection.data(1, window, false); // more than the body buffer: the server holds it back
        }
        // The handler reads nothing for 2 s: far below 1000 B/s if that counted.
        assertThat(connection.awaitWithin(f -> f.stream() == 1 && !(f instanceof RawHttp2.WindowUpdateFrame), 2_000))
                .isEmpty();
        release.countDown();
        connection.data(1, new byte[0], true);

        assertThat(connection.response(1).text()).isEqualTo(Integer.toString(20 * 16_384));
    }

    @Test
    void a_slow_body_after_the_response_started_gets_its_stream_reset_with_cancel() throws Exception {
        TestClient server = TestClient.start(Router.builder()
                .post("/stream", Body.stream(), in -> dev.weft.response.Response.stream("text/plain", out -> {
                    out.write("started".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    streaming.countDown();
                    in.transferTo(java.io.OutputStream.nullOutputStream());
                }))
                .build(), Server.builder().minBodyBytesPerSecond(100).bodyRateGrace(Duration.ofMillis(500)));
        open.add(server);
        RawHttp2 connection = connect(server);

        connection.headers(1, RawHttp2.request("POST", "/stream"), false).data(1, BYTE, false);
        RawHttp2.Frame head = connection.await(f -> f.stream() == 1 && f instanceof RawHttp2.HeadersFrame);
        assertThat(streaming.await(5, TimeUnit.SECONDS)).isTrue();
        RawHttp2.Frame reset = connection.awaitWithin(f -> f.stream() == 1 && f instanceof RawHttp2.ResetFrame, 4_000)
                .orElseThrow(() -> new AssertionError("the stream was not reset"));

        assertThat(head).isInstanceOf(RawHttp2.HeadersFrame.class);
        assertThat(reset).isEqualTo(new RawHttp2.ResetFrame(1, Http2Error.CANCEL.code()));
    }
}
