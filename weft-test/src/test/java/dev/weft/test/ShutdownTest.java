package dev.weft.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.routing.Router;
import dev.weft.server.RunningServer;
import dev.weft.server.Server;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Graceful shutdown: in-flight requests finish, new connections are refused, busy keep-alive
 * connections end with {@code connection: close}, and the deadline is honoured.
 *
 * <p>The tests learn that {@code close()} has started draining from an idle keep-alive
 * connection, which the server closes at that point; no test sleeps.
 */
class ShutdownTest {
    /** Far longer than any test needs, so only the tests that pass their own deadline hit one. */
    private static final Duration GRACE = Duration.ofSeconds(30);
    private static final long BOUND_SECONDS = 10;

    private final CountDownLatch entered = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    /** The virtual thread of the last /block request. */
    private final AtomicReference<Thread> blockThread = new AtomicReference<>();
    private TestClient client;
    private RunningServer server;

    @BeforeEach
    void start() {
        client = TestClient.start(app(), Server.builder().shutdownTimeout(GRACE));
        server = client.server();
    }

    private Router app() {
        return Router.builder()
                .get("/quick", () -> "quick")
                .get("/block", () -> {
                    blockThread.set(Thread.currentThread());
                    entered.countDown();
                    release.await();
                    return "finished";
                })
                .build();
    }

    @Test
    void close_without_a_deadline_uses_the_configured_shutdown_timeout_and_cuts_what_outlives_it()
            throws Exception {
        try (TestClient quickDeadline = TestClient.start(app(), Server.builder().shutdownTimeout(Duration.ofMillis(200)));
                LogCapture log = new LogCapture();
                RawHttp busy = RawHttp.connect(quickDeadline.port())) {
            busy.send(RawHttp.get("/block"));
            assertThat(entered.await(BOUND_SECONDS, TimeUnit.SECONDS)).isTrue();

            // No argument: the configured 200 ms, not this class's 30 s GRACE, bounds the wait.
            inThread(() -> quickDeadline.server().close()).get(BOUND_SECONDS, TimeUnit.SECONDS);

            assertThat(log.messages()).contains("shutdown deadline of PT0.2S passed; cutting 1 in-flight request(s)");
            assertThat(busy.closedByServer()).isTrue();
        }
    }

    @AfterEach
    void stop() {
        release.countDown(); // frees a handler a failed test left blocked
        client.close();
    }

