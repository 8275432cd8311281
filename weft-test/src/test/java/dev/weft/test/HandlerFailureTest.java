package dev.weft.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.routing.Router;
import dev.weft.server.Server;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A handler that throws answers 500 and leaves its connection in a usable state. */
class HandlerFailureTest {
    private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(20);
    private final CountDownLatch vmErrorThrown = new CountDownLatch(1);
    private TestClient client;

    @BeforeEach
    void start() {
        Router app = Router.builder()
                .get("/ok", () -> "ok")
                .get("/runtime", () -> {
                    throw new IllegalStateException("deliberate failure in a test");
                })
                .get("/checked", () -> {
                    throw new IOException("deliberate failure in a test");
                })
                .get("/error", () -> {
                    throw new AssertionError("deliberate failure in a test");
                })
                .get("/vm-error", () -> {
                    vmErrorThrown.countDown();
                    throw new OutOfMemoryError("deliberate failure in a test");
                })
                .build();
        client = TestClient.start(app, Server.builder().shutdownTimeout(SHUTDOWN_TIMEOUT));
    }

    @AfterEach
    void stop() {
        client.server().close(Duration.ofSeconds(1)); // a request left hanging by a failed test is cut
        client.close();
    }

    @Test
    void a_handler_that_throws_a_runtime_exception_does_not_break_the_connection() throws Exception {
        assertFailureThenOk("/runtime");
    }

    @Test
    void a_handler_that_throws_a_checked_exception_does_not_break_the_connection() throws Exception {
        assertFailureThenOk("/checked");
    }

    @Test
    void a_handler_that_throws_an_error_does_not_break_the_connection() throws Exception {
        assertFailureThenOk("/error");
    }

    @Test
    void a_handler_that_throws_a_virtual_machine_error_does_not_leave_its_connection_hanging() throws Exception {
        try (RawHttp connection = RawHttp.connect(client.port())) {
            connection.send(RawHttp.get("/vm-error"));

            // Either a 500 or a closed connection is fine; waiting forever for an answer is not.
            boolean answered;
            try {
                answered = connection.read().status() == 500;
            } catch (IOException closedOrTimedOut) {
                answered = false;
            }
            assertThat(answered || connection.closedByServer())
                    .as("the request got a 500 or its connection was closed").isTrue();
        }
    }

    @Test
    void a_handler_that_threw_a_virtual_machine_error_does_not_hold_up_shutdown() throws Exception {
        try (RawHttp connection = RawHttp.connect(client.port())) {
            connection.send(RawHttp.get("/vm-error"));
            assertThat(vmErrorThrown.await(RawHttp.TIMEOUT_MS, TimeUnit.MILLISECONDS)).isTrue();
        }

        // Nothing is in flight any more, so close() must not wait for the 20 s shutdown timeout.
        CompletableFuture<Void> closing = CompletableFuture.runAsync(() -> client.server().close(),
                task -> Thread.ofPlatform().daemon().name("test-closer").start(task));
        closing.get(SHUTDOWN_TIMEOUT.toSeconds() / 2, TimeUnit.SECONDS);
    }

    private void assertFailureThenOk(String failing) throws Exception {
        try (RawHttp connection = RawHttp.connect(client.port())) {
            RawHttp.Response failed = connection.send(RawHttp.get(failing)).read();
            RawHttp.Response next = connection.send(RawHttp.get("/ok")).read();

            assertThat(failed.status()).isEqualTo(500);
            assertThat(failed.header("content-type")).contains("application/problem+json");
            assertThat(failed.text()).doesNotContain("deliberate");
            assertThat(failed.connectionHas("close")).isFalse();
            assertThat(next.status()).isEqualTo(200);
            assertThat(next.text()).isEqualTo("ok");
        }
    }
}
