package dev.weft.test;

import static dev.weft.test.Problems.assertDecodedOrRejected;
import static dev.weft.test.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.WeftException;
import dev.weft.extract.PathParam;
import dev.weft.http.Method;
import dev.weft.routing.Router;
import java.time.LocalDate;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class PathParamTest {

    public enum Color { RED, GREEN }

    public record Member(String team, long id) {}

    static Stream<Named<Function<Router, Client>>> clients() {
        return Clients.both();
    }

    private static final AtomicInteger calls = new AtomicInteger();

    private static final Router APP = Router.builder()
            .get("/s/{name}", PathParam.string("name"), name -> "[" + name + "]")
            .get("/files/{*rest}", PathParam.string("rest"), rest -> "[" + rest + "]")
            .get("/long/{id}", PathParam.of("id", Long.class), id -> {
                calls.incrementAndGet();
                return "long " + (id + 1);
            })
            .get("/int/{n}", PathParam.of("n", int.class), n -> "int " + (n * 2))
            .get("/uuid/{id}", PathParam.of("id", UUID.class), id -> "uuid " + id.getLeastSignificantBits())
            .get("/color/{c}", PathParam.of("c", Color.class), c -> "color " + c.name())
            .get("/flag/{b}", PathParam.of("b", Boolean.class), b -> "flag " + !b)
            .get("/teams/{team}/members/{id}", PathParam.as(Member.class), m -> m.team() + "#" + (m.id() + 1))
            .get("/day/{day}", PathParam.of("day", LocalDate::parse), day -> "next " + day.plusDays(1))
            .build();

    // --- strings ---

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void string_parameter_reaches_the_handler(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            TestResponse response = client.get("/s/ada");
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("[ada]");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void string_parameter_is_percent_decoded_as_utf8(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            assertThat(client.get("/s/caf%C3%A9%20au%20lait").body()).isEqualTo("[café au lait]");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void plus_in_a_path_parameter_stays_a_plus(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            assertThat(client.get("/s/a+b").body()).isEqualTo("[a+b]");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void encoded_slash_stays_inside_one_parameter(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            assertThat(client.get("/s/a%2Fb").body()).isEqualTo("[a/b]");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void catch_all_parameter_holds_the_rest_of_the_path(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            assertThat(client.get("/files/docs/2024/report.pdf").body()).isEqualTo("[docs/2024/report.pdf]");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void parameter_that_is_not_valid_utf8_is_rejected_with_400(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            Map<String, Object> problem = assertProblem(client.get("/s/%FF"), 400);
            assertThat(problem.get("parameter")).isEqualTo("name");
            assertThat(problem.get("detail"))
                    .isEqualTo("path parameter 'name' must be valid percent-encoded UTF-8");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void raw_non_ascii_text_before_an_escape_is_decoded_or_rejected_never_a_500(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            // The JDK client percent-encodes the raw text; the in-memory client passes it as is.
            assertDecodedOrRejected(client.get("/s/\u00e9\u00e9\u00e9%20"), "[\u00e9\u00e9\u00e9 ]");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void raw_character_outside_the_bmp_before_an_escape_is_not_replaced(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            assertDecodedOrRejected(client.get("/s/\uD83D\uDE00%20"), "[\uD83D\uDE00 ]");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void raw_utf8_in_the_request_target_is_decoded_as_utf8_or_rejected(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            // Over the network the request line carries the UTF-8 bytes C3 A9 unescaped.
            assertDecodedOrRejected(Clients.sendVerbatim(client, Method.GET, "/s/caf\u00e9"), "[caf\u00e9]");
        }
    }

    // --- numbers ---

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void long_parameter_is_converted(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            assertThat(client.get("/long/41").body()).isEqualTo("long 42");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void negative_long_parameter_is_converted(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            assertThat(client.get("/long/-8").body()).isEqualTo("long -7");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void largest_long_is_accepted(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            assertThat(client.get("/long/9223372036854775806").body()).isEqualTo("long 9223372036854775807");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void primitive_int_parameter_is_converted(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            assertThat(client.get("/int/21").body()).isEqualTo("int 42");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void non_numeric_integer_is_rejected_with_400_naming_parameter_and_type(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            Map<String, Object> problem = assertProblem(client.get("/long/abc"), 400);
            assertThat(problem.get("title")).isEqualTo("Bad Request");
            assertThat(problem.get("detail")).isEqualTo("path parameter 'id' must be an integer");
            assertThat(problem.get("parameter")).isEqualTo("id");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void handler_is_not_called_when_the_parameter_is_rejected(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            int before = calls.get();
            assertThat(client.get("/long/x1").status()).isEqualTo(400);
            assertThat(calls.get()).isEqualTo(before);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void explicit_plus_sign_is_rejected_for_integers(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            Map<String, Object> problem = assertProblem(client.get("/long/+1"), 400);
            assertThat(problem.get("parameter")).isEqualTo("id");
            assertThat((String) problem.get("detail")).contains("must be an integer");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void arabic_indic_digit_is_rejected_for_integers(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            // %D9%A1 is U+0661 ARABIC-INDIC DIGIT ONE, which Long.parseLong would accept.
            Map<String, Object> problem = assertProblem(client.get("/long/%D9%A1"), 400);
            assertThat(problem.get("parameter")).isEqualTo("id");
            assertThat((String) problem.get("detail")).contains("must be an integer");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void long_overflow_is_rejected_with_400(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            Map<String, Object> problem = assertProblem(client.get("/long/99999999999999999999"), 400);
            assertThat(problem.get("parameter")).isEqualTo("id");
            assertThat(problem.get("detail")).isEqualTo("path parameter 'id' must be an integer");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void int_overflow_is_rejected_with_400(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            Map<String, Object> problem = assertProblem(client.get("/int/2147483648"), 400);
            assertThat(problem.get("parameter")).isEqualTo("n");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void decimal_is_rejected_for_integers(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            Map<String, Object> problem = assertProblem(client.get("/int/1.5"), 400);
            assertThat(problem.get("parameter")).isEqualTo("n");
            assertThat(problem.get("detail")).isEqualTo("path parameter 'n' must be an integer");
        }
    }

    // --- UUID, enum, boolean ---

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void uuid_parameter_is_converted(Function<Router, Client> clients) {
        UUID id = UUID.fromString("123e4567-e89b-12d3-a456-426614174000");
        try (Client client = clients.apply(APP)) {
            assertThat(client.get("/uuid/" + id).body()).isEqualTo("uuid " + id.getLeastSignificantBits());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void non_canonical_uuid_is_rejected_with_400(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            // UUID.fromString accepts this shortened form; an API should not.
            Map<String, Object> problem = assertProblem(client.get("/uuid/1-2-3-4-5"), 400);
            assertThat(problem.get("parameter")).isEqualTo("id");
            assertThat(problem.get("detail")).isEqualTo("path parameter 'id' must be a UUID");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void uuid_with_misplaced_dashes_is_rejected_with_400(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            // 36 characters, but not the canonical 8-4-4-4-12 layout; UUID.fromString accepts it.
            assertUuidRejection(assertProblem(client.get("/uuid/1234567-0e89b-12d3-a456-426614174000"), 400));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void uuid_with_a_sign_is_rejected_with_400(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            // 36 characters; UUID.fromString reads "+23e4567" as a signed hex number.
            assertUuidRejection(assertProblem(client.get("/uuid/+23e4567-e89b-12d3-a456-426614174000"), 400));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void enum_parameter_is_converted_by_name(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            assertThat(client.get("/color/GREEN").body()).isEqualTo("color GREEN");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void enum_parameter_ignores_case(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            assertThat(client.get("/color/red").body()).isEqualTo("color RED");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void unknown_enum_constant_is_rejected_listing_the_constants(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            Map<String, Object> problem = assertProblem(client.get("/color/blue"), 400);
            assertThat(problem.get("parameter")).isEqualTo("c");
            assertThat(problem.get("detail")).isEqualTo("path parameter 'c' must be one of [RED, GREEN]");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void boolean_parameter_is_converted(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            assertThat(client.get("/flag/true").body()).isEqualTo("flag false");
            assertThat(client.get("/flag/false").body()).isEqualTo("flag true");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void boolean_parameter_other_than_true_or_false_is_rejected(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            Map<String, Object> problem = assertProblem(client.get("/flag/yes"), 400);
            assertThat(problem.get("parameter")).isEqualTo("b");
            assertThat(problem.get("detail")).isEqualTo("path parameter 'b' must be true or false");
        }
    }

    // --- records ---

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void record_binds_several_parameters_by_name(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            assertThat(client.get("/teams/core/members/41").body()).isEqualTo("core#42");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void record_component_that_does_not_convert_is_rejected_naming_it(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            Map<String, Object> problem = assertProblem(client.get("/teams/core/members/seven"), 400);
            assertThat(problem.get("parameter")).isEqualTo("id");
            assertThat(problem.get("detail")).isEqualTo("path parameter 'id' must be an integer");
        }
    }

    // --- custom parser ---

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void custom_parser_converts_the_parameter(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            assertThat(client.get("/day/2024-02-28").body()).isEqualTo("next 2024-02-29");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void custom_parser_failure_is_rejected_with_400_without_its_message(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            TestResponse response = client.get("/day/2024-02-30");
            Map<String, Object> problem = assertProblem(response, 400);
            assertThat(problem.get("parameter")).isEqualTo("day");
            assertThat(problem.get("detail")).isEqualTo("path parameter 'day' must be a valid value");
            assertThat(response.body()).doesNotContain("could not be parsed").doesNotContain("Invalid date");
        }
    }

    private static void assertUuidRejection(Map<String, Object> problem) {
        assertThat(problem.get("parameter")).isEqualTo("id");
        assertThat(problem.get("detail")).isEqualTo("path parameter 'id' must be a UUID");
    }

    // --- build time ---

    @Test
    void parameter_missing_from_the_pattern_fails_when_the_router_is_built() {
        Router.Builder builder = Router.builder().get("/items/{id}", PathParam.string("name"), name -> name);
        assertThatThrownBy(builder::build)
                .isInstanceOf(WeftException.class)
                .hasMessageContaining("GET /items/{id}")
                .hasMessageContaining("{name}");
    }

    @Test
    void record_component_missing_from_the_pattern_fails_when_the_router_is_built() {
        Router.Builder builder = Router.builder().get("/teams/{team}", PathParam.as(Member.class), m -> m.team());
        assertThatThrownBy(builder::build)
                .isInstanceOf(WeftException.class)
                .hasMessageContaining("Member.id");
    }
}
