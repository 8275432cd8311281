package dev.weft.internal.routing;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.weft.FuzzInput;
import dev.weft.routing.InvalidRouteException;
import java.util.HashSet;

/** Corpus: {@code src/test/resources/dev/weft/internal/routing/PathPatternFuzzTestInputs/}. */
class PathPatternFuzzTest {

    @FuzzTest
    void parse_rejects_with_an_invalid_route_or_yields_one_segment_per_slash(byte[] data) {
        for (String text : FuzzInput.texts(data)) {
            FuzzInput.unlessRejected(InvalidRouteException.class, () -> PathPattern.parse(text)).ifPresent(pattern -> {
                assertThat(pattern.segments()).hasSize((int) text.chars().filter(c -> c == '/').count());
                assertThat(new HashSet<>(pattern.paramNames())).hasSameSizeAs(pattern.paramNames());
                assertThat(pattern.isStatic()).isEqualTo(pattern.paramNames().isEmpty());
            });
            FuzzInput.unlessRejected(InvalidRouteException.class, () -> PathPattern.parsePrefix(text))
                    .ifPresent(prefix -> assertThat(prefix.isPrefixOf(text)).isTrue());
        }
    }
}