    @Test
    void an_in_flight_request_finishes_with_200_while_close_runs() throws Exception {
        try (RawHttp busy = RawHttp.connect(client.port()); RawHttp idle = idleConnection()) {
            busy.send(RawHttp.get("/block"));
            assertThat(entered.await(BOUND_SECONDS, TimeUnit.SECONDS)).isTrue();

            CompletableFuture<Void> closing = inThread(() -> server.close());
            assertThat(idle.closedByServer()).as("close() started draining").isTrue();
            assertThat(closing).as("close() waits for the in-flight request").isNotDone();
            release.countDown();

            RawHttp.Response response = busy.read();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.text()).isEqualTo("finished");
            closing.get(BOUND_SECONDS, TimeUnit.SECONDS);
        }
    }

    @Test
    void idle_keep_alive_connections_are_closed_as_soon_as_close_starts() throws Exception {
        try (RawHttp busy = RawHttp.connect(client.port()); RawHttp idle = idleConnection()) {
            busy.send(RawHttp.get("/block"));
            assertThat(entered.await(BOUND_SECONDS, TimeUnit.SECONDS)).isTrue();

            CompletableFuture<Void> closing = inThread(() -> server.close());

            assertThat(idle.closedByServer()).isTrue();
            assertThat(closing).isNotDone();
            release.countDown();
            closing.get(BOUND_SECONDS, TimeUnit.SECONDS);
        }
    }

    @Test
    void new_connections_are_refused_once_close_has_started() throws Exception {
        try (RawHttp busy = RawHttp.connect(client.port()); RawHttp idle = idleConnection()) {
            busy.send(RawHttp.get("/block"));
            assertThat(entered.await(BOUND_SECONDS, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<Void> closing = inThread(() -> server.close());
            assertThat(idle.closedByServer()).isTrue();

            assertThat(RawHttp.refusesConnections(client.port())).isTrue();
            assertThat(closing).as("still draining").isNotDone();

            release.countDown();
            closing.get(BOUND_SECONDS, TimeUnit.SECONDS);
        }
    }

    @Test
    void a_keep_alive_connection_busy_during_draining_is_answered_with_connection_close() throws Exception {
        try (RawHttp connection = RawHttp.connect(client.port()); RawHttp idle = idleConnection()) {
            RawHttp.Response before = connection.send(RawHttp.get("/quick")).read();
            assertThat(before.connectionHas("close")).isFalse();
            connection.send(RawHttp.get("/block"));
            assertThat(entered.await(BOUND_SECONDS, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<Void> closing = inThread(() -> server.close());
            assertThat(idle.closedByServer()).isTrue();
            release.countDown();

            RawHttp.Response during = connection.read();

            assertThat(during.status()).isEqualTo(200);
            assertThat(during.connectionHas("close")).as("connection header of %s", during).isTrue();
            assertThat(connection.closedByServer()).isTrue();
            closing.get(BOUND_SECONDS, TimeUnit.SECONDS);
        }
    }

    @Test
    void close_with_a_quickDeadlinedeadline_returns_although_a_handler_never_finishes() throws Exception {
        try (RawHttp stuck = RawHttp.connect(client.port())) {
            stuck.send(RawHttp.get("/block")); // released only in stop()
            assertThat(entered.await(BOUND_SECONDS, TimeUnit.SECONDS)).isTrue();

            CompletableFuture<Void> closing = inThread(() -> server.close(Duration.ofMillis(200)));

            closing.get(BOUND_SECONDS, TimeUnit.SECONDS);
            assertThat(stuck.closedByServer()).as("the cut request's connection is closed").isTrue();
        }
    }

    @Test
    void a_handler_that_finishes_after_the_deadline_cut_its_request_ends_without_an_uncaught_exception()
            throws Exception {
        List<Throwable> uncaught = new CopyOnWriteArrayList<>();
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        try (RawHttp stuck = RawHttp.connect(client.port())) {
            stuck.send(RawHttp.get("/block"));
            assertThat(entered.await(BOUND_SECONDS, TimeUnit.SECONDS)).isTrue();
            Thread handler = blockThread.get();
            Thread.setDefaultUncaughtExceptionHandler((thread, failure) -> {
                if (thread == handler) {
                    uncaught.add(failure);
                } else if (previous != null) {
                    previous.uncaughtException(thread, failure);
                }
            });
            inThread(() -> server.close(Duration.ofMillis(200))).get(BOUND_SECONDS, TimeUnit.SECONDS);

            release.countDown(); // the handler finishes after the server is gone
            assertThat(handler.join(Duration.ofSeconds(BOUND_SECONDS))).as("the handler thread ended").isTrue();

            assertThat(uncaught).as("uncaught exceptions of the request thread").isEmpty();
        } finally {
            Thread.setDefaultUncaughtExceptionHandler(previous);
        }
    }

    @Test
    void close_is_idempotent() throws Exception {
        inThread(() -> server.close()).get(BOUND_SECONDS, TimeUnit.SECONDS);
        inThread(() -> server.close()).get(BOUND_SECONDS, TimeUnit.SECONDS);
        inThread(() -> server.close(Duration.ZERO)).get(BOUND_SECONDS, TimeUnit.SECONDS);

        assertThat(RawHttp.refusesConnections(client.port())).isTrue();
    }

    @Test
    void a_second_concurrent_close_returns_only_once_the_server_is_closed() throws Exception {
        try (RawHttp busy = RawHttp.connect(client.port()); RawHttp idle = idleConnection()) {
            busy.send(RawHttp.get("/block"));
            assertThat(entered.await(BOUND_SECONDS, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<Void> first = inThread(() -> server.close());
            assertThat(idle.closedByServer()).isTrue();

            CompletableFuture<Void> second = inThread(() -> server.close());
            // While the first close waits for /block, the second must wait too (not return at once).
            assertThatThrownBy(() -> second.get(300, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
            release.countDown();

            second.get(BOUND_SECONDS, TimeUnit.SECONDS);
            // By the time the second close() returned, the server was closed.
            assertThat(RawHttp.refusesConnections(client.port())).isTrue();
            first.get(BOUND_SECONDS, TimeUnit.SECONDS);
            assertThat(busy.read().text()).isEqualTo("finished");
        }
    }

    @Test
    void await_shutdown_returns_after_close() throws Exception {
        CompletableFuture<Void> waiter = inThread(() -> awaitShutdown(server));
        assertThat(client.get("/quick").body()).isEqualTo("quick");
        assertThat(waiter).as("awaitShutdown() blocks while the server runs").isNotDone();

        server.close();

        waiter.get(BOUND_SECONDS, TimeUnit.SECONDS);
    }

    private RawHttp idleConnection() throws Exception {
        return idleConnection(client.port());
    }

    /**
     * A keep-alive connection that has had one exchange ({@code GET /quick}) and is now idle: the
     * server closes it as soon as {@code close()} begins draining, which is how tests learn that.
     */
    static RawHttp idleConnection(int port) throws IOException {
        RawHttp connection = RawHttp.connect(port);
        RawHttp.Response response = connection.send(RawHttp.get("/quick")).read();
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.connectionHas("close")).isFalse();
        return connection;
    }

    private static void awaitShutdown(RunningServer server) {
        try {
            server.awaitShutdown();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Runs {@code action} on a new daemon thread. */
    static CompletableFuture<Void> inThread(Runnable action) {
        return CompletableFuture.runAsync(action, task -> Thread.ofPlatform().daemon().name("test-closer").start(task));
    }
}
