package dev.weft.middleware;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.WeftException;
import dev.weft.http.Method;
import dev.weft.http.Request;
import dev.weft.response.BodyWriter;
import dev.weft.response.Response;
import dev.weft.response.ResponseBody;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class TimeoutTest {

    @Test
    void a_late_handler_is_answered_503_and_its_streamed_body_discarded() throws Exception {
        AtomicBoolean discarded = new AtomicBoolean();
        Timeout timeout = Timeout.of(Duration.ofMillis(20));
        Response response = timeout.handle(Request.builder(Method.GET, "/").build(), r -> {
            long until = System.nanoTime() + 100_000_000;
            while (System.nanoTime() < until) {
                Thread.onSpinWait(); // ignores the interrupt
            }
            return Response.of(dev.weft.response.Status.OK).withBody(new ResponseBody.Streaming(new BodyWriter() {
                @Override
                public void writeTo(dev.weft.response.BodyOutput out) {
                    throw new AssertionError("a discarded body is never written");
                }

                @Override
                public void discard() {
                    discarded.set(true);
                }
            }, -1));
        });
        assertThat(response.status().code()).isEqualTo(503);
        assertThat(discarded).isTrue();
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }

    @RepeatedTest(20)
    void a_handler_returning_at_the_deadline_never_leaves_the_interrupt_flag_set() throws Exception {
        Timeout timeout = Timeout.of(Duration.ofMillis(2));
        timeout.handle(Request.builder(Method.GET, "/").build(), r -> {
            long until = System.nanoTime() + 2_000_000;
            while (System.nanoTime() < until) {
                Thread.onSpinWait();
            }
            return Response.ok();
        });
        assertThat(Thread.interrupted()).isFalse();
    }

    @Test
    void retry_after_is_rounded_up_to_seconds_and_zero_sends_none() throws Exception {
        Next slow = r -> {
            Thread.sleep(10_000);
            return Response.ok();
        };
        Request request = Request.builder(Method.GET, "/").build();
        assertThat(Timeout.builder().deadline(Duration.ofMillis(5)).retryAfter(Duration.ofMillis(1500)).build()
                .handle(request, slow).header("retry-after")).contains("2");
        assertThat(Timeout.builder().deadline(Duration.ofMillis(5)).retryAfter(Duration.ZERO).build()
                .handle(request, slow).header("retry-after")).isEmpty();
    }

    @Test
    void invalid_options_are_reported_together() {
        assertThatThrownBy(() -> Timeout.builder().retryAfter(Duration.ofSeconds(-1)).build())
                .isInstanceOf(WeftException.class)
                .hasMessageContaining("deadline must be set")
                .hasMessageContaining("retryAfter must be zero to 1 day");
        assertThatThrownBy(() -> Timeout.of(Duration.ZERO)).hasMessageContaining("deadline must be 1 ms to 1 day");
    }
}
