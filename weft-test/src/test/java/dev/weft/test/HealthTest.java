package dev.weft.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.WeftException;
import dev.weft.health.Check;
import dev.weft.health.Health;
import dev.weft.routing.Router;
import dev.weft.server.Server;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link Health}: the probes, their JSON, status codes, timeouts, the cache and what each router tells. */
class HealthTest {
    private static final long BOUND_SECONDS = 10;
    /** Releases checks a test left hanging. */
    private final CountDownLatch release = new CountDownLatch(1);
    private final List<Client> opened = new ArrayList<>();

    static Stream<Named<Function<Router, Client>>> clients() {
        return Clients.both();
    }

    @AfterEach
    void cleanUp() throws Exception {
        release.countDown();
        for (Client client : opened) {
            client.close();
        }
    }

    private Client open(Function<Router, Client> start, Router router) {
        Client client = start.apply(router);
        opened.add(client);
        return client;
    }

    private static Health started(Health.Builder builder) {
        Health health = builder.build();
        health.started();
        return health;
    }

    @ParameterizedTest
    @MethodSource("clients")
    void a_failing_readiness_check_answers_503_naming_it(Function<Router, Client> start) {
        Health health = started(Health.builder()
                .readiness("db", () -> Check.Result.fail("connection refused"))
                .readiness("cache", Check.Result::pass));
        Client client = open(start, health.router());

        TestResponse ready = client.get("/health/ready");

        assertThat(ready.status()).isEqualTo(503);
        assertThat(ready.contentType()).isEqualTo("application/health+json");
        assertThat(ready.header("cache-control")).contains("no-store");
        assertThat(ready.body())
                .startsWith("{\"status\":\"fail\",\"checks\":{")
                .contains("\"db\":[{\"status\":\"fail\",\"time\":\"")
                .contains("\"cache\":[{\"status\":\"pass\"")
                .contains("\"durationMs\":");
    }

