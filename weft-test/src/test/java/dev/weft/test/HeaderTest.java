package dev.weft.test;

import static dev.weft.test.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.extract.Header;
import dev.weft.http.Method;
import dev.weft.routing.Router;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class HeaderTest {

    static Stream<Named<Function<Router, Client>>> clients() {
        return Clients.both();
    }

    private static final Router APP = Router.builder()
            .get("/who", Header.string("x-user"), user -> "user " + user)
            .get("/trace", Header.optional("x-trace"), trace -> trace.orElse("none"))
            .get("/count", Header.of("x-count", Integer.class), n -> "count " + (n + 1))
            .get("/maybe-count", Header.optional("x-count", Integer.class),
                    n -> n.map(v -> "count " + v).orElse("none"))
            .get("/request", Header.of("X-Request-Id", UUID.class), id -> "id " + id)
            .build();

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void required_header_reaches_the_handler(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            TestResponse response = client.request(Method.GET, "/who").header("x-user", "ada").send();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("user ada");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void missing_required_header_is_rejected_with_400_naming_it(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            Map<String, Object> problem = assertProblem(client.get("/who"), 400);
            assertThat(problem.get("header")).isEqualTo("x-user");
            assertThat(problem.get("detail")).isEqualTo("header 'x-user' is required");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void optional_header_absent_is_empty(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            assertThat(client.get("/trace").body()).isEqualTo("none");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void optional_header_present_is_given(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            TestResponse response = client.request(Method.GET, "/trace").header("x-trace", "t-1").send();
            assertThat(response.body()).isEqualTo("t-1");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void typed_header_is_converted(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            TestResponse response = client.request(Method.GET, "/count").header("x-count", "41").send();
            assertThat(response.body()).isEqualTo("count 42");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void typed_header_that_does_not_convert_is_rejected_with_400_naming_it(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            TestResponse response = client.request(Method.GET, "/count").header("x-count", "many").send();
            Map<String, Object> problem = assertProblem(response, 400);
            assertThat(problem.get("header")).isEqualTo("x-count");
            assertThat(problem.get("detail")).isEqualTo("header 'x-count' must be an integer");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void missing_typed_header_is_rejected_with_400(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            Map<String, Object> problem = assertProblem(client.get("/count"), 400);
            assertThat(problem.get("header")).isEqualTo("x-count");
            assertThat(problem.get("detail")).isEqualTo("header 'x-count' is required");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void optional_typed_header_absent_is_empty(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            assertThat(client.get("/maybe-count").body()).isEqualTo("none");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void optional_typed_header_that_does_not_convert_is_rejected(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            TestResponse response = client.request(Method.GET, "/maybe-count").header("x-count", "1.5").send();
            Map<String, Object> problem = assertProblem(response, 400);
            assertThat(problem.get("header")).isEqualTo("x-count");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void header_name_is_matched_case_insensitively(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            TestResponse response = client.request(Method.GET, "/who").header("X-USER", "ada").send();
            assertThat(response.body()).isEqualTo("user ada");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void mixed_case_extractor_name_matches_a_lower_case_header(Function<Router, Client> clients) {
        UUID id = UUID.fromString("00000000-0000-0000-0000-00000000002a");
        try (Client client = clients.apply(APP)) {
            TestResponse response = client.request(Method.GET, "/request")
                    .header("x-request-id", id.toString()).send();
            assertThat(response.body()).isEqualTo("id " + id);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void rejection_names_the_header_as_the_extractor_spelled_it(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            Map<String, Object> problem = assertProblem(client.get("/request"), 400);
            assertThat(problem.get("header")).isEqualTo("X-Request-Id");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void surrounding_whitespace_is_ignored_when_converting(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            TestResponse response = client.request(Method.GET, "/count").header("x-count", " 41\t").send();
            assertThat(response.body()).isEqualTo("count 42");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void repeated_header_gives_its_first_value(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            TestResponse response = client.request(Method.GET, "/who")
                    .header("x-user", "ada").header("x-user", "grace").send();
            assertThat(response.body()).isEqualTo("user ada");
        }
    }
}
