package dev.weft.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.diagnostics.DiagnosticEvent;
import dev.weft.diagnostics.Diagnostics;
import dev.weft.diagnostics.EventLoopLag;
import dev.weft.extract.PathParam;
import dev.weft.routing.Handler;
import dev.weft.routing.Router;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Blocking diagnostics on a real server: pinned carriers, event-loop stalls, slow handlers, in-flight listing. */
class DiagnosticsTest {

    /** Blocks in its class initializer: on JDK 24+ that still pins the virtual thread (JEP 491 left it). */
    static final class SlowInit {
        static {
            sleep(100);
        }

        static String touch() {
            return "initialised";
        }
    }

    /** The same for the test helper's failing case (a class initializes once per JVM). */
    static final class SlowInitForDetector {
        static {
            sleep(100);
        }

        static String touch() {
            return "initialised";
        }
    }

    private static final Object LOCK = new Object();

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String frames(List<StackTraceElement> stack) {
        return stack.stream().map(StackTraceElement::toString).collect(Collectors.joining("\n"));
    }

    private static <T extends DiagnosticEvent> List<T> await(List<DiagnosticEvent> events, Class<T> type, int count)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15); // JFR delivers about once a second
        while (true) {
            List<T> found = events.stream().filter(type::isInstance).map(type::cast).toList();
            if (found.size() >= count || System.nanoTime() > deadline) {
                return found;
            }
            Thread.sleep(20);
        }
    }

    @Test
    void a_handler_that_blocks_in_a_class_initializer_is_reported_as_pinned_with_its_stack() throws Exception {
        List<DiagnosticEvent> events = new CopyOnWriteArrayList<>();
        try (Diagnostics diagnostics = Diagnostics.builder().listener(events::add).build().start();
                LogCapture log = new LogCapture("dev.weft.diagnostics", ch.qos.logback.classic.Level.WARN);
                TestClient client = TestClient.start(Router.builder()
                        .layer(diagnostics.layer())
                        .get("/init", () -> SlowInit.touch())
                        .build())) {
            assertThat(client.get("/init").body()).isEqualTo("initialised");
            List<DiagnosticEvent.Pinned> pins = await(events, DiagnosticEvent.Pinned.class, 1);
            assertThat(pins).isNotEmpty();
            DiagnosticEvent.Pinned pin = pins.getFirst();
            assertThat(pin.duration()).isGreaterThanOrEqualTo(Duration.ofMillis(20));
            assertThat(frames(pin.stack())).contains("SlowInit.<clinit>").contains("java.lang.Thread.sleep");
            assertThat(diagnostics.pinnedCount()).isGreaterThanOrEqualTo(1);
            assertThat(log.awaitEvents(1)).anySatisfy(e -> assertThat(e.getFormattedMessage())
                    .contains("was pinned to its carrier").contains("SlowInit.<clinit>"));
        }
    }

    @Test
    void the_test_helper_fails_a_test_whose_handler_pinned_a_carrier() {
        try (TestClient client = TestClient.start(Router.builder()
                .get("/init", () -> SlowInitForDetector.touch())
                .build())) {
            assertThatThrownBy(() -> PinningDetector.assertNoPinning(() -> client.get("/init")))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("pin(s) over 20 ms")
                    .hasMessageContaining("SlowInitForDetector.<clinit>");
        }
    }

    @Test
    void the_test_helper_passes_blocking_under_synchronized_which_no_longer_pins() throws Exception {
        try (TestClient client = TestClient.start(Router.builder()
                .get("/locked", () -> {
                    synchronized (LOCK) {
                        Thread.sleep(100);
                    }
                    return "done";
                })
                .build())) {
            PinningDetector.assertNoPinning(() -> assertThat(client.get("/locked").body()).isEqualTo("done"));
        }
    }

    @Test
    void a_non_blocking_route_that_sleeps_on_the_event_loop_is_reported_with_the_loops_stack() throws Exception {
        List<DiagnosticEvent> events = new CopyOnWriteArrayList<>();
        try (Diagnostics diagnostics = Diagnostics.builder().pinning(false).listener(events::add).build();
                TestClient client = TestClient.start(Router.builder()
                        .get("/stall", Handler.of(() -> {
                            Thread.sleep(400); // the bug under test: blocking on an event loop
                            return "stalled";
                        }).nonBlocking())
                        .build())) {
            diagnostics.watch(client.server());
            Thread.sleep(150); // every loop has run its first probe
            assertThat(client.get("/stall").body()).isEqualTo("stalled");
            List<DiagnosticEvent.EventLoopStall> stalls = await(events, DiagnosticEvent.EventLoopStall.class, 1);
            assertThat(stalls).hasSize(1); // one report per stall, not one per watchdog tick
            assertThat(stalls.getFirst().overdue()).isGreaterThan(Duration.ofMillis(200));
            assertThat(frames(stalls.getFirst().stack())).contains("java.lang.Thread.sleep")
                    .contains("DiagnosticsTest");
            assertThat(diagnostics.eventLoopStallCount()).isEqualTo(1);
            List<EventLoopLag> lags = diagnostics.eventLoops();
            assertThat(lags).isNotEmpty();
            assertThat(lags).anySatisfy(l -> assertThat(l.max()).isGreaterThan(Duration.ofMillis(200)));
        }
    }

    @Test
    void a_server_without_stalls_reports_none() throws Exception {
        List<DiagnosticEvent> events = new CopyOnWriteArrayList<>();
        try (Diagnostics diagnostics = Diagnostics.builder().pinning(false).listener(events::add).build();
                TestClient client = TestClient.start(Router.builder().get("/ok", () -> "ok").build())) {
            diagnostics.watch(client.server());
            for (int i = 0; i < 20; i++) {
                client.get("/ok");
            }
            Thread.sleep(300);
            assertThat(events).isEmpty();
            assertThat(diagnostics.eventLoops()).allSatisfy(l -> assertThat(l.loop()).contains("loop"));
        }
    }

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void a_slow_handler_is_reported_once_with_its_stack(Function<Router, Client> start) throws Exception {
        List<DiagnosticEvent> events = new CopyOnWriteArrayList<>();
        try (Diagnostics diagnostics = Diagnostics.builder().pinning(false).slowHandler(Duration.ofMillis(150))
                .listener(events::add).build().start();
                Client client = start.apply(Router.builder()
                        .layer(diagnostics.layer())
                        .get("/report/{id}", PathParam.of("id", Integer.class), id -> {
                            Thread.sleep(700);
                            return "report " + id;
                        })
                        .get("/fast", () -> "fast")
                        .build())) {
            assertThat(client.get("/fast").body()).isEqualTo("fast");
            assertThat(client.get("/report/7").body()).isEqualTo("report 7");
            Thread.sleep(200); // a second report would come within a watchdog tick or two
            List<DiagnosticEvent.SlowHandler> slow = await(events, DiagnosticEvent.SlowHandler.class, 1);
            assertThat(slow).hasSize(1);
            assertThat(slow.getFirst().request().path()).isEqualTo("/report/7");
            assertThat(slow.getFirst().request().route()).contains("/report/{id}");
            assertThat(slow.getFirst().request().age()).isGreaterThan(Duration.ofMillis(150));
            assertThat(frames(slow.getFirst().stack())).contains("java.lang.Thread.sleep").contains("DiagnosticsTest");
            assertThat(diagnostics.slowHandlerCount()).isEqualTo(1);
            assertThat(diagnostics.inFlight()).isEmpty();
        }
    }

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void the_admin_endpoint_lists_running_requests_oldest_first_and_bounded(Function<Router, Client> start)
            throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch entered = new CountDownLatch(3);
        try (Diagnostics diagnostics = Diagnostics.builder().pinning(false).maxListed(2).build().start();
                Client client = start.apply(Router.builder()
                        .layer(diagnostics.layer())
                        .get("/wait/{id}", PathParam.of("id", Integer.class), id -> {
                            entered.countDown();
                            release.await();
                            return "done " + id;
                        })
                        .build());
                InMemoryClient admin = InMemoryClient.of(diagnostics.router())) {
            List<Thread> callers = new ArrayList<>();
            for (int i = 1; i <= 3; i++) {
                String path = "/wait/" + i + "?token=secret";
                callers.add(Thread.ofVirtual().start(() -> client.get(path)));
                while (diagnostics.inFlight().size() < i) {
                    Thread.sleep(5); // arrival order is the listing order
                }
            }
            assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
            TestResponse listing = admin.get("/debug/requests");
            assertThat(listing.status()).isEqualTo(200);
            assertThat(listing.contentType()).startsWith("application/json");
            assertThat(listing.header("cache-control")).contains("no-store");
            String json = listing.body();
            assertThat(json).contains("\"inFlight\":3").contains("\"listed\":2")
                    .contains("\"route\":\"/wait/{id}\"").contains("\"path\":\"/wait/1\"")
                    .contains("\"path\":\"/wait/2\"").doesNotContain("/wait/3")
                    .contains("\"method\":\"GET\"").contains("\"ageMillis\":").contains("\"client\":")
                    .doesNotContain("secret");
            assertThat(json.indexOf("/wait/1")).isLessThan(json.indexOf("/wait/2"));
            release.countDown();
            for (Thread caller : callers) {
                caller.join(5_000);
            }
            assertThat(admin.get("/debug/requests").body()).contains("\"inFlight\":0");
        }
    }
}