    @ParameterizedTest
    @MethodSource("clients")
    void passing_checks_answer_200_and_a_warning_still_passes_the_probe(Function<Router, Client> start) {
        Health health = started(Health.builder()
                .readiness("db", Check.Result::pass)
                .readiness("disk", () -> Check.Result.warn("92% full").withObservedValue(92, "%")));
        Client client = open(start, health.router(Health.Detail.FULL));

        TestResponse ready = client.get("/health/ready");

        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.body()).startsWith("{\"status\":\"warn\"")
                .contains("\"observedValue\":92,\"observedUnit\":\"%\",\"output\":\"92% full\"");
        assertThat(client.get("/health").status()).isEqualTo(200);
        assertThat(client.head("/health/ready").status()).isEqualTo(200);
    }

    @ParameterizedTest
    @MethodSource("clients")
    void exception_text_outputs_and_observed_values_appear_only_on_the_admin_router(Function<Router, Client> start) {
        Health health = started(Health.builder()
                .readiness("db", () -> {
                    throw new IllegalStateException("login failed for user app, password hunter2");
                })
                .readiness("pool", () -> Check.Result.pass().withObservedValue(7, "connections")
                        .withDetail("componentType", "datastore")));
        Client publicPort = open(start, health.router());
        Client adminPort = open(start, health.router(Health.Detail.FULL));

        String hidden = publicPort.get("/health/ready").body();
        String shown = adminPort.get("/health/ready").body();

        for (String secret : List.of("hunter2", "IllegalStateException", "connections", "datastore", "observedValue",
                "output", "started")) {
            assertThat(hidden).doesNotContain(secret);
        }
        assertThat(hidden).contains("\"db\":[{\"status\":\"fail\"");
        assertThat(shown).contains("\"output\":\"java.lang.IllegalStateException: login failed for user app, password hunter2\"")
                .contains("\"observedValue\":7,\"observedUnit\":\"connections\",\"componentType\":\"datastore\"")
                .contains("\"lifecycle\":[{\"status\":\"pass\",\"observedValue\":\"started\"}]");
    }

    @ParameterizedTest
    @MethodSource("clients")
    void liveness_passes_while_a_readiness_dependency_is_down(Function<Router, Client> start) {
        AtomicInteger dependencyCalls = new AtomicInteger();
        Health health = started(Health.builder().readiness("db", () -> {
            dependencyCalls.incrementAndGet();
            return Check.Result.fail("down");
        }));
        Client client = open(start, health.router());

        TestResponse live = client.get("/health/live");

        assertThat(live.status()).isEqualTo(200);
        assertThat(live.body()).isEqualTo("{\"status\":\"pass\",\"checks\":{}}");
        assertThat(dependencyCalls).as("liveness never runs a readiness check").hasValue(0);
        assertThat(client.get("/health/ready").status()).isEqualTo(503);
        assertThat(client.get("/health").status()).isEqualTo(503);
    }

    @ParameterizedTest
    @MethodSource("clients")
    void a_failing_liveness_check_fails_liveness(Function<Router, Client> start) {
        Health health = started(Health.builder().liveness("deadlock", () -> Check.Result.fail("threads deadlocked")));
        Client client = open(start, health.router());

        assertThat(client.get("/health/live").status()).isEqualTo(503);
    }

    @ParameterizedTest
    @MethodSource("clients")
    void a_hanging_check_times_out_and_never_runs_twice_at_once(Function<Router, Client> start) throws Exception {
        AtomicInteger runs = new AtomicInteger();
        Health health = started(Health.builder()
                .timeout(Duration.ofMillis(200))
                .cacheFor(Duration.ZERO)
                .readiness("db", () -> {
                    runs.incrementAndGet();
                    release.await(); // hangs until the test ends
                    return Check.Result.pass();
                })
                .readiness("fast", Check.Result::pass));
        Client client = open(start, health.router(Health.Detail.FULL));

        for (int i = 0; i < 5; i++) {
            TestResponse ready = CompletableFuture.supplyAsync(() -> client.get("/health/ready"))
                    .get(BOUND_SECONDS, TimeUnit.SECONDS); // bounded although the check never returns
            assertThat(ready.status()).isEqualTo(503);
            assertThat(ready.body()).contains("\"db\":[{\"status\":\"fail\"")
                    .contains("\"output\":\"timed out after 200 ms\"")
                    .contains("\"fast\":[{\"status\":\"pass\"");
        }
        assertThat(runs).as("one run in flight per check, however many probes").hasValue(1);
    }

    @Test
    void a_check_that_returns_after_timing_out_is_run_again_by_the_next_probe() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch slow = new CountDownLatch(1);
        Health health = started(Health.builder()
                .timeout(Duration.ofMillis(100))
                .cacheFor(Duration.ZERO)
                .readiness("db", () -> {
                    if (runs.incrementAndGet() == 1) {
                        slow.await();
                    }
                    return Check.Result.pass();
                }));
        try (InMemoryClient client = InMemoryClient.of(health.router())) {
            assertThat(client.get("/health/ready").status()).isEqualTo(503);
            slow.countDown();
            TestResponse ready = client.get("/health/ready");
            // The first run may still be finishing: its result (pass) or the second run's, never a pile-up.
            assertThat(ready.status()).isEqualTo(200);
            assertThat(runs.get()).isBetween(1, 2);
        }
    }

    @ParameterizedTest
    @MethodSource("clients")
    void the_cache_answers_rapid_probes_with_one_run(Function<Router, Client> start) {
        AtomicInteger runs = new AtomicInteger();
        Health health = started(Health.builder()
                .cacheFor(Duration.ofMinutes(1))
                .readiness("db", () -> {
                    runs.incrementAndGet();
                    return Check.Result.fail("down"); // failures are cached too: a down database is not hammered
                }));
        Client client = open(start, health.router());

        for (int i = 0; i < 20; i++) {
            assertThat(client.get("/health/ready").status()).isEqualTo(503);
        }
        assertThat(runs).hasValue(1);
    }

    @Test
    void without_a_cache_every_probe_runs_the_check() {
        AtomicInteger runs = new AtomicInteger();
        Health health = started(Health.builder().cacheFor(Duration.ZERO).readiness("db", () -> {
            runs.incrementAndGet();
            return Check.Result.pass();
        }));
        try (InMemoryClient client = InMemoryClient.of(health.router())) {
            for (int i = 0; i < 5; i++) {
                client.get("/health/ready");
            }
        }
        assertThat(runs).hasValue(5);
    }

    @Test
    void concurrent_probes_of_a_hanging_check_share_its_one_run() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        Health health = started(Health.builder().cacheFor(Duration.ZERO).timeout(Duration.ofMillis(300))
                .readiness("db", () -> {
                    runs.incrementAndGet();
                    release.await();
                    return Check.Result.pass();
                }));
        try (InMemoryClient client = InMemoryClient.of(health.router())) {
            List<CompletableFuture<TestResponse>> probes = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                probes.add(CompletableFuture.supplyAsync(() -> client.get("/health/ready"),
                        runnable -> Thread.ofVirtual().start(runnable)));
            }
            for (CompletableFuture<TestResponse> probe : probes) {
                assertThat(probe.get(BOUND_SECONDS, TimeUnit.SECONDS).status()).isEqualTo(503);
            }
        }
        assertThat(runs).hasValue(1);
    }

    @Test
    void checks_run_concurrently() {
        // Each check waits for the other to have started: run one after the other, both would time out.
        CountDownLatch both = new CountDownLatch(2);
        Check waitsForTheOther = () -> {
            both.countDown();
            return Check.Result.of(both.await(BOUND_SECONDS, TimeUnit.SECONDS), "ran alone");
        };
        Health health = started(Health.builder().timeout(Duration.ofSeconds(30))
                .readiness("a", waitsForTheOther).readiness("b", waitsForTheOther));
        try (InMemoryClient client = InMemoryClient.of(health.router())) {
            assertThat(client.get("/health/ready").status()).isEqualTo(200);
        }
    }

    @Test
    void startup_and_readiness_fail_until_started_and_startup_checks_stop_running_once_passed() {
        AtomicInteger startupRuns = new AtomicInteger();
        Health health = Health.builder().cacheFor(Duration.ZERO)
                .startup("migrations", () -> {
                    startupRuns.incrementAndGet();
                    return Check.Result.pass();
                })
                .build();
        try (InMemoryClient client = InMemoryClient.of(health.router(Health.Detail.FULL))) {
            assertThat(client.get("/health/started").status()).isEqualTo(503);
            assertThat(client.get("/health/ready").body())
                    .contains("\"lifecycle\":[{\"status\":\"fail\",\"observedValue\":\"starting\"}]");
            assertThat(client.get("/health/live").status()).isEqualTo(200);
            assertThat(startupRuns).as("not run before startup was marked").hasValue(0);

            health.started();

            assertThat(client.get("/health/started").status()).isEqualTo(200);
            assertThat(client.get("/health/ready").status()).isEqualTo(200);
            assertThat(client.get("/health/started").status()).isEqualTo(200);
            assertThat(startupRuns).as("latched once passed").hasValue(1);
        }
    }

    @Test
    void stopping_fails_readiness_but_not_liveness_or_startup() {
        Health health = started(Health.builder());
        try (InMemoryClient client = InMemoryClient.of(health.router())) {
            health.stopping();
            health.started(); // too late: stays stopping
            assertThat(client.get("/health/ready").status()).isEqualTo(503);
            assertThat(client.get("/health/live").status()).isEqualTo(200);
            assertThat(client.get("/health/started").status()).isEqualTo(200);
        }
    }

    @Test
    void a_check_returning_null_fails() {
        Health health = started(Health.builder().readiness("db", () -> null));
        try (InMemoryClient client = InMemoryClient.of(health.router(Health.Detail.FULL))) {
            assertThat(client.get("/health/ready").body()).contains("\"output\":\"the check returned no result\"");
        }
    }

    @Test
    void the_builder_reports_every_problem_at_once() {
        assertThatThrownBy(() -> Health.builder()
                .timeout(Duration.ZERO)
                .cacheFor(Duration.ofSeconds(-1))
                .readiness("db", Check.Result::pass)
                .liveness("db", Check.Result::pass)
                .readiness("", Check.Result::pass)
                .readiness("has space", Check.Result::pass)
                .readiness("lifecycle", Check.Result::pass)
                .readiness("nocheck", null)
                .check("slow", Check.Kind.READINESS, Duration.ofMillis(-5), Check.Result::pass)
                .build())
                .isInstanceOf(WeftException.class)
                .hasMessageContaining("timeout must be positive, got PT0S")
                .hasMessageContaining("cacheFor must be zero or positive, got PT-1S")
                .hasMessageContaining("check name 'db' is registered twice")
                .hasMessageContaining("check name '' must be")
                .hasMessageContaining("check name 'has space' must be")
                .hasMessageContaining("check name 'lifecycle' is reserved")
                .hasMessageContaining("check 'nocheck' is null")
                .hasMessageContaining("check 'slow' timeout must be positive, got PT-0.005S");
    }

    @Test
    void a_check_timeout_of_its_own_overrides_the_default() throws Exception {
        Health health = started(Health.builder().timeout(Duration.ofSeconds(30))
                .check("db", Check.Kind.READINESS, Duration.ofMillis(50), () -> {
                    release.await();
                    return Check.Result.pass();
                }));
        try (InMemoryClient client = InMemoryClient.of(health.router(Health.Detail.FULL))) {
            TestResponse ready = CompletableFuture.supplyAsync(() -> client.get("/health/ready"))
                    .get(BOUND_SECONDS, TimeUnit.SECONDS);
            assertThat(ready.body()).contains("timed out after 50 ms");
        }
    }

    @Test
    void server_options_reject_a_negative_shutdown_delay() {
        assertThatThrownBy(() -> Server.builder().shutdownDelay(Duration.ofSeconds(-1)).build())
                .hasMessageContaining("shutdownDelay must be zero or positive, got PT-1S");
    }
}
