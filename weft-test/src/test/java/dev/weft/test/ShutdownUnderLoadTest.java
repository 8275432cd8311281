package dev.weft.test;

import static dev.weft.test.ShutdownTest.idleConnection;
import static dev.weft.test.ShutdownTest.inThread;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.extract.PathParam;
import dev.weft.routing.Router;
import dev.weft.server.RunningServer;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Graceful shutdown while keep-alive clients keep sending: what was started is answered whole,
 * keep-alive ends with {@code connection: close}, nothing new gets in, {@code close} returns,
 * and a deadline cuts only what outlives it, saying how much.
 *
 * <p>Each load client loops {@code GET /work/<client>/<n>} on one connection (the handler sleeps
 * 20 ms). The handler records every request it starts, so the test knows exactly which requests
 * the server took on. As in {@link ShutdownTest}, the test learns that draining has begun from an
 * idle keep-alive connection, which the server closes at that point.
 */
class ShutdownUnderLoadTest {
    private static final int CLIENTS = 8;
    private static final int MAX_REQUESTS_PER_CLIENT = 10_000;
    private static final long BOUND_SECONDS = 30;

    /** Requests whose handler ran, as {@code client/n}. */
    private final Set<String> started = ConcurrentHashMap.newKeySet();
    private final CountDownLatch blocked = new CountDownLatch(3);
    private final CountDownLatch release = new CountDownLatch(1);
    /** Set once the idle probe saw draining begin: a request sent after this must be answered with close. */
    private final AtomicBoolean drainingSeen = new AtomicBoolean();
    private final ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
    private TestClient client;
    private RunningServer server;

    @BeforeEach
    void start() {
        Router app = Router.builder()
                .get("/quick", () -> "quick")
                .get("/work/{client}/{n}", PathParam.string("client"), PathParam.string("n"), (c, n) -> {
                    started.add(c + "/" + n);
                    Thread.sleep(20);
                    return "done " + c + "/" + n;
                })
                .get("/block", () -> {
                    blocked.countDown();
                    release.await();
                    return "released";
                })
                .build();
        client = TestClient.start(app);
        server = client.server();
    }

    @AfterEach
    void stop() throws InterruptedException {
        release.countDown();
        client.close();
        pool.shutdownNow();
        assertThat(pool.awaitTermination(BOUND_SECONDS, TimeUnit.SECONDS)).as("load clients ended").isTrue();
    }

    @Test
    void close_under_load_answers_every_started_request_whole_says_close_and_refuses_new_connections()
            throws Exception {
        try (RawHttp idle = idleConnection(client.port()); RawHttp slow = RawHttp.connect(client.port())) {
            List<Future<LoadResult>> load = startLoad();
            awaitStarted(CLIENTS * 10);
            slow.send(RawHttp.get("/block")); // certainly in flight when close begins
            awaitCount(blocked, 2);

            CompletableFuture<Void> closing = inThread(() -> server.close(Duration.ofSeconds(BOUND_SECONDS)));
            assertThat(idle.closedByServer()).as("close() started draining").isTrue();
            drainingSeen.set(true);
            assertThat(RawHttp.refusesConnections(client.port())).as("new connections are refused").isTrue();
            release.countDown();

            RawHttp.Response late = slow.read();
            assertThat(late.status()).isEqualTo(200);
            assertThat(late.text()).isEqualTo("released");
            assertThat(late.connectionHas("close")).as("connection header of %s", late).isTrue();
            assertThat(slow.closedByServer()).isTrue();
            closing.get(BOUND_SECONDS, TimeUnit.SECONDS);

            List<LoadResult> results = results(load);
            assertThat(results).flatMap(LoadResult::problems).isEmpty();
            Set<String> answered = ConcurrentHashMap.newKeySet();
            results.forEach(r -> answered.addAll(r.answered()));
            assertThat(answered).as("requests answered with a whole 200").containsAll(started);
            assertThat(results).as("every client's connection ended").allMatch(LoadResult::ended);
        }
    }

    @Test
    void close_with_a_deadline_shorter_than_three_handlers_returns_and_logs_that_it_cut_three_requests()
            throws Exception {
        List<RawHttp> stuck = new ArrayList<>();
        try (LogCapture log = new LogCapture()) {
            List<Future<LoadResult>> load = startLoad();
            for (int i = 0; i < 3; i++) {
                stuck.add(RawHttp.connect(client.port()));
                stuck.get(i).send(RawHttp.get("/block")); // released only in stop()
            }
            awaitStarted(CLIENTS * 10);
            assertThat(blocked.await(BOUND_SECONDS, TimeUnit.SECONDS)).as("the three handlers run").isTrue();

            // Load requests take 20 ms, far within the deadline; only the three /block requests outlive it.
            inThread(() -> server.close(Duration.ofSeconds(2))).get(BOUND_SECONDS, TimeUnit.SECONDS);

            for (RawHttp connection : stuck) {
                assertThat(connection.closedByServer()).as("a cut request's connection is closed, unanswered")
                        .isTrue();
            }
            assertThat(log.messages()).contains("shutdown deadline of PT2S passed; cutting 3 in-flight request(s)");
            assertThat(results(load)).flatMap(LoadResult::problems).isEmpty();
        } finally {
            for (RawHttp connection : stuck) {
                connection.close();
            }
        }
    }

