package dev.weft.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Method's equals and hashCode are written out (startup cost); they must mean what a record's do. */
class MethodTest {
    @Test
    void methods_with_the_same_name_are_equal_and_hash_alike() {
        Method extension = new Method("PURGE");
        assertThat(new Method("GET")).isEqualTo(Method.GET).hasSameHashCodeAs(Method.GET);
        assertThat(Method.of("PURGE")).isEqualTo(extension).hasSameHashCodeAs(extension);
        assertThat(Map.of(Method.POST, "x").get(new Method("POST"))).isEqualTo("x");
    }

    @Test
    void names_are_compared_case_sensitively() {
        assertThat(new Method("get")).isNotEqualTo(Method.GET);
        assertThat(Method.GET).isNotEqualTo(Method.HEAD).isNotEqualTo("GET").isNotEqualTo(null);
    }
}
