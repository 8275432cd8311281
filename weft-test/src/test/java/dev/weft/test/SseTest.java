package dev.weft.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.routing.Router;
import dev.weft.sse.Event;
import dev.weft.sse.Sse;
import java.io.IOException;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Server-sent event streams, alike in memory, over HTTP/1.1 and over HTTP/2: headers, events
 * delivered as produced, clean ends and cut-offs, the producer learning that the client left,
 * keep-alive comments, the maximum lifetime and the {@code Last-Event-ID} extractor.
 */
class SseTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    /** Generous: the behaviour promises 2 s; a loaded 2-core machine must not make this flaky. */
    private static final long INTERRUPT_BOUND_SECONDS = 2;

    private final CountDownLatch firstSent = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private final CountDownLatch producerStopped = new CountDownLatch(1);
    private final AtomicReference<Throwable> producerSaw = new AtomicReference<>();

    private Router app() {
        return Router.builder()
                .get("/three", () -> Sse.stream(Stream.of(Event.data("one"), Event.data("two").withEvent("second"),
                        Event.data("three").withId("3"))))
                .get("/gated", () -> Sse.emit(emitter -> {
                    emitter.send("first");
                    firstSent.countDown();
                    release.await();
                    emitter.send("second");
                }))
                .get("/idle", () -> Sse.emit(emitter -> {
                    emitter.send("hello");
                    try {
                        new CountDownLatch(1).await(); // never sends again
                    } catch (InterruptedException e) {
                        producerSaw.set(e);
                        producerStopped.countDown();
                    }
                }))
                .get("/busy", () -> Sse.emit(emitter -> {
                    try {
                        for (int i = 0; ; i++) {
                            emitter.send(Event.data("tick " + i));
                            Thread.sleep(20);
                        }
                    } catch (IOException | InterruptedException e) {
                        producerSaw.set(e);
                        producerStopped.countDown();
                    }
                }))
                .get("/keepalive", () -> Sse.options().keepAlive(Duration.ofMillis(100)).emit(emitter -> {
                    emitter.send("hello");
                    release.await();
                }))
                .get("/lifetime", () -> Sse.options().maxLifetime(Duration.ofMillis(300)).emit(emitter -> {
                    emitter.send("hello");
                    try {
                        new CountDownLatch(1).await();
                    } catch (InterruptedException e) {
                        producerSaw.set(e);
                        producerStopped.countDown();
                    }
                }))
                // Each fails once the client has what came before: the JDK's HTTP/2 client fails a
                // request whose stream is reset before it has handed over the head or the data.
                .get("/fails-first", () -> Sse.emit(emitter -> {
                    release.await();
                    throw new IllegalStateException("no events today");
                }))
                .get("/fails-later", () -> Sse.emit(emitter -> {
                    emitter.send("before");
                    release.await();
                    throw new IOException("the feed broke");
                }))
                .get("/stream-fails", () -> Sse.stream(failingAfterOne()))
                .get("/resume", Sse.lastEventId(), last -> Sse.stream(Stream.of(
                        Event.data(last.map(id -> "after " + id).orElse("from the start")))))
                .get("/hostile", () -> Sse.stream(Stream.of(
                        Event.data("a\r\nb\rc\nd"), Event.data(""), Event.data("\n"), Event.data("héllo ✓ 🎉"),
                        Event.data("x\n\nid: 9\nevent: admin").withEvent("e: \u0000").withId("id with : colon"))))
                .get("/large", () -> Sse.stream(Stream.of(Event.data(large()), Event.data("after"))))
                .get("/json", () -> Sse.stream(Stream.of(Event.json(java.util.Map.of("k", "v\nw")).withRetry(
                        Duration.ofMillis(2500)))))
                .get("/plain", () -> "not a stream")
                .build();
    }

    private static String large() {
        return IntStream.range(0, 20_000).mapToObj(i -> "line " + i).collect(Collectors.joining("\n"));
    }

    private Iterator<Event> failingAfterOne() {
        return Stream.iterate(0, i -> i + 1).map(i -> {
            if (i > 0) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new IllegalStateException("the cursor broke");
            }
            return Event.data("first");
        }).iterator();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Transport.class)
    void a_stream_has_the_event_stream_headers_and_no_length(Transport transport) {
        try (Client client = transport.start(app()); EventStream events = EventStream.open(client, "/three")) {
            assertThat(events.status()).isEqualTo(200);
            assertThat(events.header("content-type")).contains("text/event-stream");
            assertThat(events.header("cache-control")).contains("no-cache");
            assertThat(events.header("x-accel-buffering")).contains("no");
            assertThat(events.header("content-length")).isEmpty();
            assertThat(events.header("connection")).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Transport.class)
    void events_of_a_stream_arrive_in_order_and_the_stream_ends_cleanly(Transport transport) {
        try (Client client = transport.start(app()); EventStream events = EventStream.open(client, "/three")) {
            assertThat(events.rest(WAIT)).containsExactly(
                    ServerEvent.message("one"),
                    new ServerEvent("second", "two", "", Optional.empty()),
                    new ServerEvent("message", "three", "3", Optional.empty()));
            assertThat(events.cutOff()).isFalse();
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Transport.class)
    void an_event_reaches_the_client_while_the_producer_still_runs(Transport transport) throws Exception {
        try (Client client = transport.start(app()); EventStream events = EventStream.open(client, "/gated")) {
            assertThat(events.next(WAIT)).contains(ServerEvent.message("first"));
            assertThat(firstSent.await(10, TimeUnit.SECONDS)).isTrue();
            release.countDown();
            assertThat(events.rest(WAIT)).containsExactly(ServerEvent.message("second"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Transport.class)
    void a_client_leaving_interrupts_an_idle_producer_within_two_seconds(Transport transport) throws Exception {
        try (Client client = transport.start(app())) {
            EventStream events = EventStream.open(client, "/idle");
            assertThat(events.next(WAIT)).contains(ServerEvent.message("hello"));
            long left = System.nanoTime();
            events.close();
            assertThat(producerStopped.await(10, TimeUnit.SECONDS)).as("producer interrupted").isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - left)).isLessThan(Duration.ofSeconds(INTERRUPT_BOUND_SECONDS));
            assertThat(producerSaw.get()).isInstanceOf(InterruptedException.class);
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Transport.class)
    void a_client_leaving_makes_a_busy_emitter_fail(Transport transport) throws Exception {
        try (Client client = transport.start(app())) {
            EventStream events = EventStream.open(client, "/busy");
            assertThat(events.next(WAIT)).isPresent();
            long left = System.nanoTime();
            events.close();
            assertThat(producerStopped.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - left)).isLessThan(Duration.ofSeconds(INTERRUPT_BOUND_SECONDS));
            assertThat(producerSaw.get()).isInstanceOfAny(IOException.class, InterruptedException.class);
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Transport.class)
    void keep_alive_comments_come_while_no_event_is_produced(Transport transport) throws Exception {
        try (Client client = transport.start(app()); EventStream events = EventStream.open(client, "/keepalive")) {
            assertThat(events.next(WAIT)).contains(ServerEvent.message("hello"));
            long until = System.nanoTime() + WAIT.toNanos();
            while (events.comments() < 2 && System.nanoTime() < until) {
                Thread.sleep(20);
            }
            assertThat(events.comments()).isGreaterThanOrEqualTo(2);
            release.countDown();
            assertThat(events.rest(WAIT)).isEmpty();
            assertThat(events.cutOff()).isFalse();
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Transport.class)
    void the_maximum_lifetime_ends_the_stream_cleanly_and_interrupts_the_producer(Transport transport)
            throws Exception {
        try (Client client = transport.start(app()); EventStream events = EventStream.open(client, "/lifetime")) {
            assertThat(events.next(WAIT)).contains(ServerEvent.message("hello"));
            assertThat(events.rest(WAIT)).isEmpty();
            assertThat(events.cutOff()).isFalse();
            assertThat(producerStopped.await(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Transport.class)
    void a_producer_failing_before_its_first_event_cuts_the_stream_off(Transport transport) {
        try (Client client = transport.start(app()); EventStream events = EventStream.open(client, "/fails-first")) {
            assertThat(events.status()).isEqualTo(200); // the head went out before the producer ran
            release.countDown();
            assertThat(events.rest(WAIT)).isEmpty();
            assertThat(events.cutOff()).isTrue();
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Transport.class)
    void a_producer_failing_after_an_event_cuts_the_stream_off_after_it(Transport transport) {
        try (Client client = transport.start(app()); EventStream events = EventStream.open(client, "/fails-later")) {
            assertThat(events.next(WAIT)).contains(ServerEvent.message("before"));
            release.countDown();
            assertThat(events.rest(WAIT)).isEmpty();
            assertThat(events.cutOff()).isTrue();
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Transport.class)
    void a_stream_that_throws_cuts_the_stream_off(Transport transport) {
        try (Client client = transport.start(app()); EventStream events = EventStream.open(client, "/stream-fails")) {
            assertThat(events.next(WAIT)).contains(ServerEvent.message("first"));
            release.countDown();
            assertThat(events.rest(WAIT)).isEmpty();
            assertThat(events.cutOff()).isTrue();
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Transport.class)
    void last_event_id_is_extracted_when_present_and_empty_when_absent_or_empty(Transport transport) {
        String longId = "7".repeat(4000);
        try (Client client = transport.start(app())) {
            try (EventStream events = EventStream.open(client, "/resume", "last-event-id", "41")) {
                assertThat(events.rest(WAIT)).containsExactly(ServerEvent.message("after 41"));
            }
            try (EventStream events = EventStream.open(client, "/resume")) {
                assertThat(events.rest(WAIT)).containsExactly(ServerEvent.message("from the start"));
            }
            try (EventStream events = EventStream.open(client, "/resume", "last-event-id", "")) {
                assertThat(events.rest(WAIT)).containsExactly(ServerEvent.message("from the start"));
            }
            try (EventStream events = EventStream.open(client, "/resume", "last-event-id", longId)) {
                assertThat(events.rest(WAIT)).containsExactly(ServerEvent.message("after " + longId));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Transport.class)
    void hostile_data_reaches_the_client_as_lines_joined_with_lf_and_injects_nothing(Transport transport) {
        try (Client client = transport.start(app()); EventStream events = EventStream.open(client, "/hostile")) {
            assertThat(events.rest(WAIT)).containsExactly(
                    ServerEvent.message("a\nb\nc\nd"),
                    ServerEvent.message(""),
                    ServerEvent.message("\n"),
                    ServerEvent.message("héllo ✓ 🎉"),
                    new ServerEvent("e: \u0000", "x\n\nid: 9\nevent: admin", "id with : colon", Optional.empty()));
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Transport.class)
    void a_very_large_event_arrives_whole(Transport transport) {
        try (Client client = transport.start(app()); EventStream events = EventStream.open(client, "/large")) {
            List<ServerEvent> all = events.rest(WAIT);
            assertThat(all).hasSize(2);
            assertThat(all.get(0).data()).isEqualTo(large());
            assertThat(all.get(1).data()).isEqualTo("after");
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Transport.class)
    void json_data_and_retry_arrive_as_sent(Transport transport) {
        try (Client client = transport.start(app()); EventStream events = EventStream.open(client, "/json")) {
            assertThat(events.rest(WAIT)).containsExactly(
                    new ServerEvent("message", "{\"k\":\"v\\nw\"}", "", Optional.of(Duration.ofMillis(2500))));
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Transport.class)
    void a_response_that_is_not_an_event_stream_is_kept_whole(Transport transport) {
        try (Client client = transport.start(app()); EventStream events = EventStream.open(client, "/plain")) {
            assertThat(events.status()).isEqualTo(200);
            assertThat(events.body()).isEqualTo("not a stream");
            assertThat(events.next(WAIT)).isEmpty();
        }
    }
}
