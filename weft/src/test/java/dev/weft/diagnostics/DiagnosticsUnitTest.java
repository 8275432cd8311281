package dev.weft.diagnostics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.WeftException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class DiagnosticsUnitTest {

    @Test
    void paths_lose_control_characters_and_are_cut_to_200_characters() {
        assertThat(Diagnostics.sanitise("/a\nb\r\u0000c\u007f\u0085\u2028")).isEqualTo("/a?b??c???");
        assertThat(Diagnostics.sanitise("/" + "x".repeat(500))).hasSize(201).endsWith("…");
        assertThat(Diagnostics.sanitise("/users/é")).isEqualTo("/users/é");
    }

    @Test
    void every_invalid_option_is_reported_at_once() {
        assertThatThrownBy(() -> Diagnostics.builder()
                .pinningThreshold(Duration.ofMillis(-1))
                .eventLoopProbeInterval(Duration.ZERO)
                .eventLoopLagThreshold(null)
                .slowHandler(Duration.ofSeconds(-5))
                .maxFrames(0)
                .maxListed(20_000)
                .logInterval(Duration.ofSeconds(-1))
                .build())
                .isInstanceOf(WeftException.class)
                .hasMessageContaining("pinningThreshold")
                .hasMessageContaining("eventLoopProbeInterval")
                .hasMessageContaining("eventLoopLagThreshold must be set")
                .hasMessageContaining("slowHandler")
                .hasMessageContaining("maxFrames")
                .hasMessageContaining("maxListed")
                .hasMessageContaining("logInterval");
    }

    @Test
    void the_same_stack_is_logged_once_per_window_and_the_suppressed_are_counted() {
        PinningMonitor.RateLimit limit = new PinningMonitor.RateLimit(Duration.ofHours(1));
        List<StackTraceElement> a = List.of(new StackTraceElement("A", "m", null, 1));
        List<StackTraceElement> b = List.of(new StackTraceElement("B", "m", null, 1));
        assertThat(limit.admit(a)).isZero();
        assertThat(limit.admit(a)).isEqualTo(-1);
        assertThat(limit.admit(a)).isEqualTo(-1);
        assertThat(limit.admit(b)).isZero(); // a different stack is its own report

        PinningMonitor.RateLimit every = new PinningMonitor.RateLimit(Duration.ZERO);
        assertThat(every.admit(a)).isZero();
        assertThat(every.admit(a)).isZero();
    }

    @Test
    void a_flood_of_distinct_stacks_keeps_the_signature_table_bounded_and_still_reports() {
        PinningMonitor.RateLimit limit = new PinningMonitor.RateLimit(Duration.ofHours(1));
        for (int i = 0; i < 5_000; i++) {
            assertThat(limit.admit(List.of(new StackTraceElement("C" + i, "m", null, i)))).isZero();
        }
    }

    @Test
    void closed_diagnostics_cannot_be_started_again() {
        Diagnostics diagnostics = Diagnostics.builder().pinning(false).build();
        diagnostics.close();
        assertThatThrownBy(diagnostics::start).isInstanceOf(IllegalStateException.class);
    }
}
