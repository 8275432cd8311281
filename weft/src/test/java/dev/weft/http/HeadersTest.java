package dev.weft.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HeadersTest {
    @Test
    void lookup_ignores_case_and_keeps_order() {
        Headers headers = Headers.of("Set-Cookie", "a=1", "content-type", "text/plain", "set-cookie", "b=2");
        assertThat(headers.first("SET-COOKIE")).contains("a=1");
        assertThat(headers.all("set-cookie")).containsExactly("a=1", "b=2");
        assertThat(headers.size()).isEqualTo(3);
        assertThat(headers.names()).containsExactlyInAnyOrder("set-cookie", "content-type");
    }

    @Test
    void set_replaces_and_remove_deletes_every_value() {
        Headers headers = Headers.builder().add("a", "1").add("A", "2").add("b", "3").set("a", "9").remove("b").build();
        assertThat(headers.all("a")).containsExactly("9");
        assertThat(headers.contains("b")).isFalse();
    }

    @Test
    void values_with_line_breaks_are_refused() {
        assertThatThrownBy(() -> Headers.of("location", "/a\r\nset-cookie: x=1"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Headers.of("x", "a\nb")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Headers.of("x", "nul\0")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void names_must_be_tokens() {
        assertThatThrownBy(() -> Headers.of("bad name", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Headers.of("", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Headers.of("x:y", "x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void methods_are_case_sensitive_tokens() {
        assertThat(Method.of("GET")).isSameAs(Method.GET);
        assertThat(Method.of("get")).isNotEqualTo(Method.GET);
        assertThatThrownBy(() -> Method.of("GE T")).isInstanceOf(IllegalArgumentException.class);
    }
}
