package dev.weft.test;

import static dev.weft.test.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.routing.Router;
import dev.weft.server.Server;
import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Load shedding: past {@code maxInFlight} requests being handled, or {@code maxConnections} open
 * connections, the server answers 503 with {@code retry-after} instead of queueing, and serves
 * again once below the limit.
 *
 * <p>The server runs one event loop, so the in-flight count a response releases is settled
 * (in the write's listener, on that loop) before the loop reads the client's next request.
 */
class OverloadTest {
    private static final long BOUND_SECONDS = 10;

    private final CountDownLatch entered = new CountDownLatch(2);
    private final CountDownLatch release = new CountDownLatch(1);
    /** How many times the /block handler was called. */
    private final AtomicInteger blockCalls = new AtomicInteger();
    private final Router app = Router.builder()
            .get("/", () -> "root")
            .get("/block", () -> {
                blockCalls.incrementAndGet();
                entered.countDown();
                if (!release.await(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("never released");
                }
                return "released";
            })
            .build();
    private TestClient client;

    @AfterEach
    void stop() {
        release.countDown();
        if (client != null) {
            client.close();
        }
    }

    @Test
    void a_request_over_max_in_flight_gets_503_with_retry_after_and_the_server_recovers_after_release()
            throws Exception {
        client = TestClient.start(app, Server.builder().ioThreads(1).maxInFlight(2));
        try (RawHttp first = RawHttp.connect(client.port());
                RawHttp second = RawHttp.connect(client.port());
                RawHttp third = RawHttp.connect(client.port())) {
            first.send(RawHttp.get("/block"));
            second.send(RawHttp.get("/block"));
            assertThat(entered.await(BOUND_SECONDS, TimeUnit.SECONDS)).as("both handlers are running").isTrue();

            RawHttp.Response shed = third.send(RawHttp.get("/block")).read();

            assertProblem(shed, 503);
            assertThat(shed.header("retry-after")).as("retry-after of %s", shed).isPresent();
            assertThat(blockCalls).as("the shed request never reached its handler").hasValue(2);

            release.countDown();
            RawHttp.Response firstResponse = first.read();
            RawHttp.Response secondResponse = second.read();

            assertThat(firstResponse.status()).isEqualTo(200);
            assertThat(firstResponse.text()).isEqualTo("released");
            assertThat(secondResponse.status()).isEqualTo(200);
            assertThat(secondResponse.text()).isEqualTo("released");
            // Shedding does not end the connection: the client may retry on it.
            assertThat(shed.connectionHas("close")).as("connection header of %s", shed).isFalse();
            assertThat(third.send(RawHttp.get("/block")).read().text()).isEqualTo("released");
        }
        try (RawHttp fresh = RawHttp.connect(client.port())) {
            RawHttp.Response response = fresh.send(RawHttp.get("/")).read();

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.text()).isEqualTo("root");
        }
    }

    @Test
    void a_connection_over_max_connections_gets_503_and_is_closed_and_a_slot_frees_when_one_closes()
            throws Exception {
        client = TestClient.start(app, Server.builder().maxConnections(2));
        try (RawHttp first = RawHttp.connect(client.port()); RawHttp second = RawHttp.connect(client.port())) {
            // An exchange on each proves both are open and counted.
            assertThat(first.send(RawHttp.get("/")).read().status()).isEqualTo(200);
            assertThat(second.send(RawHttp.get("/")).read().status()).isEqualTo(200);

            try (RawHttp third = RawHttp.connect(client.port())) {
                // The server answers on accepting the connection; the client has not sent a byte.
                RawHttp.Response refused = third.read();

                assertProblem(refused, 503);
                assertThat(refused.header("retry-after")).as("retry-after of %s", refused).isPresent();
                assertThat(refused.connectionHas("close")).as("connection header of %s", refused).isTrue();
                assertThat(third.closedByServer()).isTrue();
            }
            // The refused connection did not disturb the counted ones.
            assertThat(second.send(RawHttp.get("/")).read().status()).isEqualTo(200);

            first.close();
            RawHttp.Response served = awaitServed();

            assertThat(served.status()).isEqualTo(200);
            assertThat(served.text()).isEqualTo("root");
            assertThat(second.send(RawHttp.get("/")).read().status()).isEqualTo(200);
        }
    }

    /**
     * Polls with new connections until one is served: the server learns of a client's close
     * asynchronously, so the first attempts may still be refused at the limit.
     */
    private RawHttp.Response awaitServed() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(BOUND_SECONDS);
        RawHttp.Response last = null;
        for (int attempt = 0; attempt < 1_000 && System.nanoTime() < deadline; attempt++) {
            try (RawHttp probe = RawHttp.connect(client.port())) {
                last = probe.send(RawHttp.get("/")).read();
            } catch (IOException refusedMidway) {
                last = null; // closed at the limit before the response was read
            }
            if (last != null && last.status() == 200) {
                return last;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no connection was served within " + BOUND_SECONDS + " s; last answer: " + last);
    }
}
