package dev.weft.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.weft.FuzzInput;
import java.nio.charset.StandardCharsets;

/** Corpus: {@code src/test/resources/dev/weft/internal/http/PercentDecoderFuzzTestInputs/}. */
class PercentDecoderFuzzTest {

    @FuzzTest
    void decode_rejects_or_returns_text_no_longer_than_its_input(byte[] data) {
        for (String s : FuzzInput.texts(data)) {
            for (boolean plusAsSpace : new boolean[] {false, true}) {
                FuzzInput.unlessRejected(IllegalArgumentException.class, () -> PercentDecoder.decode(s, plusAsSpace))
                        .ifPresent(decoded -> {
                            assertThat(decoded.length()).isLessThanOrEqualTo(s.length());
                            if (s.indexOf('%') < 0 && (!plusAsSpace || s.indexOf('+') < 0)) {
                                assertThat(decoded).isEqualTo(s);
                            }
                        });
            }
        }
    }

    @FuzzTest
    void latin1_target_is_the_exact_utf8_of_the_wire_bytes_or_null(byte[] data) {
        String decoded = PercentDecoder.latin1Target(FuzzInput.wire(data));
        if (decoded != null) {
            assertThat(decoded.getBytes(StandardCharsets.UTF_8)).isEqualTo(data);
        }
    }
}
