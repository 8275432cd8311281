package dev.weft.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.weft.FuzzInput;

/**
 * Input: {@code name:value}, split at the first colon.
 * Corpus: {@code src/test/resources/dev/weft/http/HeadersFuzzTestInputs/}.
 */
class HeadersFuzzTest {

    @FuzzTest
    void a_field_is_refused_or_kept_without_any_byte_that_breaks_the_head(byte[] data) {
        for (String text : FuzzInput.texts(data)) {
            int colon = text.indexOf(':');
            String name = colon < 0 ? text : text.substring(0, colon);
            String value = colon < 0 ? "" : text.substring(colon + 1);
            FuzzInput.unlessRejected(IllegalArgumentException.class, () -> Headers.builder().add(name, value).build())
                    .ifPresent(headers -> {
                        assertThat(name).matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
                        assertThat(value).matches("[\\t\\x20-\\x7e\\x80-\\xff]*");
                        assertThat(headers.first(name)).contains(value);
                    });
        }
    }
}
