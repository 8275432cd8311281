package dev.weft.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.routing.Router;
import dev.weft.server.Server;
import dev.weft.sse.Event;
import dev.weft.sse.Sse;
import io.netty.handler.codec.http2.Http2Error;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Event streams on HTTP/2 frames, read with a raw HTTP/2 connection: the head without
 * connection-specific fields, a DATA frame per event, {@code END_STREAM} at the end, a reset or
 * a closed connection interrupting an idle producer, and a request deadline that does not cut
 * the stream.
 */
class SseHttp2Test {
    private final CountDownLatch producerStopped = new CountDownLatch(1);
    private TestClient client;

    private Router app() {
        return Router.builder()
                .get("/two", () -> Sse.stream(java.util.stream.Stream.of(Event.data("one"), Event.data("two"))))
                .get("/idle", () -> Sse.emit(emitter -> {
                    emitter.send("hello");
                    try {
                        new CountDownLatch(1).await();
                    } catch (InterruptedException e) {
                        producerStopped.countDown();
                    }
                }))
                .get("/slow", () -> Sse.options().keepAlive(Duration.ZERO).emit(emitter -> {
                    for (int i = 0; i < 3; i++) {
                        Thread.sleep(400);
                        emitter.send("late " + i);
                    }
                }))
                .build();
    }

    @AfterEach
    void stop() {
        client.close();
    }

    private static String data(RawHttp2 connection, int stream) throws Exception {
        var frame = (RawHttp2.DataFrame) connection.await(f -> f instanceof RawHttp2.DataFrame d && d.stream() == stream);
        return new String(frame.bytes(), StandardCharsets.UTF_8);
    }

    @Test
    void each_event_is_a_data_frame_and_the_stream_ends_with_end_stream() throws Exception {
        client = TestClient.start(app());
        try (RawHttp2 connection = RawHttp2.connect(client.port())) {
            connection.get(1, "/two");
            var head = (RawHttp2.HeadersFrame) connection.await(f -> f instanceof RawHttp2.HeadersFrame h && h.stream() == 1);
            assertThat(head.headers().status().toString()).isEqualTo("200");
            assertThat(head.headers().get("content-type").toString()).isEqualTo("text/event-stream");
            assertThat(head.headers().get("cache-control").toString()).isEqualTo("no-cache");
            assertThat(head.headers().get("x-accel-buffering").toString()).isEqualTo("no");
            assertThat(head.headers().contains("connection")).isFalse();
            assertThat(head.headers().contains("content-length")).isFalse();
            assertThat(head.endStream()).isFalse();
            RawHttp2.Response rest = connection.response(1);
            assertThat(new String(rest.body(), StandardCharsets.UTF_8)).isEqualTo("data: one\n\ndata: two\n\n");
            assertThat(rest.resetCode()).isNull();
        }
    }

    @Test
    void a_reset_stream_interrupts_an_idle_producer_within_two_seconds() throws Exception {
        client = TestClient.start(app());
        try (RawHttp2 connection = RawHttp2.connect(client.port())) {
            connection.get(1, "/idle");
            assertThat(data(connection, 1)).isEqualTo("data: hello\n\n");
            long reset = System.nanoTime();
            connection.reset(1, Http2Error.CANCEL);
            assertThat(producerStopped.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - reset)).isLessThan(Duration.ofSeconds(2));
        }
    }

    @Test
    void a_closed_connection_interrupts_an_idle_producer_within_two_seconds() throws Exception {
        client = TestClient.start(app());
        RawHttp2 connection = RawHttp2.connect(client.port());
        connection.get(1, "/idle");
        assertThat(data(connection, 1)).isEqualTo("data: hello\n\n");
        long closed = System.nanoTime();
        connection.close();
        assertThat(producerStopped.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - closed)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void a_request_deadline_does_not_cut_a_stream() throws Exception {
        client = TestClient.start(app(), Server.builder().requestTimeout(Duration.ofMillis(200)));
        try (RawHttp2 connection = RawHttp2.connect(client.port())) {
            connection.get(1, "/slow");
            RawHttp2.Response response = connection.response(1);
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.resetCode()).isNull();
            assertThat(new String(response.body(), StandardCharsets.UTF_8))
                    .isEqualTo("data: late 0\n\ndata: late 1\n\ndata: late 2\n\n");
        }
    }
}
