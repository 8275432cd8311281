package dev.weft.internal.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PercentDecoderTest {
    @Test
    void plain_text_is_returned_as_is() {
        String s = "hello";
        assertThat(PercentDecoder.decode(s, false)).isSameAs(s);
    }

    @Test
    void utf8_escapes_decode() {
        assertThat(PercentDecoder.decode("caf%C3%A9%20au%20lait", false)).isEqualTo("café au lait");
    }

    @Test
    void plus_is_a_space_only_in_forms() {
        assertThat(PercentDecoder.decode("a+b", true)).isEqualTo("a b");
        assertThat(PercentDecoder.decode("a+b", false)).isEqualTo("a+b");
    }

    @Test
    void invalid_utf8_is_refused() {
        assertThatThrownBy(() -> PercentDecoder.decode("%FF", false)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PercentDecoder.decode("%C3", false)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PercentDecoder.decode("%ED%A0%80", false)) // a UTF-16 surrogate
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void malformed_escapes_are_refused() {
        assertThatThrownBy(() -> PercentDecoder.decode("%", false)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PercentDecoder.decode("%4", false)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PercentDecoder.decode("%G0", false)).isInstanceOf(IllegalArgumentException.class);
    }
}
