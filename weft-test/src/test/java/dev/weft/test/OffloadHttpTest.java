package dev.weft.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.offload.Bulkhead;
import dev.weft.offload.Offload;
import dev.weft.routing.Router;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Offload and Bulkhead over every client: a full pool or bulkhead answers 503 problem+json with retry-after. */
class OffloadHttpTest {

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void a_full_offload_pool_answers_503_naming_the_pool_and_the_busy_request_still_succeeds(
            Function<Router, Client> start) throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (Offload offload = Offload.builder().name("hashing").threads(1).queue(0).build();
                Client client = start.apply(Router.builder()
                        .get("/busy", () -> offload.run(() -> {
                            started.countDown();
                            release.await();
                            return "hashed";
                        }))
                        .get("/quick", () -> offload.run(() -> "quick"))
                        .build())) {
            var busy = new java.util.concurrent.atomic.AtomicReference<TestResponse>();
            Thread caller = Thread.ofVirtual().start(() -> busy.set(client.get("/busy")));
            assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();

            TestResponse refused = client.get("/quick");
            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.contentType()).isEqualTo("application/problem+json");
            assertThat(refused.header("retry-after")).contains("1");
            assertThat(refused.body()).contains("\"limit\":\"hashing\"").contains("busy");
            assertThat(offload.rejected()).isEqualTo(1);

            release.countDown();
            caller.join(5_000);
            assertThat(busy.get().body()).isEqualTo("hashed");
            assertThat(client.get("/quick").body()).isEqualTo("quick");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void a_bulkhead_with_no_free_permit_answers_503_after_its_wait(Function<Router, Client> start) throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Bulkhead api = Bulkhead.builder().name("legacy-api").maxConcurrent(1).maxWait(Duration.ofMillis(50))
                .retryAfter(Duration.ofSeconds(3)).build();
        try (Client client = start.apply(Router.builder()
                .get("/slow", () -> api.call(() -> {
                    inside.countDown();
                    release.await();
                    return "slow";
                }))
                .get("/call", () -> api.call(() -> "called"))
                .build())) {
            Thread caller = Thread.ofVirtual().start(() -> client.get("/slow"));
            assertThat(inside.await(5, TimeUnit.SECONDS)).isTrue();
            TestResponse refused = client.get("/call");
            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.header("retry-after")).contains("3");
            assertThat(refused.body()).contains("\"limit\":\"legacy-api\"");
            release.countDown();
            caller.join(5_000);
            assertThat(client.get("/call").body()).isEqualTo("called");
        }
    }
}
