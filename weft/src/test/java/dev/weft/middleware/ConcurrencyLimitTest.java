package dev.weft.middleware;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.WeftException;
import dev.weft.http.Method;
import dev.weft.http.Request;
import dev.weft.response.Response;
import dev.weft.routing.Handler;
import dev.weft.routing.Router;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

class ConcurrencyLimitTest {

    private static Response get(Router router, String path) {
        return router.handle(Request.builder(Method.GET, path).build());
    }

    private static CompletableFuture<Response> getAsync(Router router, String path) {
        CompletableFuture<Response> result = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> result.complete(get(router, path)));
        return result;
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 10 s");
            }
            Thread.sleep(2);
        }
    }

    private static String body(Response response) {
        return new String(((dev.weft.response.ResponseBody.Bytes) response.body()).bytes(), StandardCharsets.UTF_8);
    }

    @Test
    void builder_reports_every_problem_at_once() {
        assertThatThrownBy(() -> ConcurrencyLimit.builder()
                        .maxQueued(-1).queueTimeout(Duration.ZERO).retryAfter(Duration.ofMillis(10)).build())
                .isInstanceOf(WeftException.class)
                .hasMessageContaining("maxInFlight must be set")
                .hasMessageContaining("maxQueued must be zero or more, got -1")
                .hasMessageContaining("queueTimeout must be positive")
                .hasMessageContaining("retryAfter must be at least 1 s");
        assertThatThrownBy(() -> ConcurrencyLimit.of(0)).hasMessageContaining("maxInFlight must be at least 1, got 0");
    }

    @Test
    void one_value_limits_every_route_and_router_it_wraps_together() throws Exception {
        ConcurrencyLimit limit = ConcurrencyLimit.of(1);
        CountDownLatch release = new CountDownLatch(1);
        Router inner = Router.builder().get("/slow", () -> { release.await(); return "slow"; }).routeLayer(limit).build();
        Router app = Router.builder()
                .nest("/inner", inner)
                .get("/other", Handler.of(() -> "other").layer(limit))
                .get("/free", () -> "free")
                .build();
        CompletableFuture<Response> slow = getAsync(app, "/inner/slow");
        await(() -> limit.inFlight() == 1);

        Response refused = get(app, "/other");
        assertThat(refused.status().code()).isEqualTo(503);
        assertThat(get(app, "/free").status().code()).isEqualTo(200);

        release.countDown();
        assertThat(slow.get(10, TimeUnit.SECONDS).status().code()).isEqualTo(200);
        assertThat(get(app, "/other").status().code()).isEqualTo(200);
        assertThat(limit.inFlight()).isZero();
        assertThat(limit.rejected()).isEqualTo(1);
    }

    @Test
    void refusal_is_a_problem_with_retry_after_that_names_the_limit() throws Exception {
        ConcurrencyLimit limit = ConcurrencyLimit.builder().maxInFlight(1).retryAfter(Duration.ofMillis(2500)).build();
        CountDownLatch release = new CountDownLatch(1);
        Router app = Router.builder().get("/", () -> { release.await(); return "x"; }).routeLayer(limit).build();
        CompletableFuture<Response> first = getAsync(app, "/");
        await(() -> limit.inFlight() == 1);

        Response refused = get(app, "/");
        assertThat(refused.status().code()).isEqualTo(503);
        assertThat(refused.header("retry-after")).contains("3");
        assertThat(refused.header("content-type")).contains("application/problem+json");
        assertThat(body(refused)).contains("\"limit\":\"concurrency\"").contains("1 requests in flight");
        release.countDown();
        first.get(10, TimeUnit.SECONDS);
    }

    @Test
    void a_queued_request_runs_when_a_permit_is_released() throws Exception {
        ConcurrencyLimit limit = ConcurrencyLimit.builder().maxInFlight(1).maxQueued(1)
                .queueTimeout(Duration.ofSeconds(30)).build();
        CountDownLatch release = new CountDownLatch(1);
        Router app = Router.builder()
                .get("/hold", () -> { release.await(); return "held"; })
                .get("/quick", () -> "quick")
                .routeLayer(limit).build();
        CompletableFuture<Response> held = getAsync(app, "/hold");
        await(() -> limit.inFlight() == 1);
        CompletableFuture<Response> waiting = getAsync(app, "/quick");
        await(() -> limit.queued() == 1);

        assertThat(get(app, "/quick").status().code()).as("queue full").isEqualTo(503);
        assertThat(waiting).isNotDone();
        release.countDown();
        assertThat(waiting.get(10, TimeUnit.SECONDS).status().code()).isEqualTo(200);
        assertThat(held.get(10, TimeUnit.SECONDS).status().code()).isEqualTo(200);
        assertThat(limit.queued()).isZero();
        assertThat(limit.inFlight()).isZero();
    }

    @Test
    void a_queued_request_is_refused_after_the_queue_timeout() throws Exception {
        ConcurrencyLimit limit = ConcurrencyLimit.builder().maxInFlight(1).maxQueued(4)
                .queueTimeout(Duration.ofMillis(50)).build();
        CountDownLatch release = new CountDownLatch(1);
        Router app = Router.builder().get("/", () -> { release.await(); return "x"; }).routeLayer(limit).build();
        CompletableFuture<Response> held = getAsync(app, "/");
        await(() -> limit.inFlight() == 1);

        assertThat(get(app, "/").status().code()).isEqualTo(503);
        assertThat(limit.queued()).isZero();
        release.countDown();
        held.get(10, TimeUnit.SECONDS);
        assertThat(limit.inFlight()).isZero();
    }

    @Test
    void waiters_get_permits_in_arrival_order() throws Exception {
        ConcurrencyLimit limit = ConcurrencyLimit.builder().maxInFlight(1).maxQueued(8)
                .queueTimeout(Duration.ofSeconds(30)).build();
        CountDownLatch release = new CountDownLatch(1);
        List<String> order = java.util.Collections.synchronizedList(new ArrayList<>());
        Router app = Router.builder()
                .get("/hold", () -> { release.await(); return "held"; })
                .get("/n/{i}", dev.weft.extract.PathParam.string("i"), i -> { order.add(i); return i; })
                .routeLayer(limit).build();
        CompletableFuture<Response> held = getAsync(app, "/hold");
        await(() -> limit.inFlight() == 1);
        List<CompletableFuture<Response>> waiters = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            waiters.add(getAsync(app, "/n/" + i));
            int expected = i + 1;
            await(() -> limit.queued() == expected); // one at a time, so arrival order is known
        }
        release.countDown();
        for (CompletableFuture<Response> waiter : waiters) {
            assertThat(waiter.get(10, TimeUnit.SECONDS).status().code()).isEqualTo(200);
        }
        held.get(10, TimeUnit.SECONDS);
        assertThat(order).containsExactly("0", "1", "2", "3", "4", "5", "6", "7");
    }

    @Test
    void an_interrupted_waiter_gets_503_keeps_its_interrupt_and_takes_no_permit() throws Exception {
        ConcurrencyLimit limit = ConcurrencyLimit.builder().maxInFlight(1).maxQueued(1)
                .queueTimeout(Duration.ofSeconds(30)).build();
        CountDownLatch release = new CountDownLatch(1);
        Router app = Router.builder().get("/", () -> { release.await(); return "x"; }).routeLayer(limit).build();
        CompletableFuture<Response> held = getAsync(app, "/");
        await(() -> limit.inFlight() == 1);

        AtomicReference<Response> answer = new AtomicReference<>();
        AtomicReference<Boolean> interrupted = new AtomicReference<>();
        Thread waiter = Thread.ofVirtual().start(() -> {
            answer.set(get(app, "/"));
            interrupted.set(Thread.currentThread().isInterrupted());
        });
        await(() -> limit.queued() == 1);
        waiter.interrupt();
        waiter.join(10_000);

        assertThat(answer.get().status().code()).isEqualTo(503);
        assertThat(interrupted.get()).isTrue();
        assertThat(limit.queued()).isZero();
        release.countDown();
        held.get(10, TimeUnit.SECONDS);
        assertThat(limit.inFlight()).isZero();
        // The permit count is intact: exactly one request fits again.
        assertThat(get(app, "/").status().code()).isNotEqualTo(503);
    }

    @Test
    void a_failing_handler_releases_its_permit() {
        ConcurrencyLimit limit = ConcurrencyLimit.of(1);
        Router app = Router.builder()
                .get("/boom", () -> { throw new IllegalStateException("boom"); })
                .routeLayer(limit).build();
        for (int i = 0; i < 5; i++) {
            assertThat(get(app, "/boom").status().code()).isEqualTo(500);
        }
        assertThat(limit.inFlight()).isZero();
        assertThat(limit.rejected()).isZero();
    }

    @Test
    void many_concurrent_requests_never_exceed_the_limit() throws Exception {
        ConcurrencyLimit limit = ConcurrencyLimit.builder().maxInFlight(4).maxQueued(1000)
                .queueTimeout(Duration.ofSeconds(30)).build();
        java.util.concurrent.atomic.AtomicInteger running = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger peak = new java.util.concurrent.atomic.AtomicInteger();
        Router app = Router.builder().get("/", () -> {
            int now = running.incrementAndGet();
            peak.accumulateAndGet(now, Math::max);
            Thread.sleep(1);
            running.decrementAndGet();
            return "x";
        }).routeLayer(limit).build();
        List<CompletableFuture<Response>> all = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            all.add(getAsync(app, "/"));
        }
        for (CompletableFuture<Response> f : all) {
            assertThat(f.get(30, TimeUnit.SECONDS).status().code()).isEqualTo(200);
        }
        assertThat(peak.get()).isBetween(1, 4);
        assertThat(limit.inFlight()).isZero();
        assertThat(limit.queued()).isZero();
    }
}
