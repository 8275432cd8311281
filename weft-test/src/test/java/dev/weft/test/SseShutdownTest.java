package dev.weft.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.routing.Router;
import dev.weft.server.Server;
import dev.weft.sse.Sse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Shutdown with event streams open (Axum #2673: they held shutdown forever): each stream ends
 * cleanly (HTTP/1.1 last chunk, HTTP/2 {@code END_STREAM}) long before the shutdown deadline,
 * each producer learns it, and a stream that starts while the server drains ends at once.
 */
class SseShutdownTest {
    /** Far longer than the test allows: ending the streams must not wait for it. */
    private static final Duration GRACE = Duration.ofSeconds(30);
    private static final Duration BOUND = Duration.ofSeconds(8);

    private final AtomicInteger producersStopped = new AtomicInteger();
    private final CountDownLatch entered = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);

    private Router app() {
        return Router.builder()
                .get("/quick", () -> "quick")
                .get("/idle", () -> Sse.emit(emitter -> {
                    emitter.send("hello");
                    try {
                        new CountDownLatch(1).await();
                    } catch (InterruptedException e) {
                        producersStopped.incrementAndGet();
                    }
                }))
                .get("/busy", () -> Sse.emit(emitter -> {
                    try {
                        while (true) {
                            emitter.send("tick");
                            Thread.sleep(50);
                        }
                    } catch (IOException | InterruptedException e) {
                        producersStopped.incrementAndGet();
                    }
                }))
                .get("/late", () -> {
                    entered.countDown();
                    release.await();
                    return Sse.emit(emitter -> emitter.send("too late?"));
                })
                .build();
    }

    @Test
    void shutdown_ends_every_open_stream_cleanly_and_stops_every_producer() throws Exception {
        try (TestClient h1 = TestClient.start(app(), Server.builder().shutdownTimeout(GRACE));
                TestClient h2 = TestClient.startHttp2(app(), Server.builder().shutdownTimeout(GRACE))) {
            EventStream idle1 = EventStream.open(h1, "/idle");
            EventStream busy1 = EventStream.open(h1, "/busy");
            EventStream idle2 = EventStream.open(h2, "/idle");
            EventStream busy2 = EventStream.open(h2, "/busy");
            for (EventStream s : new EventStream[] {idle1, busy1, idle2, busy2}) {
                assertThat(s.next(BOUND)).isPresent();
            }
            long start = System.nanoTime();
            CompletableFuture<Void> closing1 = CompletableFuture.runAsync(() -> h1.server().close());
            CompletableFuture<Void> closing2 = CompletableFuture.runAsync(() -> h2.server().close());
            for (EventStream s : new EventStream[] {idle1, busy1, idle2, busy2}) {
                s.rest(BOUND); // events still in flight may come first
                assertThat(s.cutOff()).as("%s ended cleanly", s).isFalse();
            }
            closing1.get(BOUND.toSeconds(), TimeUnit.SECONDS);
            closing2.get(BOUND.toSeconds(), TimeUnit.SECONDS);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(BOUND);
            assertThat(producersStopped.get()).isEqualTo(4);
        }
    }

    @Test
    void a_stream_starting_after_shutdown_began_ends_at_once() throws Exception {
        try (TestClient client = TestClient.start(app(), Server.builder().shutdownTimeout(GRACE));
                RawHttp idle = RawHttp.connect(client.port());
                RawHttp late = RawHttp.connect(client.port())) {
            idle.send(RawHttp.get("/quick"));
            assertThat(idle.read().status()).isEqualTo(200);
            late.send(RawHttp.get("/late"));
            assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<Void> closing = CompletableFuture.runAsync(() -> client.server().close());
            assertThat(idle.closedByServer()).isTrue(); // draining has started
            release.countDown();
            RawHttp.Response response = late.read();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.headers().get("content-type")).containsExactly("text/event-stream");
            // Ended at once, before or after its one event, and the connection closes.
            assertThat(new String(response.body(), StandardCharsets.UTF_8)).isIn("", "data: too late?\n\n");
            closing.get(BOUND.toSeconds(), TimeUnit.SECONDS);
        }
    }
}
