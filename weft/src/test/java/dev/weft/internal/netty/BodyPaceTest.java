package dev.weft.internal.netty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.internal.netty.BodyPace.Verdict;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BodyPaceTest {
    private static final long S = 1_000_000_000L;
    private static final long T0 = 123_456_789L; // nanoTime may start anywhere, even negative

    private static BodyPace pace(long rate, long graceSeconds, long deadlineSeconds) {
        return BodyPace.of(rate, Duration.ofSeconds(graceSeconds), Duration.ofSeconds(deadlineSeconds), T0);
    }

    @Test
    void a_slow_body_is_not_judged_within_the_grace_period() {
        BodyPace pace = pace(240, 5, 0);
        pace.received(10);
        assertThat(pace.check(T0 + 4 * S)).isEqualTo(Verdict.OK);
    }

    @Test
    void a_body_slower_than_the_rate_after_the_grace_period_is_too_slow() {
        BodyPace pace = pace(240, 5, 0);
        pace.received(10 * 6); // 10 bytes a second for 6 s
        assertThat(pace.check(T0 + 6 * S)).isEqualTo(Verdict.TOO_SLOW);
    }

    @Test
    void the_rate_is_the_average_since_the_head_so_a_fast_start_carries_a_slow_end() {
        BodyPace pace = pace(240, 5, 0);
        pace.received(10_000);
        assertThat(pace.check(T0 + 30 * S)).isEqualTo(Verdict.OK);
        assertThat(pace.check(T0 + 42 * S)).isEqualTo(Verdict.TOO_SLOW);
    }

    @Test
    void a_body_at_exactly_the_rate_passes() {
        BodyPace pace = pace(240, 5, 0);
        pace.received(240 * 10);
        assertThat(pace.check(T0 + 10 * S)).isEqualTo(Verdict.OK);
    }

    @Test
    void a_body_still_arriving_after_the_deadline_is_too_long_whatever_its_rate() {
        BodyPace pace = pace(240, 5, 60);
        pace.received(1_000_000_000L);
        assertThat(pace.check(T0 + 60 * S)).isEqualTo(Verdict.OK);
        assertThat(pace.check(T0 + 61 * S)).isEqualTo(Verdict.TOO_LONG);
    }

    @Test
    void time_the_server_holds_the_client_back_does_not_count() {
        BodyPace pace = pace(240, 5, 60);
        pace.received(240 * 5);
        pace.pause(T0 + 5 * S);
        assertThat(pace.check(T0 + 100 * S)).isEqualTo(Verdict.OK);
        pace.resume(T0 + 100 * S);
        assertThat(pace.check(T0 + 100 * S)).isEqualTo(Verdict.OK);
        assertThat(pace.check(T0 + 106 * S)).isEqualTo(Verdict.TOO_SLOW);
        assertThat(pace.check(T0 + 156 * S)).isEqualTo(Verdict.TOO_LONG);
    }

    @Test
    void pausing_twice_counts_from_the_first_pause() {
        BodyPace pace = pace(0, 0, 10);
        pace.pause(T0 + S);
        pace.pause(T0 + 5 * S);
        pace.resume(T0 + 20 * S);
        assertThat(pace.check(T0 + 10 * S + 19 * S)).isEqualTo(Verdict.OK);
        assertThat(pace.check(T0 + 12 * S + 19 * S)).isEqualTo(Verdict.TOO_LONG);
    }

    @Test
    void zero_rate_and_zero_deadline_turn_the_checks_off() {
        BodyPace pace = pace(0, 0, 0);
        assertThat(pace.enabled()).isFalse();
        assertThat(pace.check(T0 + 1_000_000 * S)).isEqualTo(Verdict.OK);
    }

    @Test
    void many_gigabytes_do_not_overflow_the_rate() {
        BodyPace pace = pace(240, 5, 0);
        pace.received(Long.MAX_VALUE / 2);
        assertThat(pace.check(T0 + 10 * S)).isEqualTo(Verdict.OK);
    }
}
