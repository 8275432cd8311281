package dev.weft.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.middleware.ConcurrencyLimit;
import dev.weft.routing.Router;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link ConcurrencyLimit} over every client: many clients at once against one limit shared by two
 * routers, exactly {@code maxInFlight} handlers run, queued ones run later, the rest get 503 +
 * {@code retry-after} as problem+json, and the limit serves again once the handlers return.
 */
class ConcurrencyLimitTest {
    private static final int CLIENTS = 24;

    static Stream<Named<Function<Router, Client>>> clients() {
        return Clients.both();
    }

    private static CompletableFuture<TestResponse> async(Client client, String path) {
        CompletableFuture<TestResponse> result = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                result.complete(client.get(path));
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        return result;
    }

    @ParameterizedTest
    @MethodSource("clients")
    void many_concurrent_clients_get_exactly_the_limit_and_the_queue_then_503(Function<Router, Client> start)
            throws Exception {
        ConcurrencyLimit limit = ConcurrencyLimit.builder().maxInFlight(3).maxQueued(2)
                .queueTimeout(Duration.ofSeconds(30)).build();
        CountDownLatch release = new CountDownLatch(1);
        Router a = Router.builder().get("/work", () -> { release.await(30, TimeUnit.SECONDS); return "a"; })
                .routeLayer(limit).build();
        Router b = Router.builder().get("/work", () -> { release.await(30, TimeUnit.SECONDS); return "b"; })
                .routeLayer(limit).build();
        Router app = Router.builder().nest("/a", a).nest("/b", b).get("/free", () -> "free").build();
        try (Client client = start.apply(app)) {
            List<CompletableFuture<TestResponse>> all = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                all.add(async(client, i % 2 == 0 ? "/a/work" : "/b/work"));
            }
            // Everyone beyond 3 running and 2 waiting is answered without waiting for the release.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (all.stream().filter(CompletableFuture::isDone).count() < CLIENTS - 5) {
                assertThat(System.nanoTime()).as("refusals arrive while handlers still run").isLessThan(deadline);
                Thread.sleep(5);
            }
            assertThat(limit.inFlight()).isEqualTo(3);
            assertThat(limit.queued()).isEqualTo(2);
            assertThat(client.get("/free").status()).as("routes outside the limit").isEqualTo(200);

            release.countDown();
            int ok = 0;
            int refused = 0;
            for (CompletableFuture<TestResponse> f : all) {
                TestResponse response = f.get(30, TimeUnit.SECONDS);
                if (response.status() == 200) {
                    ok++;
                } else {
                    refused++;
                    assertThat(response.status()).isEqualTo(503);
                    assertThat(response.header("retry-after")).contains("1");
                    assertThat(response.contentType()).startsWith("application/problem+json");
                    assertThat(response.body()).contains("\"limit\":\"concurrency\"");
                }
            }
            assertThat(ok).isEqualTo(5);
            assertThat(refused).isEqualTo(CLIENTS - 5);
            assertThat(limit.rejected()).isEqualTo(CLIENTS - 5);
            assertThat(limit.inFlight()).isZero();
            assertThat(client.get("/a/work").status()).isEqualTo(200);
        }
    }
}
