package dev.weft.response;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProblemTypeTest {

    @Test
    void the_type_is_about_blank_unless_given() {
        assertThat(Problem.of(Status.NOT_FOUND, "gone").toJson()).startsWith("{\"type\":\"about:blank\",\"title\":\"Not Found\"");
        assertThat(new Problem(Status.NOT_FOUND, "gone", Map.of()).type()).isEqualTo("about:blank");
    }

    @Test
    void a_given_type_is_written_first_and_kept_by_with() {
        Problem problem = Problem.of(Status.TOO_MANY_REQUESTS, "slow down")
                .withType("https://iana.org/assignments/http-problem-types#quota-exceeded")
                .with("violated-policies", java.util.List.of("api"));
        assertThat(problem.toJson()).isEqualTo("{\"type\":\"https://iana.org/assignments/http-problem-types#quota-exceeded\","
                + "\"title\":\"Too Many Requests\",\"status\":429,\"detail\":\"slow down\",\"violated-policies\":[\"api\"]}");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "has space", "quote\"d", "back\\slash", "caf\u00e9", "line\nbreak"})
    void a_type_that_is_not_a_uri_reference_is_refused(String type) {
        assertThatThrownBy(() -> Problem.of(Status.BAD_REQUEST, "x").withType(type))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
