package dev.weft.test;

import static dev.weft.test.WebSocketClient.PING;
import static dev.weft.test.WebSocketClient.PONG;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.routing.Router;
import dev.weft.ws.Message;
import dev.weft.ws.WebSocket;
import dev.weft.ws.WebSocketOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The heartbeat (issue #11, item 3): the server pings, a peer silent for interval + timeout is cut
 * and its session's resources are freed, a peer that answers stays, and pings are answered at
 * once whatever the handler does. Short intervals; every upper bound has generous slack.
 */
class WebSocketHeartbeatTest {
    private static final Duration HEARTBEAT = Duration.ofMillis(200);
    private static final Duration TIMEOUT = Duration.ofMillis(300);
    private static final WebSocketOptions SHORT = WebSocketOptions.builder().heartbeat(HEARTBEAT)
            .heartbeatTimeout(TIMEOUT).build();

    /** A handler that receives until the end and reports it. */
    private static final class Recorder {
        final BlockingQueue<Message.Close> ends = new LinkedBlockingQueue<>();
        final BlockingQueue<Thread> threads = new LinkedBlockingQueue<>();
        final AtomicInteger running = new AtomicInteger();
        final CountDownLatch started;
        final CountDownLatch finished;

        Recorder(int sessions) {
            started = new CountDownLatch(sessions);
            finished = new CountDownLatch(sessions);
        }

        void handle(WebSocket socket) throws InterruptedException {
            threads.add(Thread.currentThread());
            running.incrementAndGet();
            started.countDown();
            try {
                Message m;
                do {
                    m = socket.receive();
                    if (m instanceof Message.Text t) {
                        socket.send(t.text());
                    }
                } while (!(m instanceof Message.Close));
                ends.add((Message.Close) m);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            } finally {
                running.decrementAndGet();
                finished.countDown();
            }
        }
    }

    /** Reads frames without answering pings until the connection ends; how many pings came. */
    private static int playDeadUntilDisconnected(WebSocketClient ws, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        int pings = 0;
        while (System.nanoTime() < deadline) {
            Optional<WebSocketClient.Frame> frame = ws.frame(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            if (frame.isEmpty()) {
                if (ws.awaitDisconnect(Duration.ofMillis(1))) {
                    return pings;
                }
                continue;
            }
            assertThat(frame.get().opcode()).as("only pings (no Close: the peer is taken for gone)").isEqualTo(PING);
            pings++;
        }
        throw new AssertionError("the server did not cut a silent peer within " + within);
    }

    /** Bytes of a frame still arriving prove the peer alive: a slow upload is not taken for silence. */
    @Test
    void a_large_frame_that_arrives_slowly_is_not_cut_by_the_heartbeat() throws Exception {
        var recorder = new Recorder(1);
        try (var client = TestClient.start(Router.builder().webSocket("/ws", SHORT, recorder::handle).build());
                var ws = client.webSocket("/ws")) {
            String text = "y".repeat(2_000);
            byte[] frame = WebSocketClient.encode(true, 0, WebSocketClient.TEXT, text.getBytes(), true);
            for (int at = 0; at < frame.length; at += 100) { // 2 s in all: four times interval + timeout
                ws.sendRaw(java.util.Arrays.copyOfRange(frame, at, Math.min(frame.length, at + 100)));
                Thread.sleep(100);
            }
            assertThat(ws.receiveText()).isEqualTo(text);
        }
    }

    @Test
    void a_client_that_never_answers_pings_is_cut_after_interval_plus_timeout() throws Exception {
        var recorder = new Recorder(1);
        try (var client = TestClient.start(Router.builder().webSocket("/ws", SHORT, recorder::handle).build());
                var ws = client.webSocket("/ws")) {
            long start = System.nanoTime();
            int pings = playDeadUntilDisconnected(ws, Duration.ofSeconds(10));
            long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(elapsed).as("not before interval + timeout").isGreaterThanOrEqualTo(400);
            assertThat(elapsed).as("soon after interval + timeout (500 ms), with slack for a loaded machine")
                    .isLessThan(5_000);
            assertThat(pings).isGreaterThanOrEqualTo(1);
            Message.Close end = recorder.ends.poll(10, TimeUnit.SECONDS);
            assertThat(end).isNotNull();
            assertThat(end.code()).isEqualTo(Message.Close.ABNORMAL);
            assertThat(end.reason()).startsWith("heartbeat timeout");
        }
    }

    @Test
    void silent_clients_are_cut_and_every_session_is_freed() throws Exception {
        int sessions = 20;
        var recorder = new Recorder(sessions);
        try (var client = TestClient.start(Router.builder().webSocket("/ws", SHORT, recorder::handle).build())) {
            List<WebSocketClient> clients = new ArrayList<>();
            try {
                for (int i = 0; i < sessions; i++) {
                    clients.add(client.webSocket("/ws").answerPings(false));
                }
                assertThat(recorder.started.await(10, TimeUnit.SECONDS)).isTrue();
                // Nobody reads: the clients are silent peers whose kernel still ACKs.
                assertThat(recorder.finished.await(10, TimeUnit.SECONDS)).as("every handler returned").isTrue();
                assertThat(recorder.running).hasValue(0);
                for (Thread t : recorder.threads) {
                    assertThat(t.join(Duration.ofSeconds(5))).as("handler thread %s ended", t).isTrue();
                }
                for (WebSocketClient ws : clients) {
                    playDeadUntilDisconnected(ws, Duration.ofSeconds(10));
                }
                assertThat(recorder.ends).hasSize(sessions)
                        .allSatisfy(end -> assertThat(end.code()).isEqualTo(Message.Close.ABNORMAL));
            } finally {
                clients.forEach(WebSocketClient::close);
            }
            try (var ws = client.webSocket("/ws")) {
                ws.send("the server goes on");
                assertThat(ws.receiveText()).isEqualTo("the server goes on");
            }
        }
    }

    @Test
    void a_client_that_answers_stays_connected_for_many_intervals() {
        // interval 100 ms, timeout 1 s: forty pings take four times interval + timeout.
        var options = WebSocketOptions.builder().heartbeat(Duration.ofMillis(100)).heartbeatTimeout(Duration.ofSeconds(1))
                .build();
        var recorder = new Recorder(1);
        try (var client = TestClient.start(Router.builder().webSocket("/ws", options, recorder::handle).build());
                var ws = client.webSocket("/ws")) {
            int pings = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (pings < 40 && System.nanoTime() < deadline) {
                var frame = ws.frame(5_000).orElseThrow(() -> new AssertionError("the session ended"));
                assertThat(frame.opcode()).isEqualTo(PING);
                ws.sendFrame(true, 0, PONG, frame.payload());
                pings++;
            }
            assertThat(pings).isEqualTo(40);
            ws.send("still here");
            assertThat(ws.receiveText()).isEqualTo("still here");
            assertThat(recorder.ends).isEmpty();
        }
    }

    @Test
    void the_servers_pings_fit_a_control_frame_and_differ() {
        try (var client = TestClient.start(Router.builder().webSocket("/ws", SHORT, new Recorder(1)::handle).build());
                var ws = client.webSocket("/ws")) {
            var first = ws.frame(5_000).orElseThrow();
            ws.sendFrame(true, 0, PONG, first.payload());
            var second = ws.frame(5_000).orElseThrow();
            for (var ping : List.of(first, second)) {
                assertThat(ping.opcode()).isEqualTo(PING);
                assertThat(ping.fin()).isTrue();
                assertThat(ping.payload().length).isLessThanOrEqualTo(125);
            }
            assertThat(second.payload()).isNotEqualTo(first.payload());
        }
    }

    @Test
    void a_handler_that_never_receives_still_answers_pings() throws Exception {
        var release = new CountDownLatch(1);
        var app = Router.builder().webSocket("/ws", socket -> {
            socket.send("ready");
            release.await(); // never calls receive()
        }).build();
        try (var client = TestClient.start(app); var ws = client.webSocket("/ws")) {
            assertThat(ws.receiveText()).isEqualTo("ready");
            for (int i = 0; i < 5; i++) {
                byte[] payload = ("ping " + i).getBytes(StandardCharsets.UTF_8);
                ws.sendFrame(true, 0, PING, payload);
                var pong = ws.frame(5_000).orElseThrow();
                assertThat(pong.opcode()).isEqualTo(PONG);
                assertThat(pong.payload()).isEqualTo(payload);
            }
        } finally {
            release.countDown();
        }
    }

    @Test
    void a_handler_that_only_sends_still_answers_pings() {
        var app = Router.builder().webSocket("/ws", socket -> {
            for (int i = 0; socket.isOpen(); i++) {
                socket.send("tick " + i);
                Thread.sleep(5);
            }
        }).build();
        try (var client = TestClient.start(app); var ws = client.webSocket("/ws")) {
            for (int i = 0; i < 5; i++) {
                byte[] payload = {(byte) i};
                ws.sendFrame(true, 0, PING, payload);
                WebSocketClient.Frame frame;
                int ticks = 0;
                do {
                    frame = ws.frame(5_000).orElseThrow();
                    ticks++;
                } while (frame.opcode() != PONG && ticks < 100_000);
                assertThat(frame.opcode()).isEqualTo(PONG);
                assertThat(frame.payload()).isEqualTo(payload);
            }
        }
    }

    @Test
    void a_client_that_sends_data_but_never_pongs_counts_as_alive() throws Exception {
        // Any frame proves the peer alive, not only a pong. Interval 100 ms, timeout 1 s: thirty
        // messages 100 ms apart take about three times interval + timeout.
        var options = WebSocketOptions.builder().heartbeat(Duration.ofMillis(100)).heartbeatTimeout(Duration.ofSeconds(1))
                .build();
        var recorder = new Recorder(1);
        try (var client = TestClient.start(Router.builder().webSocket("/ws", options, recorder::handle).build());
                var ws = client.webSocket("/ws").answerPings(false)) {
            for (int i = 0; i < 30; i++) {
                ws.send("m" + i);
                // Skips pings without answering them; the echo comes back.
                assertThat(ws.receiveText()).isEqualTo("m" + i);
                Thread.sleep(100);
            }
            assertThat(ws.pingsReceived()).isGreaterThanOrEqualTo(1);
            assertThat(recorder.ends).isEmpty();
        }
    }

    @Test
    void a_zero_heartbeat_sends_no_pings_and_keeps_a_silent_client() {
        var options = WebSocketOptions.builder().heartbeat(Duration.ZERO).build();
        try (var client = TestClient.start(Router.builder().webSocket("/ws", options, new Recorder(1)::handle).build());
                var ws = client.webSocket("/ws").answerPings(false)) {
            assertThat(ws.frame(1_500)).as("no ping, no close").isEmpty();
            ws.send("alive");
            assertThat(ws.receiveText()).isEqualTo("alive");
            assertThat(ws.pingsReceived()).isZero();
        }
    }
}
