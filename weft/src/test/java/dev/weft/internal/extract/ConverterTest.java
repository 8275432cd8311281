package dev.weft.internal.extract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.WeftException;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ConverterTest {
    enum Color { RED, GREEN }

    @Test
    void integers_are_strict() {
        Converter<Long> longs = Converter.forType(Long.class);
        assertThat(longs.convertOrNull("-42")).isEqualTo(-42L);
        assertThat(longs.convertOrNull("+42")).isNull();
        assertThat(longs.convertOrNull("4 2")).isNull();
        assertThat(longs.convertOrNull("١٢")).isNull();
        assertThat(longs.convertOrNull("99999999999999999999")).isNull();
        assertThat(longs.convertOrNull("")).isNull();
        assertThat(longs.expected()).isEqualTo("an integer");
    }

    @Test
    void booleans_are_exactly_true_or_false() {
        Converter<Boolean> booleans = Converter.forType(boolean.class);
        assertThat(booleans.convertOrNull("true")).isTrue();
        assertThat(booleans.convertOrNull("false")).isFalse();
        assertThat(booleans.convertOrNull("yes")).isNull();
        assertThat(booleans.convertOrNull("TRUE")).isNull();
    }

    @Test
    void doubles_must_be_finite() {
        Converter<Double> doubles = Converter.forType(Double.class);
        assertThat(doubles.convertOrNull("1.5e3")).isEqualTo(1500.0);
        assertThat(doubles.convertOrNull("NaN")).isNull();
        assertThat(doubles.convertOrNull("Infinity")).isNull();
        assertThat(doubles.convertOrNull("1e999")).isNull();
    }

    @Test
    void enums_match_by_name_then_ignoring_case() {
        Converter<Color> colors = Converter.forType(Color.class);
        assertThat(colors.convertOrNull("RED")).isEqualTo(Color.RED);
        assertThat(colors.convertOrNull("green")).isEqualTo(Color.GREEN);
        assertThat(colors.convertOrNull("blue")).isNull();
        assertThat(colors.expected()).isEqualTo("one of [RED, GREEN]");
    }

    @Test
    void uuids_must_be_canonical() {
        Converter<UUID> uuids = Converter.forType(UUID.class);
        UUID id = UUID.randomUUID();
        assertThat(uuids.convertOrNull(id.toString())).isEqualTo(id);
        assertThat(uuids.convertOrNull("1-1-1-1-1")).isNull();
    }

    @Test
    void an_unknown_type_fails_with_a_hint() {
        assertThatThrownBy(() -> Converter.forType(Thread.class))
                .isInstanceOf(WeftException.class)
                .hasMessageContaining("pass a parser");
    }
}
