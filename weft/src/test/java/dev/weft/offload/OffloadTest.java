package dev.weft.offload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.WeftException;
import dev.weft.extract.RejectedException;
import dev.weft.extract.Rejection;
import dev.weft.response.Response;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class OffloadTest {

    @Test
    void a_task_runs_on_a_platform_thread_and_its_result_comes_back() throws Exception {
        try (Offload offload = Offload.builder().threads(2).build()) {
            AtomicReference<String> where = new AtomicReference<>();
            Thread caller = Thread.ofVirtual().start(() -> {
                try {
                    where.set(offload.run(() -> (Thread.currentThread().isVirtual() ? "virtual " : "platform ")
                            + Thread.currentThread().getName()));
                } catch (Exception e) {
                    where.set(e.toString());
                }
            });
            caller.join();
            assertThat(where.get()).startsWith("platform weft-offload");
            assertThat(offload.completed()).isEqualTo(1);
        }
    }

    @Test
    void the_tasks_exception_comes_back_unchanged() {
        try (Offload offload = Offload.builder().threads(1).build()) {
            assertThatThrownBy(() -> offload.run(() -> {
                throw new IOException("disk");
            })).isInstanceOf(IOException.class).hasMessage("disk");
            assertThatThrownBy(() -> offload.run(() -> {
                throw new StackOverflowError("deep");
            })).isInstanceOf(StackOverflowError.class);
            assertThat(offload.completed()).isEqualTo(2);
        }
    }

    @Test
    void a_full_pool_and_queue_refuse_with_503_and_retry_after_and_the_task_does_not_run() throws Exception {
        try (Offload offload = Offload.builder().threads(1).queue(1).retryAfter(Duration.ofMillis(1500)).build()) {
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch started = new CountDownLatch(1);
            List<Thread> callers = new ArrayList<>();
            callers.add(Thread.ofVirtual().start(() -> call(offload, () -> {
                started.countDown();
                release.await();
                return "first";
            })));
            started.await();
            callers.add(Thread.ofVirtual().start(() -> call(offload, () -> "queued")));
            waitUntil(() -> offload.queued() == 1);
            assertThat(offload.active()).isEqualTo(1);

            AtomicBoolean ran = new AtomicBoolean();
            assertThatThrownBy(() -> offload.run(() -> ran.getAndSet(true)))
                    .isInstanceOfSatisfying(RejectedException.class, e -> {
                        Rejection.Unavailable r = (Rejection.Unavailable) e.rejection();
                        assertThat(r.limit()).isEqualTo("offload");
                        Response response = r.toResponse();
                        assertThat(response.status().code()).isEqualTo(503);
                        assertThat(response.headers().first("retry-after")).contains("2");
                        assertThat(response.headers().first("content-type")).contains("application/problem+json");
                        assertThat(r.problem().toJson()).contains("\"limit\":\"offload\"").contains("1 threads");
                    });
            assertThat(ran).isFalse();
            assertThat(offload.rejected()).isEqualTo(1);
            release.countDown();
            for (Thread caller : callers) {
                caller.join();
            }
            assertThat(offload.completed()).isEqualTo(2);
        }
    }

    @Test
    void interrupting_the_waiting_caller_interrupts_the_running_task() throws Exception {
        try (Offload offload = Offload.builder().threads(1).build()) {
            CountDownLatch started = new CountDownLatch(1);
            CountDownLatch taskInterrupted = new CountDownLatch(1);
            AtomicReference<Throwable> callerSaw = new AtomicReference<>();
            Thread caller = Thread.ofVirtual().start(() -> {
                try {
                    offload.run(() -> {
                        started.countDown();
                        try {
                            Thread.sleep(60_000);
                        } catch (InterruptedException e) {
                            taskInterrupted.countDown();
                        }
                        return null;
                    });
                } catch (Throwable t) {
                    callerSaw.set(t);
                }
            });
            started.await();
            caller.interrupt();
            caller.join(5_000);
            assertThat(callerSaw.get()).isInstanceOf(InterruptedException.class);
            assertThat(taskInterrupted.await(5, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void interrupting_a_queued_caller_removes_its_task_so_it_never_runs() throws Exception {
        try (Offload offload = Offload.builder().threads(1).queue(4).build()) {
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch started = new CountDownLatch(1);
            Thread busy = Thread.ofVirtual().start(() -> call(offload, () -> {
                started.countDown();
                release.await();
                return null;
            }));
            started.await();
            AtomicBoolean ran = new AtomicBoolean();
            Thread queued = Thread.ofVirtual().start(() -> call(offload, () -> ran.getAndSet(true)));
            waitUntil(() -> offload.queued() == 1);
            queued.interrupt();
            queued.join(5_000);
            assertThat(offload.queued()).isZero();
            release.countDown();
            busy.join();
            assertThat(offload.run(() -> "after")).isEqualTo("after");
            assertThat(ran).isFalse();
        }
    }

    @Test
    void a_nested_call_runs_inline_instead_of_deadlocking_a_full_pool() throws Exception {
        try (Offload offload = Offload.builder().threads(1).queue(0).build()) {
            assertThat(offload.run(() -> offload.run(() -> "inner"))).isEqualTo("inner");
        }
    }

    @Test
    void the_callers_mdc_reaches_the_task_and_does_not_stay_on_the_pool_thread() throws Exception {
        try (Offload offload = Offload.builder().threads(1).build()) {
            MDC.put("request_id", "r-1");
            try {
                assertThat(offload.run(() -> MDC.get("request_id"))).isEqualTo("r-1");
            } finally {
                MDC.remove("request_id");
            }
            assertThat(offload.run(() -> String.valueOf(MDC.get("request_id")))).isEqualTo("null");
        }
    }

    @Test
    void a_closed_pool_refuses_with_503() {
        Offload offload = Offload.builder().threads(1).build();
        offload.close();
        assertThatThrownBy(() -> offload.run(() -> "late"))
                .isInstanceOfSatisfying(RejectedException.class,
                        e -> assertThat(e.rejection().detail()).contains("closed"));
    }

    @Test
    void every_invalid_option_is_reported_at_once() {
        assertThatThrownBy(() -> Offload.builder().name("bad name!").threads(0).queue(-1)
                .retryAfter(Duration.ZERO).build())
                .isInstanceOf(WeftException.class)
                .hasMessageContaining("name must be")
                .hasMessageContaining("threads must be")
                .hasMessageContaining("queue must be")
                .hasMessageContaining("retryAfter must be");
    }

    @Test
    void the_default_queue_is_four_tasks_per_thread() {
        try (Offload offload = Offload.builder().threads(3).build()) {
            assertThat(offload.queueCapacity()).isEqualTo(12);
        }
    }

    static void call(Offload offload, java.util.concurrent.Callable<?> task) {
        try {
            offload.run(task);
        } catch (Exception ignored) {
            // the test looks at the pool's counters
        }
    }

    static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not reached in 5 s");
            }
            Thread.sleep(5);
        }
    }
}
