package dev.weft.test;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

/** Test support: checking RFC 9457 problem responses. */
final class Problems {
    private Problems() {}

    /**
     * Asserts that {@code response} is a problem with {@code status} (status line, content type,
     * {@code type}, {@code title} and {@code status} members, a {@code detail}) that leaks
     * nothing, and returns its members for checks of {@code detail} and extensions.
     */
    static Map<String, Object> assertProblem(TestResponse response, int status) {
        assertThat(response.status()).as("status of %s", response).isEqualTo(status);
        assertThat(response.contentType()).as("content-type of %s", response).startsWith("application/problem+json");
        response.header("content-length").ifPresent(length -> assertThat(length)
                .as("content-length of %s", response).isEqualTo(Integer.toString(response.bodyBytes().length)));
        assertNoLeak(response);
        Map<String, Object> problem = MiniJson.object(response.body());
        assertThat(problem.get("type")).isEqualTo("about:blank");
        assertThat(problem.get("title")).isInstanceOf(String.class).asString().isNotEmpty();
        assertThat(problem.get("status")).isEqualTo((long) status);
        assertThat(problem.get("detail")).isInstanceOf(String.class).asString().isNotEmpty();
        return problem;
    }

    /** {@link #assertProblem(TestResponse, int)} for a response read from a raw HTTP/1.1 socket. */
    static Map<String, Object> assertProblem(RawHttp.Response response, int status) {
        return assertProblem(response.toTestResponse(), status);
    }

    /**
     * Asserts that text the server could decode was decoded right, or refused with a 400 problem:
     * {@code response} is either 200 with exactly {@code body}, or a 400 problem. Never a 500,
     * never a garbled value.
     */
    static void assertDecodedOrRejected(TestResponse response, String body) {
        if (response.status() == 400) {
            assertProblem(response, 400);
        } else {
            assertThat(response.status()).as("status of %s", response).isEqualTo(200);
            assertThat(response.body()).isEqualTo(body);
        }
    }

    /** Asserts that the body carries no exception name, class name or stack frame. */
    static void assertNoLeak(TestResponse response) {
        assertThat(response.body())
                .as("body of %s", response)
                .doesNotContain("Exception")
                .doesNotContain("java.")
                .doesNotContain("at dev.")
                .doesNotContain("\tat ")
                .doesNotContainPattern("\\bat [a-z]+(\\.[a-zA-Z$_]+)+\\(");
    }
}
