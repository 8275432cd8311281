package dev.weft.internal.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class QueryParamsTest {
    @Test
    void pairs_are_split_and_decoded() {
        QueryParams q = QueryParams.parse("a=1&b=x+y&c=%C3%A9&flag&&a=2");
        assertThat(q.all("a")).containsExactly("1", "2");
        assertThat(q.first("b")).isEqualTo("x y");
        assertThat(q.first("c")).isEqualTo("é");
        assertThat(q.first("flag")).isEmpty();
        assertThat(q.first("missing")).isNull();
        assertThat(q.asMap().keySet()).containsExactly("a", "b", "c", "flag");
    }

    @Test
    void a_value_may_contain_equals_signs() {
        assertThat(QueryParams.parse("token=a=b=").first("token")).isEqualTo("a=b=");
    }

    @Test
    void invalid_encoding_anywhere_is_refused() {
        assertThatThrownBy(() -> QueryParams.parse("ok=1&bad=%FF")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void null_and_empty_are_empty() {
        assertThat(QueryParams.parse(null).asMap()).isEmpty();
        assertThat(QueryParams.parse("").asMap()).isEmpty();
    }
}
