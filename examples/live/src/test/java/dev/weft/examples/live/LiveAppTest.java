package dev.weft.examples.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.routing.Router;
import dev.weft.test.Client;
import dev.weft.test.EventStream;
import dev.weft.test.ServerEvent;
import dev.weft.test.TestWebSocket;
import dev.weft.test.Transport;
import dev.weft.test.WebSocketClient;
import dev.weft.ws.Hub;
import dev.weft.ws.Message;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every endpoint of the live demo, the way a client uses it, over every transport. */
class LiveAppTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final long NOW = 1_000;

    private final ManualTickClock clock = new ManualTickClock(NOW);

    private Router app() {
        return LiveApp.app(Hub.create(), clock);
    }

    private static String joined(String name, int members) {
        return "{\"type\":\"join\",\"name\":\"" + name + "\",\"text\":\"\",\"members\":" + members + "}";
    }

    private static String said(String name, String text, int members) {
        return "{\"type\":\"message\",\"name\":\"" + name + "\",\"text\":\"" + text + "\",\"members\":" + members + "}";
    }

    private static String left(String name, int members) {
        return "{\"type\":\"leave\",\"name\":\"" + name + "\",\"text\":\"\",\"members\":" + members + "}";
    }

    /** The handshake status of a refused WebSocket. */
    private static int refusal(Client client, String path, String... headers) {
        try (TestWebSocket ws = client.webSocket(path, headers)) {
            throw new AssertionError("expected a refusal, got " + ws.handshake().status());
        } catch (WebSocketClient.HandshakeRefusedException e) {
            return e.answer().status();
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Transport.class)
    void the_page_is_html_and_names_every_endpoint(Transport transport) {
        try (Client client = transport.start(app())) {
            var page = client.get("/");
            assertThat(page.status()).isEqualTo(200);
            assertThat(page.header("content-type")).contains("text/html; charset=utf-8");
            assertThat(page.body()).contains("<!doctype html>", "\"/ws/echo\"", "\"/ws/chat/\"", "\"/events/ticker\"")
                    .doesNotContain("http://", "https://"); // no CDN, nothing from elsewhere
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Transport.class)
    void echo_sends_text_and_binary_back(Transport transport) {
        try (Client client = transport.start(app()); TestWebSocket ws = client.webSocket("/ws/echo")) {
            ws.send("hello");
            assertThat(ws.receiveText()).isEqualTo("hello");
            ws.send(new byte[] {1, 2, 3});
            assertThat(ws.receive()).isInstanceOfSatisfying(Message.Binary.class,
                    b -> assertThat(b.bytes()).containsExactly(1, 2, 3));
            ws.close(Message.Close.NORMAL, "");
            assertThat(ws.awaitClose(WAIT).code()).isEqualTo(Message.Close.NORMAL);
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Transport.class)
    void a_chat_message_reaches_all_three_members_and_notices_count_them(Transport transport) {
        try (Client client = transport.start(app())) {
            TestWebSocket ann = client.webSocket("/ws/chat/lobby?name=Ann");
            assertThat(ann.receiveText()).isEqualTo(joined("Ann", 1));
            TestWebSocket bob = client.webSocket("/ws/chat/lobby?name=Bob");
            assertThat(bob.receiveText()).isEqualTo(joined("Bob", 2));
            assertThat(ann.receiveText()).isEqualTo(joined("Bob", 2));
            TestWebSocket cy = client.webSocket("/ws/chat/lobby?name=Cy%20Z");
            for (TestWebSocket ws : List.of(ann, bob, cy)) {
                assertThat(ws.receiveText()).isEqualTo(joined("Cy Z", 3));
            }
            try (TestWebSocket elsewhere = client.webSocket("/ws/chat/other?name=Dee")) {
                assertThat(elsewhere.receiveText()).isEqualTo(joined("Dee", 1));

                bob.send("  hi all  ");
                for (TestWebSocket ws : List.of(ann, bob, cy)) {
                    assertThat(ws.receiveText()).isEqualTo(said("Bob", "hi all", 3));
                }
                cy.close(Message.Close.NORMAL, "bye");
                assertThat(ann.receiveText()).isEqualTo(left("Cy Z", 2));
                assertThat(bob.receiveText()).isEqualTo(left("Cy Z", 2));
                elsewhere.send("only here");
                assertThat(elsewhere.receiveText()).isEqualTo(said("Dee", "only here", 1));
            }
            ann.send("still two of us");
            assertThat(bob.receiveText()).isEqualTo(said("Ann", "still two of us", 2)); // nothing from the other room
            ann.close();
            bob.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Transport.class)
    void a_missing_or_bad_name_or_room_is_a_400_before_the_upgrade(Transport transport) {
        try (Client client = transport.start(app())) {
            assertThat(refusal(client, "/ws/chat/lobby")).isEqualTo(400);
            assertThat(refusal(client, "/ws/chat/lobby?name=")).isEqualTo(400);
            assertThat(refusal(client, "/ws/chat/lobby?name=%3Cscript%3E")).isEqualTo(400);
            assertThat(refusal(client, "/ws/chat/lobby?name=" + "x".repeat(25))).isEqualTo(400);
            assertThat(refusal(client, "/ws/chat/no%20spaces?name=Ann")).isEqualTo(400);

            var plain = client.get("/ws/chat/lobby?name=%3C");
            assertThat(plain.status()).isEqualTo(400); // the name is checked before the handshake is
            assertThat(plain.header("content-type")).contains("application/problem+json");
            assertThat(plain.body()).contains("\"parameter\":\"name\"", "1 to 24 letters");
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Transport.class)
    void a_page_from_another_site_is_refused_403(Transport transport) {
        try (Client client = transport.start(app())) {
            assertThat(refusal(client, "/ws/chat/lobby?name=Ann", "origin", "https://evil.example")).isEqualTo(403);
            assertThat(refusal(client, "/ws/echo", "origin", "https://evil.example")).isEqualTo(403);
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Transport.class)
    void chat_takes_text_up_to_4_kib_only(Transport transport) {
        try (Client client = transport.start(app())) {
            try (TestWebSocket ws = client.webSocket("/ws/chat/lobby?name=Ann")) {
                ws.receiveText();
                ws.send("x".repeat(4 * 1024 + 1));
                assertThat(ws.awaitClose(WAIT).code()).isEqualTo(Message.Close.TOO_BIG);
            }
            try (TestWebSocket ws = client.webSocket("/ws/chat/lobby?name=Ann")) {
                ws.receiveText();
                ws.send(new byte[] {1});
                assertThat(ws.awaitClose(WAIT).code()).isEqualTo(Message.Close.UNSUPPORTED_DATA);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Transport.class)
    void the_ticker_sends_the_current_tick_then_one_per_tick(Transport transport) {
        Ticker ticker = new Ticker(clock);
        try (Client client = transport.start(app()); EventStream events = EventStream.open(client, "/events/ticker")) {
            assertThat(events.status()).isEqualTo(200);
            assertThat(events.header("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/event-stream"));
            ServerEvent first = events.next(WAIT).orElseThrow();
            assertThat(first.event()).isEqualTo("tick");
            assertThat(first.lastEventId()).isEqualTo("1000");
            assertThat(first.retry()).contains(Duration.ofSeconds(2));
            assertThat(first.data()).startsWith("{\"seq\":1000,\"time\":\"1970-01-01T00:16:40Z\",\"symbol\":\"WEFT\",\"price\":");
            assertNothingYet(events); // the next tick is not due

            clock.advance();
            ServerEvent second = events.next(WAIT).orElseThrow();
            assertThat(second.lastEventId()).isEqualTo("1001");
            assertThat(second.retry()).isEmpty();
            Ticker.Tick tick = ticker.tick(1001);
            assertThat(second.data()).isEqualTo("{\"seq\":1001,\"time\":\"" + tick.time() + "\",\"symbol\":\"WEFT\",\"price\":"
                    + tick.price() + ",\"change\":" + tick.change() + "}");
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Transport.class)
    void a_reconnecting_client_gets_the_ticks_it_missed_from_last_event_id(Transport transport) {
        try (Client client = transport.start(app())) {
            try (EventStream events = EventStream.open(client, "/events/ticker", "last-event-id", "995")) {
                assertThat(ids(events, 5)).containsExactly(996L, 997L, 998L, 999L, 1000L);
                assertNothingYet(events);
            }
            try (EventStream events = EventStream.open(client, "/events/ticker", "last-event-id", "1000")) {
                assertNothingYet(events); // up to date: waits for 1001
                clock.advance();
                assertThat(ids(events, 1)).containsExactly(1001L);
            }
            try (EventStream events = EventStream.open(client, "/events/ticker", "last-event-id", "7")) {
                long now = clock.current();
                assertThat(ids(events, Ticker.MAX_REPLAY))
                        .containsExactlyElementsOf(LongStream.rangeClosed(now - Ticker.MAX_REPLAY + 1, now).boxed().toList());
            }
            try (EventStream events = EventStream.open(client, "/events/ticker", "last-event-id", "not-a-number")) {
                assertThat(ids(events, 1)).containsExactly(clock.current());
            }
        }
    }

    /** No event within 100 ms, and the stream still open. */
    private static void assertNothingYet(EventStream events) {
        assertThatThrownBy(() -> events.next(Duration.ofMillis(100)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("no event and no end of the stream");
    }

    private static List<Long> ids(EventStream events, int count) {
        return LongStream.range(0, count)
                .mapToObj(i -> Long.parseLong(events.next(WAIT).orElseThrow().lastEventId()))
                .toList();
    }

    @Test
    void ticks_are_a_function_of_their_number() {
        Ticker ticker = new Ticker(clock);
        assertThat(ticker.tick(42)).isEqualTo(new Ticker(new ManualTickClock(0)).tick(42));
        assertThat(ticker.tick(42).price()).isBetween(85.0, 115.0);
        assertThat(ticker.tick(43).change()).isEqualTo(Math.round((ticker.tick(43).price() - ticker.tick(42).price()) * 100) / 100.0);
    }

    @Test
    void the_page_is_in_the_jar() {
        assertThat(LiveApp.page()).contains("<title>Weft live demo</title>");
        assertThatThrownBy(() -> TickClock.every(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThat(Optional.of(TickClock.every(Duration.ofSeconds(1)).timeOf(3).toEpochMilli())).contains(3000L);
    }
}
