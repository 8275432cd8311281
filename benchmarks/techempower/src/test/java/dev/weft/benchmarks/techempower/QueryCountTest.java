package dev.weft.benchmarks.techempower;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class QueryCountTest {

    @Test
    void an_absent_parameter_counts_as_one() {
        assertThat(TechEmpowerApp.queryCount(Optional.empty())).isEqualTo(1);
    }

    @ParameterizedTest(name = "''{0}'' counts as {1}")
    @CsvSource(quoteCharacter = '"', value = {
        "\"\", 1", "abc, 1", "1.5, 1", "0, 1", "-1, 1", "-99999999999, 1",
        "1, 1", "20, 20", "500, 500", "501, 500", "99999999999, 500"})
    void the_parameter_is_clamped_to_1_to_500(String parameter, int expected) {
        assertThat(TechEmpowerApp.queryCount(Optional.of(parameter))).isEqualTo(expected);
    }
}
