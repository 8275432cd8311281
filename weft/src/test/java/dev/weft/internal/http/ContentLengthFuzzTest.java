package dev.weft.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.weft.FuzzInput;

/** Corpus: {@code src/test/resources/dev/weft/internal/http/ContentLengthFuzzTestInputs/}. */
class ContentLengthFuzzTest {

    @FuzzTest
    void parse_rejects_or_reads_only_ascii_digits(byte[] data) {
        for (String value : FuzzInput.texts(data)) {
            FuzzInput.unlessRejected(NumberFormatException.class, () -> ContentLength.parse(value)).ifPresent(length -> {
                assertThat(length).isNotNegative();
                assertThat(value.strip()).matches("[0-9]+");
                assertThat(Long.parseLong(value.strip())).isEqualTo(length);
            });
        }
    }
}
