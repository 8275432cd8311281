package dev.weft.test;

import static dev.weft.test.Problems.assertDecodedOrRejected;
import static dev.weft.test.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.extract.Query;
import dev.weft.http.Method;
import dev.weft.routing.Router;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class QueryTest {

    public record Page(int size, Optional<String> after, List<String> tag) {}

    static Stream<Named<Function<Router, Client>>> clients() {
        return Clients.both();
    }

    private static final Router APP = Router.builder()
            .get("/search", Query.string("q"), q -> "[" + q + "]")
            .get("/n", Query.of("n", Integer.class), n -> "n " + (n + 1))
            .get("/opt", Query.optional("limit", Integer.class), limit -> limit.map(l -> "limit " + l).orElse("none"))
            .get("/def", Query.orDefault("limit", Integer.class, 20), limit -> "limit " + limit)
            .get("/tags", Query.all("tag", String.class), tags -> tags.toString())
            .get("/ids", Query.all("id", Long.class), ids -> "sum " + ids.stream().mapToLong(Long::longValue).sum())
            .get("/page", Query.as(Page.class), p -> p.size() + "|" + p.after().orElse("-") + "|" + p.tag())
            .get("/map", Query.map(), map -> map)
            .build();

    // --- Query.string / Query.of ---

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void required_string_parameter_reaches_the_handler(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            TestResponse response = client.get("/search?q=milk");
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("[milk]");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void missing_required_parameter_is_rejected_with_400_naming_it(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            Map<String, Object> problem = assertProblem(client.get("/search?other=1"), 400);
            assertThat(problem.get("parameter")).isEqualTo("q");
            assertThat(problem.get("detail")).isEqualTo("query parameter 'q' is required");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void missing_query_string_is_rejected_like_a_missing_parameter(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            Map<String, Object> problem = assertProblem(client.get("/search"), 400);
            assertThat(problem.get("parameter")).isEqualTo("q");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void parameter_with_an_empty_value_is_present_and_empty(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            assertThat(client.get("/search?q=").body()).isEqualTo("[]");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void parameter_without_equals_sign_is_present_and_empty(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            assertThat(client.get("/search?q").body()).isEqualTo("[]");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void repeated_parameter_gives_its_first_value_to_a_single_extractor(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            assertThat(client.get("/search?q=first&q=second").body()).isEqualTo("[first]");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void typed_parameter_is_converted(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            assertThat(client.get("/n?n=41").body()).isEqualTo("n 42");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void typed_parameter_that_does_not_convert_is_rejected_with_400_naming_it(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            Map<String, Object> problem = assertProblem(client.get("/n?n=forty"), 400);
            assertThat(problem.get("parameter")).isEqualTo("n");
            assertThat(problem.get("detail")).isEqualTo("query parameter 'n' must be an integer");
        }
    }

    // --- decoding ---

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void plus_is_decoded_as_a_space(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            assertThat(client.get("/search?q=hello+world").body()).isEqualTo("[hello world]");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void encoded_plus_is_a_plus(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            assertThat(client.get("/search?q=1%2B1").body()).isEqualTo("[1+1]");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void percent_escapes_are_decoded_as_utf8(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            assertThat(client.get("/search?q=%C3%A9t%C3%A9%20%26%20%3D").body()).isEqualTo("[été & =]");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void escape_with_non_hex_digits_is_rejected_with_400(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            Map<String, Object> problem = assertProblem(Clients.sendVerbatim(client, Method.GET, "/search?q=%ZZ"), 400);
            assertThat(problem.get("detail")).isEqualTo("the query string is not valid percent-encoded UTF-8");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void truncated_escape_is_rejected_with_400(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            Map<String, Object> problem = assertProblem(Clients.sendVerbatim(client, Method.GET, "/search?q=a%4"), 400);
            assertThat(problem.get("detail")).isEqualTo("the query string is not valid percent-encoded UTF-8");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void escape_that_is_not_valid_utf8_is_rejected_with_400(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            Map<String, Object> problem = assertProblem(client.get("/search?q=%FF"), 400);
            assertThat(problem.get("detail")).isEqualTo("the query string is not valid percent-encoded UTF-8");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void malformed_escape_in_another_parameter_still_rejects_the_query(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            TestResponse response = Clients.sendVerbatim(client, Method.GET, "/search?q=ok&x=%ZZ");
            Map<String, Object> problem = assertProblem(response, 400);
            assertThat(problem.get("detail")).isEqualTo("the query string is not valid percent-encoded UTF-8");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void malformed_escape_in_a_name_is_rejected_with_400(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            Map<String, Object> problem = assertProblem(client.get("/search?q=ok&%C3=1"), 400);
            assertThat(problem.get("detail")).isEqualTo("the query string is not valid percent-encoded UTF-8");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void raw_non_ascii_text_before_a_plus_is_decoded_or_rejected_never_a_500(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            // In memory the target holds the character; on the wire, its unescaped UTF-8 bytes.
            assertDecodedOrRejected(Clients.sendVerbatim(client, Method.GET, "/search?q=\u00e9+x"), "[\u00e9 x]");
        }
    }

    // --- Query.optional / Query.orDefault ---

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void optional_parameter_absent_is_empty(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            assertThat(client.get("/opt").body()).isEqualTo("none");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void optional_parameter_present_is_converted(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            assertThat(client.get("/opt?limit=5").body()).isEqualTo("limit 5");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void optional_parameter_that_does_not_convert_is_rejected_not_ignored(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            Map<String, Object> problem = assertProblem(client.get("/opt?limit=ten"), 400);
            assertThat(problem.get("parameter")).isEqualTo("limit");
            assertThat(problem.get("detail")).isEqualTo("query parameter 'limit' must be an integer");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void default_is_used_when_the_parameter_is_absent(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            assertThat(client.get("/def").body()).isEqualTo("limit 20");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void given_value_overrides_the_default(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            assertThat(client.get("/def?limit=3").body()).isEqualTo("limit 3");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void invalid_value_is_rejected_rather_than_defaulted(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            Map<String, Object> problem = assertProblem(client.get("/def?limit=-"), 400);
            assertThat(problem.get("parameter")).isEqualTo("limit");
        }
    }

    // --- Query.all ---

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void all_gives_every_value_of_a_repeated_parameter_in_order(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            assertThat(client.get("/tags?tag=b&other=x&tag=a&tag=c").body()).isEqualTo("[b, a, c]");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void all_gives_an_empty_list_when_the_parameter_is_absent(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            assertThat(client.get("/tags").body()).isEqualTo("[]");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void all_converts_each_value(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            assertThat(client.get("/ids?id=1&id=2&id=39").body()).isEqualTo("sum 42");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void all_rejects_the_request_when_one_value_does_not_convert(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            Map<String, Object> problem = assertProblem(client.get("/ids?id=1&id=two"), 400);
            assertThat(problem.get("parameter")).isEqualTo("id");
            assertThat(problem.get("detail")).isEqualTo("query parameter 'id' must be an integer");
        }
    }

    // --- Query.as ---

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void record_binds_every_component(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            assertThat(client.get("/page?size=10&after=abc&tag=x&tag=y").body()).isEqualTo("10|abc|[x, y]");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void record_optional_and_list_components_may_be_absent(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            assertThat(client.get("/page?size=10").body()).isEqualTo("10|-|[]");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void record_missing_a_required_component_is_rejected_naming_it(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            Map<String, Object> problem = assertProblem(client.get("/page?after=abc"), 400);
            assertThat(problem.get("parameter")).isEqualTo("size");
            assertThat(problem.get("detail")).isEqualTo("query parameter 'size' is required");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void record_component_that_does_not_convert_is_rejected_naming_it(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            Map<String, Object> problem = assertProblem(client.get("/page?size=big"), 400);
            assertThat(problem.get("parameter")).isEqualTo("size");
            assertThat(problem.get("detail")).isEqualTo("query parameter 'size' must be an integer");
        }
    }

    // --- Query.map ---

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void map_gives_every_parameter_with_all_its_values(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            TestResponse response = client.get("/map?b=2&a=1&b=3&flag");
            assertThat(response.status()).isEqualTo(200);
            assertThat(MiniJson.object(response.body())).containsExactly(
                    Map.entry("b", List.of("2", "3")),
                    Map.entry("a", List.of("1")),
                    Map.entry("flag", List.of("")));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void map_is_empty_without_a_query_string(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            assertThat(MiniJson.object(client.get("/map").body())).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void map_rejects_a_malformed_query_string(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            Map<String, Object> problem = assertProblem(client.get("/map?a=%E2%82"), 400);
            assertThat(problem.get("detail")).isEqualTo("the query string is not valid percent-encoded UTF-8");
        }
    }
}
