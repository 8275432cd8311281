package dev.weft.internal.routing;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.weft.FuzzInput;
import dev.weft.internal.http.PercentDecoder;
import dev.weft.routing.InvalidRouteException;
import java.util.ArrayList;
import java.util.List;

/**
 * Input: route patterns, one a line, then the request path on the last line.
 * Corpus: {@code src/test/resources/dev/weft/internal/routing/RouteTrieFuzzTestInputs/}.
 */
class RouteTrieFuzzTest {

    @FuzzTest
    void a_match_puts_its_parameters_back_into_the_path(byte[] data) {
        String[] lines = FuzzInput.wire(data).split("\n", -1);
        String path = PercentDecoder.latin1Target(lines[lines.length - 1]);
        if (path == null) {
            return; // the server answers such a target 400 before it routes
        }
        RouteTrie<PathPattern> trie = new RouteTrie<>();
        for (int i = 0; i < lines.length - 1; i++) {
            String line = lines[i];
            FuzzInput.unlessRejected(InvalidRouteException.class, () -> PathPattern.parse(line))
                    .ifPresent(pattern -> trie.getOrCreate(pattern, () -> pattern));
        }
        RouteTrie.Match<PathPattern> match = trie.match(path);
        if (match == null) {
            return;
        }
        PathPattern pattern = match.value();
        assertThat(match.params()).hasSameSizeAs(pattern.paramNames());
        List<String> parts = new ArrayList<>();
        int next = 0;
        for (PathPattern.Segment segment : pattern.segments()) {
            switch (segment) {
                case PathPattern.Literal l -> parts.add(l.text());
                case PathPattern.Param p -> {
                    assertThat(match.params()[next]).isNotEmpty().doesNotContain("/");
                    parts.add(match.params()[next++]);
                }
                case PathPattern.CatchAll c -> {
                    assertThat(match.params()[next]).isNotEmpty();
                    parts.add(match.params()[next++]);
                }
            }
        }
        assertThat("/" + String.join("/", parts)).isEqualTo(path);
    }
}
