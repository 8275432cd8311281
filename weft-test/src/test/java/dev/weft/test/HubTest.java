package dev.weft.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.extract.PathParam;
import dev.weft.extract.State;
import dev.weft.routing.Router;
import dev.weft.ws.Hub;
import dev.weft.ws.Message;
import dev.weft.ws.WebSocketOptions;
import dev.weft.ws.WebSocketUpgrade;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The broadcast hub: rooms, fan-out, auto-leave, and what a slow member costs (nothing to the others). */
class HubTest {

    /** A chat: every text a member sends goes to the room; "joined" tells the member it is in. */
    static Router chat(Hub hub, WebSocketOptions options) {
        return Router.builder()
                .state(Hub.class, hub)
                .get("/rooms/{room}", State.of(Hub.class), PathParam.string("room"),
                        WebSocketUpgrade.extractor(options), (h, room, ws) -> ws.accept(socket -> {
                            h.join(room, socket);
                            socket.send("joined");
                            for (Message m = socket.receive(); m instanceof Message.Text t; m = socket.receive()) {
                                if (t.text().equals("leave")) {
                                    h.leave(room, socket);
                                    socket.send("left");
                                } else {
                                    h.broadcast(room, t.text());
                                }
                            }
                        }))
                .build();
    }

    private static void awaitMembers(Hub hub, String room, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (hub.members(room) != count) {
            assertThat(System.nanoTime()).as("members of " + room + ": " + hub.members(room)).isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Transport.class)
    void a_broadcast_reaches_every_member_of_the_room_only(Transport transport) throws Exception {
        Hub hub = Hub.create();
        try (Client client = transport.start(chat(hub, WebSocketOptions.defaults()));
                var a = client.webSocket("/rooms/red"); var b = client.webSocket("/rooms/red");
                var other = client.webSocket("/rooms/blue")) {
            for (var ws : List.of(a, b, other)) {
                assertThat(ws.receiveText()).isEqualTo("joined");
            }
            a.send("hello red");
            assertThat(a.receiveText()).isEqualTo("hello red");
            assertThat(b.receiveText()).isEqualTo("hello red");
            other.send("hello blue");
            assertThat(other.receiveText()).isEqualTo("hello blue"); // not "hello red": it is not in red
            assertThat(hub.members("red")).isEqualTo(2);
            assertThat(hub.rooms()).containsExactlyInAnyOrder("red", "blue");
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Transport.class)
    void a_member_leaves_by_itself_when_its_session_ends(Transport transport) throws Exception {
        Hub hub = Hub.create();
        try (Client client = transport.start(chat(hub, WebSocketOptions.defaults()))) {
            var a = client.webSocket("/rooms/red");
            var b = client.webSocket("/rooms/red");
            assertThat(a.receiveText()).isEqualTo("joined");
            assertThat(b.receiveText()).isEqualTo("joined");
            awaitMembers(hub, "red", 2);
            a.close(1000, "bye");
            a.awaitClose(Duration.ofSeconds(5));
            awaitMembers(hub, "red", 1);
            b.close(); // vanishes without a close frame
            awaitMembers(hub, "red", 0);
            assertThat(hub.rooms()).isEmpty();
        }
    }

    @Test
    void leave_stops_the_broadcasts_and_the_session_goes_on() throws Exception {
        Hub hub = Hub.create();
        try (var client = InMemoryClient.of(chat(hub, WebSocketOptions.defaults()));
                var a = client.webSocket("/rooms/red"); var b = client.webSocket("/rooms/red")) {
            assertThat(a.receiveText()).isEqualTo("joined");
            assertThat(b.receiveText()).isEqualTo("joined");
            b.send("leave");
            assertThat(b.receiveText()).isEqualTo("left");
            a.send("after");
            assertThat(a.receiveText()).isEqualTo("after");
            a.send("only a hears this");
            assertThat(a.receiveText()).isEqualTo("only a hears this");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> b.receive(Duration.ofMillis(300)))
                    .isInstanceOf(AssertionError.class); // b is no member now
            assertThat(hub.members("red")).isEqualTo(1);
        }
    }

    @Test
    void json_and_binary_broadcasts() throws Exception {
        Hub hub = Hub.create();
        Router app = Router.builder().webSocket("/feed", socket -> {
            hub.join("feed", socket);
            socket.receive();
        }).build();
        try (var client = TestClient.start(app); var ws = client.webSocket("/feed")) {
            awaitMembers(hub, "feed", 1);
            hub.broadcastJson("feed", new Price("ACME", 12.5));
            assertThat(ws.receiveText()).isEqualTo("{\"symbol\":\"ACME\",\"price\":12.5}");
            hub.broadcast("feed", new byte[] {7, 8, 9});
            assertThat(ws.receive()).isInstanceOfSatisfying(Message.Binary.class,
                    b -> assertThat(b.bytes()).containsExactly(7, 8, 9));
            byte[] big = new byte[200_000]; // past the 16- and 64-bit length forms of a frame header
            big[199_999] = 42;
            hub.broadcast("feed", big);
            assertThat(ws.receive()).isInstanceOfSatisfying(Message.Binary.class,
                    b -> assertThat(b.bytes()).hasSize(200_000).endsWith(42));
        }
    }

    public record Price(String symbol, double price) {}

    /** A member that reads nothing, in memory: its socket holds 100 bytes, its hub queue 3 messages. */
    private static Router stalled(Hub hub) {
        WebSocketOptions tiny = WebSocketOptions.builder().maxPendingBytes(100).build();
        return Router.builder().webSocket("/feed", tiny, socket -> {
            hub.join("feed", socket);
            socket.receive();
        }).build();
    }

    @Test
    void a_member_that_falls_behind_is_disconnected_with_1008_by_default() throws Exception {
        Hub hub = Hub.builder().maxQueuedMessages(3).build();
        try (var client = InMemoryClient.of(stalled(hub)); var ws = client.webSocket("/feed")) {
            awaitMembers(hub, "feed", 1);
            for (int i = 0; i < 10; i++) {
                hub.broadcast("feed", "message %02d with some padding to fill the socket".formatted(i));
            }
            List<String> got = new ArrayList<>();
            Message m;
            while ((m = ws.receive()) instanceof Message.Text t) {
                got.add(t.text());
            }
            assertThat(((Message.Close) m).code()).isEqualTo(1008);
            assertThat(got).hasSizeLessThan(10);
            assertThat(hub.disconnected()).isEqualTo(1);
            awaitMembers(hub, "feed", 0);
        }
    }

    @Test
    void the_byte_bound_of_a_queue_trips_the_policy_too() throws Exception {
        Hub hub = Hub.builder().maxQueuedBytes(200).build(); // 256 messages would fit; 200 bytes do not
        try (var client = InMemoryClient.of(stalled(hub)); var ws = client.webSocket("/feed")) {
            awaitMembers(hub, "feed", 1);
            for (int i = 0; i < 10; i++) {
                hub.broadcast("feed", "message %02d with some padding to fill the socket".formatted(i));
            }
            Message m;
            do {
                m = ws.receive();
            } while (m instanceof Message.Text);
            assertThat(((Message.Close) m).code()).isEqualTo(1008);
            assertThat(hub.disconnected()).isEqualTo(1);
        }
    }

    @Test
    void drop_oldest_keeps_the_newest_messages() throws Exception {
        Hub hub = Hub.builder().maxQueuedMessages(3).slowClientPolicy(Hub.SlowClientPolicy.DROP_OLDEST).build();
        try (var client = InMemoryClient.of(stalled(hub)); var ws = client.webSocket("/feed")) {
            awaitMembers(hub, "feed", 1);
            for (int i = 0; i < 10; i++) {
                hub.broadcast("feed", "message %02d with some padding to fill the socket".formatted(i));
            }
            List<String> got = receiveAll(ws, 10 - (int) hub.dropped());
            assertThat(got).last().asString().startsWith("message 09");
            assertThat(got).doesNotContain("message 05 with some padding to fill the socket");
            assertThat(hub.dropped()).isPositive();
            assertThat(hub.disconnected()).isZero();
        }
    }

    @Test
    void drop_newest_keeps_the_first_messages() throws Exception {
        Hub hub = Hub.builder().maxQueuedMessages(3).slowClientPolicy(Hub.SlowClientPolicy.DROP_NEWEST).build();
        try (var client = InMemoryClient.of(stalled(hub)); var ws = client.webSocket("/feed")) {
            awaitMembers(hub, "feed", 1);
            for (int i = 0; i < 10; i++) {
                hub.broadcast("feed", "message %02d with some padding to fill the socket".formatted(i));
            }
            List<String> got = receiveAll(ws, 10 - (int) hub.dropped());
            assertThat(got).first().asString().startsWith("message 00");
            assertThat(got).noneMatch(s -> s.startsWith("message 09"));
        }
    }

    @Test
    void coalesce_keeps_the_latest_value_per_key() throws Exception {
        Hub hub = Hub.builder().maxQueuedMessages(10).slowClientPolicy(Hub.SlowClientPolicy.COALESCE).build();
        try (var client = InMemoryClient.of(stalled(hub)); var ws = client.webSocket("/feed")) {
            awaitMembers(hub, "feed", 1);
            String padding = "p".repeat(120); // more than the 100 bytes of socket room: what follows is queued
            hub.broadcast("feed", padding);
            hub.broadcast("feed", "ACME", "ACME 1");
            hub.broadcast("feed", "INIT", "INIT 1");
            hub.broadcast("feed", "ACME", "ACME 2");
            hub.broadcast("feed", "ACME", "ACME 3");
            hub.broadcast("feed", "INIT", "INIT 2");
            List<String> got = receiveAll(ws, 3);
            assertThat(got).containsExactly(padding, "ACME 3", "INIT 2");
            assertThat(hub.dropped()).isEqualTo(3);
        }
    }

    private static List<String> receiveAll(TestWebSocket ws, int count) {
        List<String> got = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            got.add(ws.receiveText());
        }
        return got;
    }

