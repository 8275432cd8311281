package dev.weft.response;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProblemTest {
    @Test
    void a_problem_is_rfc9457_json() {
        Problem problem = Problem.of(Status.BAD_REQUEST, "path parameter 'id' must be an integer").with("parameter", "id");
        assertThat(problem.toJson()).isEqualTo("{\"type\":\"about:blank\",\"title\":\"Bad Request\",\"status\":400,"
                + "\"detail\":\"path parameter 'id' must be an integer\",\"parameter\":\"id\"}");
        Response response = problem.toResponse();
        assertThat(response.status()).isEqualTo(Status.BAD_REQUEST);
        assertThat(response.header("content-type")).contains("application/problem+json");
    }

    @Test
    void strings_are_escaped() {
        String json = Problem.of(Status.BAD_REQUEST, "quote \" backslash \\ newline \n tab \t bell \u0007").toJson();
        assertThat(json).contains("quote \\\" backslash \\\\ newline \\n tab \\t bell \\u0007");
    }

    @Test
    void extension_values_keep_their_json_types() {
        String json = Problem.of(Status.CONTENT_TOO_LARGE, "too big").with("limit", 10L).with("ok", false)
                .with("allow", List.of("GET", "HEAD")).toJson();
        assertThat(json).contains("\"limit\":10").contains("\"ok\":false").contains("\"allow\":[\"GET\",\"HEAD\"]");
    }

    @Test
    void a_status_without_reason_uses_its_code_as_title() {
        assertThat(Problem.of(Status.of(599), "x").toJson()).contains("\"title\":\"599\"");
        assertThat(new String(((ResponseBody.Bytes) Problem.of(Status.of(599), "x").toResponse().body()).bytes(),
                StandardCharsets.UTF_8)).contains("\"status\":599");
    }

    @Test
    void a_number_that_is_not_finite_is_written_as_a_json_string() {
        // Found by ProblemFuzzTest: NaN and Infinity are not JSON numbers.
        String json = Problem.of(Status.BAD_REQUEST, "x").with("a", Double.NaN).with("b", Double.NEGATIVE_INFINITY)
                .with("c", Float.POSITIVE_INFINITY).toJson();
        assertThat(json).contains("\"a\":\"NaN\"").contains("\"b\":\"-Infinity\"").contains("\"c\":\"Infinity\"");
    }
}