    @Test
    void pipelined_requests_received_before_close_are_all_answered_the_last_with_connection_close()
            throws Exception {
        assertPipelineAnsweredThroughShutdown(3);
    }

    @Test
    void pipelined_requests_past_the_per_connection_limit_received_before_close_are_all_answered() throws Exception {
        // 40 > the 32 requests handled at once per connection: the last 8 wait unstarted in the server.
        assertPipelineAnsweredThroughShutdown(40);
    }

    /**
     * Pipelines {@code GET /block} and {@code count - 1} {@code GET /work} requests in one write,
     * waits until the server has read them (the handlers of the first 31 behind /block run at
     * once), begins shutdown, releases /block, and expects every response in order, only the last
     * one with {@code connection: close}.
     */
    private void assertPipelineAnsweredThroughShutdown(int count) throws Exception {
        StringBuilder requests = new StringBuilder(RawHttp.get("/block"));
        for (int n = 1; n < count; n++) {
            requests.append(RawHttp.get("/work/pipelined/" + n));
        }
        try (RawHttp idle = idleConnection(client.port()); RawHttp connection = RawHttp.connect(client.port())) {
            connection.send(requests.toString());
            awaitCount(blocked, 2);
            awaitStarted(Math.min(count - 1, 31));

            CompletableFuture<Void> closing = inThread(() -> server.close(Duration.ofSeconds(BOUND_SECONDS)));
            assertThat(idle.closedByServer()).as("close() started draining").isTrue();
            release.countDown();

            List<RawHttp.Response> responses = new ArrayList<>();
            for (int n = 0; n < count; n++) {
                try {
                    responses.add(connection.read());
                } catch (IOException e) {
                    throw new AssertionError("response " + n + " of " + count + " did not come: " + e, e);
                }
            }
            assertThat(responses.getFirst().text()).isEqualTo("released");
            for (int n = 1; n < count; n++) {
                assertThat(responses.get(n).status()).isEqualTo(200);
                assertThat(responses.get(n).text()).isEqualTo("done pipelined/" + n);
            }
            for (int n = 0; n < count - 1; n++) {
                assertThat(responses.get(n).connectionHas("close")).as("close on response %d of %d", n, count)
                        .isFalse();
            }
            assertThat(responses.getLast().connectionHas("close")).as("close on the last response").isTrue();
            assertThat(connection.closedByServer()).isTrue();
            closing.get(BOUND_SECONDS, TimeUnit.SECONDS);
        }
    }

    /**
     * What one load client saw.
     *
     * @param answered the requests answered with a whole, correct 200
     * @param problems everything that went wrong (wrong answer, cut response, missing close)
     * @param ended whether the connection ended: after a response with {@code connection: close},
     *     or closed by the server before a request was answered
     */
    private record LoadResult(List<String> answered, List<String> problems, boolean ended) {}

    private List<Future<LoadResult>> startLoad() {
        List<Future<LoadResult>> load = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            String name = "c" + c;
            load.add(pool.submit(() -> loadClient(name)));
        }
        return load;
    }

    /** Sends one request after another on one keep-alive connection until the server ends it. */
    private LoadResult loadClient(String name) {
        List<String> answered = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        try (RawHttp connection = RawHttp.connect(client.port())) {
            for (int n = 0; n < MAX_REQUESTS_PER_CLIENT; n++) {
                String id = name + "/" + n;
                boolean afterDrainingBegan = drainingSeen.get();
                Optional<RawHttp.Response> answer;
                try {
                    connection.send(RawHttp.get("/work/" + id));
                    answer = connection.readUnlessClosed();
                } catch (java.net.SocketException closedBeforeTheRequest) {
                    answer = Optional.empty(); // the write met a connection the server had closed
                }
                if (answer.isEmpty()) {
                    return new LoadResult(answered, problems, true);
                }
                RawHttp.Response response = answer.get();
                if (response.status() != 200 || !response.text().equals("done " + id)) {
                    problems.add(id + ": " + response);
                } else {
                    answered.add(id);
                }
                if (afterDrainingBegan && !response.connectionHas("close")) {
                    problems.add(id + " was sent after draining began but kept the connection: " + response);
                }
                if (response.connectionHas("close")) {
                    if (!connection.closedByServer()) {
                        problems.add(id + ": the connection stayed open after connection: close");
                    }
                    return new LoadResult(answered, problems, true);
                }
            }
            problems.add(name + " sent " + MAX_REQUESTS_PER_CLIENT + " requests and the server never ended it");
        } catch (IOException | RuntimeException e) {
            problems.add(name + ": " + e); // a cut response, or no answer within the read timeout
        }
        return new LoadResult(answered, problems, false);
    }

    private static List<LoadResult> results(List<Future<LoadResult>> load) throws Exception {
        List<LoadResult> results = new ArrayList<>();
        for (Future<LoadResult> f : load) {
            results.add(f.get(BOUND_SECONDS, TimeUnit.SECONDS));
        }
        return results;
    }

    private void awaitStarted(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(BOUND_SECONDS);
        while (started.size() < count) {
            assertThat(System.nanoTime()).as("%d requests started in time", count).isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    /** Waits until {@code latch} has counted down to {@code remaining}. */
    private static void awaitCount(CountDownLatch latch, long remaining) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(BOUND_SECONDS);
        while (latch.getCount() > remaining) {
            assertThat(System.nanoTime()).as("latch at %d in time", remaining).isLessThan(deadline);
            Thread.sleep(5);
        }
    }
}
