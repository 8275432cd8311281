package dev.weft.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The binding rules of the default codec, one case per row of the table in {@link JsonCodec}'s
 * Javadoc: strict about missing values, nulls and scalar types; unknown fields ignored.
 */
class JsonBindingTest {
    public record Reading(String unit, double value) {}

    public record Flags(int n, boolean b, long l) {}

    public record Maybe(String a, Optional<String> b, OptionalInt c) {}

    public record Inner(int x) {}

    public record Outer(Inner inner, List<Inner> list) {}

    public record Counts(Map<String, Integer> m) {}

    public enum Color { RED, GREEN }

    public record Paint(Color color) {}

    private static final JsonCodec CODEC = JsonCodec.jackson();

    private static <T> T read(JsonCodec codec, String json, Class<T> type) {
        return codec.read(json.getBytes(StandardCharsets.UTF_8), type);
    }

    private static JsonReadException failure(JsonCodec codec, String json, Class<?> type) {
        return catchThrowableOfType(JsonReadException.class, () -> read(codec, json, type));
    }

    private static void assertDataError(String json, Class<?> type, String pointer) {
        JsonReadException e = failure(CODEC, json, type);
        assertThat(e).as("%s as %s", json, type.getSimpleName()).isNotNull();
        assertThat(e.kind()).isEqualTo(JsonReadException.Kind.DATA);
        assertThat(e.pointer()).isEqualTo(pointer);
    }

    @ParameterizedTest(name = "{0} -> 422 at {1}")
    @CsvSource(delimiter = '|', value = {
        "{\"unit\":\"C\"}                          | /value",
        "{\"unit\":\"C\",\"value\":null}           | /value",
        "{\"unit\":\"C\",\"value\":\"21.5\"}       | /value",
        "{\"unit\":\"C\",\"value\":\"NaN\"}        | /value",
        "{\"unit\":\"C\",\"value\":true}           | /value",
        "{\"value\":1}                             | /unit",
        "{\"unit\":null,\"value\":1}               | /unit",
        "{\"unit\":42,\"value\":1}                 | /unit",
        "{\"unit\":true,\"value\":1}               | /unit",
        "{\"unit\":{},\"value\":1}                 | /unit",
    })
    void a_missing_null_or_coerced_value_is_a_data_error_naming_its_field(String json, String pointer) {
        assertDataError(json, Reading.class, pointer);
    }

    @ParameterizedTest(name = "{0} -> 422 at {1}")
    @CsvSource(delimiter = '|', value = {
        "{}                                        | /n",
        "{\"n\":1,\"b\":true}                      | /l",
        "{\"n\":\"1\",\"b\":true,\"l\":1}          | /n",
        "{\"n\":1.5,\"b\":true,\"l\":1}            | /n",
        "{\"n\":1,\"b\":\"true\",\"l\":1}          | /b",
        "{\"n\":1,\"b\":1,\"l\":1}                 | /b",
        "{\"n\":1,\"b\":true,\"l\":\"1\"}          | /l",
        "{\"n\":2147483648,\"b\":true,\"l\":1}     | /n",
    })
    void primitives_are_never_defaulted_or_coerced(String json, String pointer) {
        assertDataError(json, Flags.class, pointer);
    }

    @Test
    void numbers_of_the_right_kind_bind() {
        assertThat(read(CODEC, "{\"unit\":\"C\",\"value\":21}", Reading.class)).isEqualTo(new Reading("C", 21.0));
        assertThat(read(CODEC, "{\"n\":1,\"b\":false,\"l\":9007199254740993}", Flags.class))
                .isEqualTo(new Flags(1, false, 9007199254740993L));
    }

    @Test
    void an_optional_component_may_be_missing_or_null() {
        assertThat(read(CODEC, "{\"a\":\"x\"}", Maybe.class)).isEqualTo(new Maybe("x", Optional.empty(), OptionalInt.empty()));
        assertThat(read(CODEC, "{\"a\":\"x\",\"b\":null,\"c\":null}", Maybe.class))
                .isEqualTo(new Maybe("x", Optional.empty(), OptionalInt.empty()));
        assertThat(read(CODEC, "{\"a\":\"x\",\"b\":\"y\",\"c\":3}", Maybe.class))
                .isEqualTo(new Maybe("x", Optional.of("y"), OptionalInt.of(3)));
        assertDataError("{\"a\":\"x\",\"b\":1}", Maybe.class, "/b");
    }

    @Test
    void nested_records_lists_and_maps_name_the_value_at_fault() {
        assertDataError("{\"inner\":{},\"list\":[]}", Outer.class, "/inner/x");
        assertDataError("{\"inner\":{\"x\":1},\"list\":[{\"x\":1},{}]}", Outer.class, "/list/1/x");
        assertDataError("{\"inner\":{\"x\":1},\"list\":[{\"x\":\"2\"}]}", Outer.class, "/list/0/x");
        assertDataError("{\"inner\":{\"x\":1}}", Outer.class, "/list");
        assertDataError("{\"m\":{\"a\":\"1\"}}", Counts.class, "/m/a");
        assertThat(read(CODEC, "{\"m\":{\"a\":1}}", Counts.class)).isEqualTo(new Counts(Map.of("a", 1)));
    }

    @Test
    void enums_bind_by_exact_name_only() {
        assertThat(read(CODEC, "{\"color\":\"RED\"}", Paint.class)).isEqualTo(new Paint(Color.RED));
        assertDataError("{\"color\":0}", Paint.class, "/color");
        assertDataError("{\"color\":\"red\"}", Paint.class, "/color");
    }

    @Test
    void a_list_element_of_the_wrong_type_is_named() {
        JsonReadException e = catchThrowableOfType(JsonReadException.class,
                () -> CODEC.read("[\"a\",1]".getBytes(StandardCharsets.UTF_8),
                        new tools.jackson.core.type.TypeReference<List<String>>() {}.getType()));
        assertThat(e.kind()).isEqualTo(JsonReadException.Kind.DATA);
        assertThat(e.pointer()).isEqualTo("/1");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"{\"n\":1,\"b\":true,\"l\":1}{}", "{\"n\":1,\"b\":true,\"l\":1} x",
            "{\"n\":1,\"b\":true,\"l\":1}]", "{\"n\":1,\"b\":true,\"l\":1} 1", "{\"n\":1,\"b\":true,\"l\":1}\"\""})
    void anything_after_the_document_is_a_syntax_error(String json) {
        assertThat(failure(CODEC, json, Flags.class).kind()).isEqualTo(JsonReadException.Kind.SYNTAX);
    }

    @Test
    void unknown_fields_are_ignored_unless_the_codec_rejects_them() {
        String json = "{\"unit\":\"C\",\"value\":1,\"extra\":[1,2]}";
        assertThat(read(CODEC, json, Reading.class)).isEqualTo(new Reading("C", 1));

        JsonReadException e = failure(JsonCodec.jacksonRejectingUnknownFields(), json, Reading.class);
        assertThat(e.kind()).isEqualTo(JsonReadException.Kind.DATA);
        assertThat(e.pointer()).isEqualTo("/extra");
    }

    @Test
    void the_lenient_codec_keeps_jacksons_defaults() {
        JsonCodec lenient = JsonCodec.jacksonLenient();
        assertThat(read(lenient, "{}", Flags.class)).isEqualTo(new Flags(0, false, 0));
        assertThat(read(lenient, "{\"unit\":\"C\",\"value\":\"21.5\"}", Reading.class)).isEqualTo(new Reading("C", 21.5));
        assertThat(read(lenient, "{\"value\":1}", Reading.class)).isEqualTo(new Reading(null, 1));
    }
}