    /**
     * The case: 1,000 members on real sockets, 10 of which stop reading. Every broadcast
     * reaches the 990 others, the stalled ones are disconnected as slow consumers once their
     * queues (the defaults: 256 messages) are full, and the broadcaster never blocks.
     */
    @Test
    void a_broadcast_to_1000_members_with_10_stalled_reaches_the_990_others() throws Exception {
        Hub hub = Hub.create();
        // The stalled members' sockets get one 16 MiB frame first, more than the kernel's buffers
        // hold, and their route allows nothing else pending: the test's broadcasts find them
        // stalled at once. The frame is shared, so it costs 16 MiB in all.
        Hub filler = Hub.create();
        WebSocketOptions stalledOptions = WebSocketOptions.builder().maxPendingBytes(1).build();
        WebSocketOptions options = WebSocketOptions.defaults();
        int readers = 990;
        int stalledCount = 10;
        int messages = 600;
        String padding = "x".repeat(200);
        Router app = Router.builder()
                .merge(chat(hub, options))
                .webSocket("/stalled", stalledOptions, socket -> {
                    hub.join("big", socket);
                    filler.join("fill", socket);
                    socket.send("joined");
                    socket.receive();
                })
                .build();
        try (var client = TestClient.start(app)) {
            List<WebSocketClient> stalled = new ArrayList<>();
            for (int i = 0; i < stalledCount; i++) {
                WebSocketClient ws = WebSocketClient.connect(client.port(), "/stalled", 2048);
                assertThat(ws.receiveText()).isEqualTo("joined");
                stalled.add(ws); // and never read again
            }
            awaitMembers(filler, "fill", stalledCount);
            filler.broadcast("fill", new byte[16 << 20]);
            List<WebSocketClient> members = new ArrayList<>();
            for (int i = 0; i < readers; i++) {
                WebSocketClient ws = WebSocketClient.connect(client.port(), "/rooms/big");
                assertThat(ws.receiveText()).isEqualTo("joined");
                members.add(ws);
            }
            awaitMembers(hub, "big", readers + stalledCount);
            CountDownLatch done = new CountDownLatch(readers);
            AtomicInteger complete = new AtomicInteger();
            ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
            for (WebSocketClient ws : members) {
                Thread.ofVirtual().start(() -> {
                    try {
                        for (int n = 0; n < messages; n++) {
                            String text = ws.receive(Duration.ofSeconds(30)) instanceof Message.Text t ? t.text() : "?";
                            if (!text.startsWith(n + ":")) {
                                problems.add("expected message " + n + ", got " + text.substring(0, Math.min(8, text.length())));
                                return;
                            }
                        }
                        complete.incrementAndGet();
                    } catch (Throwable e) {
                        problems.add(String.valueOf(e));
                    } finally {
                        done.countDown();
                    }
                });
            }
            long start = System.nanoTime();
            for (int n = 0; n < messages; n++) {
                hub.broadcast("big", n + ":" + padding); // 124 KB in all: within a reader's 1 MiB of socket room
            }
            long broadcastMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(done.await(60, TimeUnit.SECONDS)).as("all readers done").isTrue();
            assertThat(problems).isEmpty();
            assertThat(complete.get()).isEqualTo(readers);
            assertThat(broadcastMillis).as("the broadcaster never waits for a stalled member").isLessThan(30_000);
            assertThat(hub.disconnected()).isEqualTo(stalledCount);
            awaitMembers(hub, "big", readers);
            for (WebSocketClient ws : stalled) {
                assertThat(ws.awaitDisconnect(Duration.ofSeconds(10))).isTrue();
                ws.close();
            }
            members.forEach(WebSocketClient::close);
        }
    }
}
