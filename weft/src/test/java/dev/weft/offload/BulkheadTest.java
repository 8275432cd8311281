package dev.weft.offload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.WeftException;
import dev.weft.extract.RejectedException;
import dev.weft.extract.Rejection;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class BulkheadTest {

    @Test
    void a_call_past_the_limit_waits_then_is_refused_with_503_naming_the_bulkhead() throws Exception {
        Bulkhead bulkhead = Bulkhead.builder().name("payments").maxConcurrent(1).maxWait(Duration.ofMillis(50)).build();
        CountDownLatch release = new CountDownLatch(1);
        Thread holder = holdPermit(bulkhead, release);
        assertThat(bulkhead.inUse()).isEqualTo(1);
        AtomicBoolean ran = new AtomicBoolean();
        assertThatThrownBy(() -> bulkhead.call(() -> ran.getAndSet(true)))
                .isInstanceOfSatisfying(RejectedException.class, e -> {
                    Rejection.Unavailable r = (Rejection.Unavailable) e.rejection();
                    assertThat(r.toResponse().status().code()).isEqualTo(503);
                    assertThat(r.toResponse().headers().first("retry-after")).contains("1");
                    assertThat(r.problem().toJson()).contains("\"limit\":\"payments\"").contains("limit 1");
                });
        assertThat(ran).isFalse();
        assertThat(bulkhead.rejected()).isEqualTo(1);
        release.countDown();
        holder.join();
        assertThat(bulkhead.call(() -> "free again")).isEqualTo("free again");
        assertThat(bulkhead.inUse()).isZero();
        assertThat(bulkhead.completed()).isEqualTo(2);
    }

    @Test
    void a_waiter_gets_the_permit_released_within_its_wait() throws Exception {
        Bulkhead bulkhead = Bulkhead.builder().name("db").maxConcurrent(1).maxWait(Duration.ofSeconds(5)).build();
        CountDownLatch release = new CountDownLatch(1);
        Thread holder = holdPermit(bulkhead, release);
        AtomicReference<Object> result = new AtomicReference<>();
        Thread waiter = Thread.ofVirtual().start(() -> {
            try {
                result.set(bulkhead.call(() -> "served"));
            } catch (Exception e) {
                result.set(e);
            }
        });
        OffloadTest.waitUntil(() -> bulkhead.waiting() == 1);
        release.countDown();
        waiter.join();
        holder.join();
        assertThat(result.get()).isEqualTo("served");
    }

    @Test
    void an_interrupted_waiter_leaves_without_running_its_call() throws Exception {
        Bulkhead bulkhead = Bulkhead.builder().name("db").maxConcurrent(1).maxWait(Duration.ofSeconds(30)).build();
        CountDownLatch release = new CountDownLatch(1);
        Thread holder = holdPermit(bulkhead, release);
        AtomicBoolean ran = new AtomicBoolean();
        AtomicReference<Throwable> seen = new AtomicReference<>();
        Thread waiter = Thread.ofVirtual().start(() -> {
            try {
                bulkhead.call(() -> ran.getAndSet(true));
            } catch (Throwable t) {
                seen.set(t);
            }
        });
        OffloadTest.waitUntil(() -> bulkhead.waiting() == 1);
        waiter.interrupt();
        waiter.join(5_000);
        assertThat(seen.get()).isInstanceOf(InterruptedException.class);
        assertThat(ran).isFalse();
        assertThat(bulkhead.waiting()).isZero();
        release.countDown();
        holder.join();
        assertThat(bulkhead.inUse()).isZero(); // the interrupted waiter took no permit
    }

    /** Takes one permit on another thread and holds it until {@code release}; returns once it is held. */
    private static Thread holdPermit(Bulkhead bulkhead, CountDownLatch release) throws InterruptedException {
        CountDownLatch inside = new CountDownLatch(1);
        Thread holder = Thread.ofVirtual().start(() -> {
            try {
                bulkhead.call(() -> {
                    inside.countDown();
                    release.await();
                    return null;
                });
            } catch (Exception ignored) {
                // not expected: the test checks the bulkhead's counters
            }
        });
        inside.await();
        return holder;
    }

    @Test
    void a_failing_call_releases_its_permit() {
        Bulkhead bulkhead = Bulkhead.of("api", 1);
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> bulkhead.call(() -> {
                throw new IllegalStateException("down");
            })).isInstanceOf(IllegalStateException.class);
        }
        assertThat(bulkhead.inUse()).isZero();
    }

    @Test
    void every_invalid_option_is_reported_at_once() {
        assertThatThrownBy(() -> Bulkhead.builder().maxConcurrent(0).maxWait(Duration.ofSeconds(-1))
                .retryAfter(null).build())
                .isInstanceOf(WeftException.class)
                .hasMessageContaining("name must be")
                .hasMessageContaining("maxConcurrent must be")
                .hasMessageContaining("maxWait must be")
                .hasMessageContaining("retryAfter must be");
    }
}
