package dev.weft.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.weft.FuzzInput;
import java.util.List;
import java.util.Map;

/** Corpus: {@code src/test/resources/dev/weft/internal/http/QueryParamsFuzzTestInputs/}. */
class QueryParamsFuzzTest {

    @FuzzTest
    void parse_rejects_or_yields_no_more_text_than_it_was_given(byte[] data) {
        for (String raw : FuzzInput.texts(data)) {
            FuzzInput.unlessRejected(IllegalArgumentException.class, () -> QueryParams.parse(raw)).ifPresent(query -> {
                int chars = 0;
                for (Map.Entry<String, List<String>> field : query.asMap().entrySet()) {
                    assertThat(field.getValue()).isNotEmpty();
                    assertThat(query.first(field.getKey())).isEqualTo(field.getValue().getFirst());
                    chars += field.getKey().length() * field.getValue().size();
                    for (String value : field.getValue()) {
                        chars += value.length();
                    }
                }
                assertThat(chars).isLessThanOrEqualTo(raw.length());
            });
        }
    }
}
