package dev.weft.test;

import static dev.weft.test.WebSocketClient.CLOSE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.routing.Router;
import dev.weft.server.Server;
import dev.weft.ws.Message;
import dev.weft.ws.WebSocket;
import dev.weft.ws.WebSocketOptions;
import dev.weft.ws.WebSocketUpgrade;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Shutdown with open sessions (issue #11, item 8): every session gets Close 1001 within the
 * deadline and its handler learns it and finishes; upgrades answered once shutdown started are
 * refused with 503; a peer that never answers the Close is cut at the close timeout or the
 * shutdown deadline, whichever comes first.
 */
class WebSocketShutdownTest {

    /** Handlers that receive until the end, reporting how it ended and that they returned. */
    private static final class Handlers {
        final BlockingQueue<Message.Close> ends = new LinkedBlockingQueue<>();
        final CountDownLatch started;
        final CountDownLatch finished;

        Handlers(int sessions) {
            started = new CountDownLatch(sessions);
            finished = new CountDownLatch(sessions);
        }

        void handle(WebSocket socket) throws InterruptedException {
            started.countDown();
            try {
                Message m;
                do {
                    m = socket.receive();
                } while (!(m instanceof Message.Close));
                ends.add((Message.Close) m);
            } finally {
                finished.countDown();
            }
        }
    }

    /** Closes the server on another thread (close() blocks until the sessions are done); when it returned, in ms. */
    private static CompletableFuture<Long> closeInBackground(TestClient client) {
        long start = System.nanoTime();
        return CompletableFuture.supplyAsync(() -> {
            client.server().close();
            return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        }, runnable -> Thread.ofPlatform().name("server-close").start(runnable));
    }

    private static boolean refusesConnections(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
            return false;
        } catch (IOException refused) {
            return true;
        }
    }

    @Test
    void every_open_session_gets_close_1001_and_every_handler_finishes() throws Exception {
        int sessions = 10;
        var handlers = new Handlers(sessions);
        var app = Router.builder().webSocket("/ws", handlers::handle).build();
        try (var client = TestClient.start(app, Server.builder().shutdownTimeout(Duration.ofSeconds(5)))) {
            List<WebSocketClient> clients = new ArrayList<>();
            try {
                for (int i = 0; i < sessions; i++) {
                    clients.add(client.webSocket("/ws"));
                }
                assertThat(handlers.started.await(10, TimeUnit.SECONDS)).isTrue();
                var closed = closeInBackground(client);
                for (WebSocketClient ws : clients) {
                    // awaitClose answers the Close frame, as a browser does.
                    Message.Close close = ws.awaitClose(Duration.ofSeconds(5));
                    assertThat(close.code()).isEqualTo(Message.Close.GOING_AWAY);
                    assertThat(ws.awaitDisconnect(Duration.ofSeconds(5))).isTrue();
                }
                assertThat(handlers.finished.await(10, TimeUnit.SECONDS)).as("every handler returned").isTrue();
                assertThat(handlers.ends).hasSize(sessions)
                        .allSatisfy(end -> assertThat(end.code()).isEqualTo(Message.Close.GOING_AWAY));
                // Peers that answer let the server stop well before its deadline.
                assertThat(closed.get(15, TimeUnit.SECONDS)).isLessThan(5_000);
                assertThat(refusesConnections(client.port())).isTrue();
            } finally {
                clients.forEach(WebSocketClient::close);
            }
        }
    }

    @Test
    void a_handler_blocked_elsewhere_is_interrupted_when_its_session_ends_at_shutdown() throws Exception {
        var interrupted = new CompletableFuture<Boolean>();
        var entered = new CountDownLatch(1);
        var app = Router.builder().webSocket("/ws", socket -> {
            entered.countDown();
            try {
                new CountDownLatch(1).await(); // never receives, never returns by itself
                interrupted.complete(false);
            } catch (InterruptedException e) {
                interrupted.complete(socket.closeReason().map(Message.Close::code).orElse(0) == 1001);
            }
        }).build();
        try (var client = TestClient.start(app, Server.builder().shutdownTimeout(Duration.ofSeconds(5)));
                var ws = client.webSocket("/ws")) {
            assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
            var closed = closeInBackground(client);
            assertThat(ws.awaitClose(Duration.ofSeconds(5)).code()).isEqualTo(1001);
            assertThat(interrupted.get(10, TimeUnit.SECONDS)).as("interrupted, and the session says 1001").isTrue();
            assertThat(closed.get(15, TimeUnit.SECONDS)).isLessThan(5_000);
        }
    }

    @Test
    void an_upgrade_answered_after_shutdown_started_is_refused_with_503() throws Exception {
        var entered = new CountDownLatch(1);
        var gate = new CountDownLatch(1);
        var app = Router.builder().get("/gated", WebSocketUpgrade.extractor(), upgrade -> {
            entered.countDown();
            gate.await();
            return upgrade.accept(socket -> socket.send("should not run"));
        }).build();
        try (var client = TestClient.start(app, Server.builder().shutdownTimeout(Duration.ofSeconds(5)))) {
            var answer = CompletableFuture.supplyAsync(() -> WebSocketClient.open(client.port(), "/gated"),
                    runnable -> Thread.ofPlatform().start(runnable));
            assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
            var closed = closeInBackground(client);
            // Shutdown has started once the listening socket is gone.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!refusesConnections(client.port()) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            gate.countDown();
            try (var ws = answer.get(10, TimeUnit.SECONDS)) {
                assertThat(ws.handshake().status()).isEqualTo(503);
                assertThat(ws.handshake().header("content-type")).contains("application/problem+json");
                assertThat(ws.awaitDisconnect(Duration.ofSeconds(5))).isTrue();
            }
            assertThat(closed.get(15, TimeUnit.SECONDS)).isLessThan(5_000);
        }
    }

    @Test
    void a_peer_that_never_answers_the_close_is_cut_at_the_close_timeout() throws Exception {
        var options = WebSocketOptions.builder().closeTimeout(Duration.ofMillis(500)).build();
        var handlers = new Handlers(1);
        var app = Router.builder().webSocket("/ws", options, handlers::handle).build();
        try (var client = TestClient.start(app, Server.builder().shutdownTimeout(Duration.ofSeconds(20)));
                var ws = client.webSocket("/ws")) {
            assertThat(handlers.started.await(10, TimeUnit.SECONDS)).isTrue();
            var closed = closeInBackground(client);
            // The client reads the Close 1001 but does not answer it.
            var close = ws.frame(5_000).orElseThrow();
            assertThat(close.opcode()).isEqualTo(CLOSE);
            assertThat(close.closeCode()).isEqualTo(1001);
            assertThat(ws.awaitDisconnect(Duration.ofSeconds(10))).isTrue();
            assertThat(closed.get(30, TimeUnit.SECONDS)).as("well before the 20 s deadline").isLessThan(10_000);
            assertThat(handlers.ends.poll(5, TimeUnit.SECONDS)).extracting(Message.Close::code).isEqualTo(1001);
        }
    }

    @Test
    void a_peer_that_never_answers_the_close_is_cut_at_the_shutdown_deadline() throws Exception {
        var options = WebSocketOptions.builder().closeTimeout(Duration.ofSeconds(60)).build();
        var handlers = new Handlers(1);
        var app = Router.builder().webSocket("/ws", options, handlers::handle).build();
        try (var client = TestClient.start(app, Server.builder().shutdownTimeout(Duration.ofSeconds(1)));
                var ws = client.webSocket("/ws")) {
            assertThat(handlers.started.await(10, TimeUnit.SECONDS)).isTrue();
            var closed = closeInBackground(client);
            var close = ws.frame(5_000).orElseThrow();
            assertThat(close.closeCode()).isEqualTo(1001);
            assertThat(ws.awaitDisconnect(Duration.ofSeconds(20))).as("cut long before the close timeout").isTrue();
            assertThat(closed.get(30, TimeUnit.SECONDS)).as("the 1 s deadline, with slack").isLessThan(10_000);
            assertThat(handlers.finished.await(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void a_session_that_is_closing_when_shutdown_starts_finishes_its_own_close() throws Exception {
        var handlers = new Handlers(1);
        var app = Router.builder().webSocket("/ws", handlers::handle).build();
        try (var client = TestClient.start(app, Server.builder().shutdownTimeout(Duration.ofSeconds(5)));
                var ws = client.webSocket("/ws")) {
            assertThat(handlers.started.await(10, TimeUnit.SECONDS)).isTrue();
            ws.close(1000, "leaving");
            var closed = closeInBackground(client);
            Message.Close close = ws.awaitClose(Duration.ofSeconds(5));
            assertThat(close.code()).isIn(1000, 1001);
            assertThat(handlers.ends.poll(5, TimeUnit.SECONDS)).isNotNull();
            assertThat(closed.get(15, TimeUnit.SECONDS)).isLessThan(5_000);
        }
    }
}
