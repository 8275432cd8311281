package dev.weft.test;

import static dev.weft.test.Problems.assertNoLeak;
import static dev.weft.test.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.extract.Json;
import dev.weft.http.Method;
import dev.weft.routing.Handler;
import dev.weft.routing.Router;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class JsonTest {

    public record NewTodo(String title, int priority) {}

    public record Line(String sku, int qty) {}

    public record Order(String customer, List<Line> items) {}

    public record Tag(String t) {}

    public record Catalog(Map<String, Line> lines) {}

    private static final int TWO_MIB = 2 * 1024 * 1024;

    static Stream<Named<Function<Router, Client>>> clients() {
        return Clients.both();
    }

    private static final Router APP = Router.builder()
            .post("/todos", Json.of(NewTodo.class), todo -> todo)
            .post("/orders", Json.of(Order.class), order -> order.customer() + ":" + order.items().size() + ":"
                    + order.items().stream().mapToInt(Line::qty).sum())
            .post("/many", Json.listOf(NewTodo.class), todos -> todos.size() + ":" + todos.getFirst().title())
            .post("/maybe", Json.optional(NewTodo.class), todo -> todo.map(t -> "got " + t.title()).orElse("nothing"))
            .post("/titles", Json.of(NewTodo.class), todo -> "title " + todo.title())
            .post("/catalog", Json.of(Catalog.class), catalog -> catalog.lines().keySet())
            .post("/small", Handler.of(Json.of(Tag.class), tag -> "tag " + tag.t()).bodyLimit(10))
            .build();

    /** A NewTodo document of exactly {@code size} bytes. */
    private static String todoOfSize(int size) {
        String head = "{\"title\":\"";
        String tail = "\",\"priority\":1}";
        return head + "a".repeat(size - head.length() - tail.length()) + tail;
    }

    // --- decoding ---

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void record_body_is_decoded(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            TestResponse response = client.post("/todos").json("{\"title\":\"milk\",\"priority\":2}").send();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.contentType()).startsWith("application/json");
            assertThat(MiniJson.object(response.body())).containsExactly(
                    Map.entry("title", "milk"), Map.entry("priority", 2L));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void nested_records_in_a_list_are_decoded(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            TestResponse response = client.post("/orders")
                    .json("{\"customer\":\"ada\",\"items\":[{\"sku\":\"a\",\"qty\":2},{\"sku\":\"b\",\"qty\":3}]}")
                    .send();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("ada:2:5");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void list_of_records_is_decoded(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            TestResponse response = client.post("/many")
                    .json("[{\"title\":\"a\",\"priority\":1},{\"title\":\"b\",\"priority\":2}]").send();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("2:a");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void object_where_a_list_is_expected_is_rejected_with_422(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            Map<String, Object> problem = assertProblem(
                    client.post("/many").json("{\"title\":\"a\",\"priority\":1}").send(), 422);
            assertThat(problem.get("pointer")).isEqualTo("");
            assertThat(problem.get("detail")).isEqualTo("the JSON document does not have the expected shape");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void unknown_fields_are_ignored(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            TestResponse response = client.post("/todos")
                    .json("{\"title\":\"milk\",\"priority\":2,\"colour\":\"blue\",\"extra\":{\"deep\":[1]}}").send();
            assertThat(response.status()).isEqualTo(200);
            assertThat(MiniJson.object(response.body())).containsEntry("title", "milk");
        }
    }

    // --- Json.optional ---

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void optional_body_is_empty_when_there_is_no_body(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            TestResponse response = client.post("/maybe").send();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("nothing");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void optional_body_is_present_when_there_is_a_body(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            TestResponse response = client.post("/maybe").json("{\"title\":\"milk\",\"priority\":1}").send();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("got milk");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void optional_body_that_is_malformed_is_still_rejected(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            Map<String, Object> problem = assertProblem(client.post("/maybe").json("{\"title\":").send(), 400);
            assertThat(problem).containsKeys("line", "column");
        }
    }

    // --- content type ---

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void missing_content_type_is_rejected_with_415(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            TestResponse response = client.post("/todos")
                    .body("{\"title\":\"milk\",\"priority\":1}".getBytes(StandardCharsets.UTF_8)).send();
            Map<String, Object> problem = assertProblem(response, 415);
            assertThat(problem.get("expected")).isEqualTo("application/json");
            assertThat(problem.get("detail")).isEqualTo("expected a request body with content-type application/json");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void text_plain_is_rejected_with_415(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            TestResponse response = client.post("/todos")
                    .body("text/plain", "{\"title\":\"milk\",\"priority\":1}").send();
            Map<String, Object> problem = assertProblem(response, 415);
            assertThat(problem.get("expected")).isEqualTo("application/json");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void structured_json_suffix_media_type_is_accepted(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            TestResponse response = client.post("/todos")
                    .body("application/vnd.api+json", "{\"title\":\"milk\",\"priority\":1}").send();
            assertThat(response.status()).isEqualTo(200);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void media_type_is_matched_case_insensitively(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            TestResponse response = client.post("/todos")
                    .body("Application/JSON", "{\"title\":\"milk\",\"priority\":1}").send();
            assertThat(response.status()).isEqualTo(200);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void utf8_charset_parameter_is_accepted(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            TestResponse response = client.post("/todos")
                    .body("application/json; charset=utf-8", "{\"title\":\"caf\u00e9\",\"priority\":1}").send();
            assertThat(response.status()).isEqualTo(200);
            assertThat(MiniJson.object(response.body())).containsEntry("title", "caf\u00e9");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void other_charset_parameter_is_rejected_with_415(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            TestResponse response = client.post("/todos")
                    .body("application/json; charset=latin1", "{\"title\":\"milk\",\"priority\":1}").send();
            Map<String, Object> problem = assertProblem(response, 415);
            assertThat(problem.get("expected")).isEqualTo("application/json");
        }
    }

    // --- syntax errors: 400 ---

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void malformed_json_is_rejected_with_400_and_its_position(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            TestResponse response = client.post("/todos").json("{\n  \"title\": milk,\n  \"priority\": 1\n}").send();
            Map<String, Object> problem = assertProblem(response, 400);
            assertThat(problem.get("line")).isEqualTo(2L);
            assertThat((Long) problem.get("column")).isBetween(1L, 20L);
            assertThat(problem.get("detail")).isEqualTo(
                    "the body is not valid JSON (line 2, column " + problem.get("column") + ")");
            assertThat(response.body()).doesNotContain("Unrecognized token").doesNotContain("milk");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void truncated_json_is_rejected_with_400(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            Map<String, Object> problem = assertProblem(client.post("/todos").json("{\"title\":\"mi").send(), 400);
            assertThat(problem).containsKeys("line", "column");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void empty_body_is_rejected_with_400(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            Map<String, Object> problem = assertProblem(client.post("/todos").json("").send(), 400);
            assertThat(problem.get("line")).isEqualTo(1L);
            assertThat(problem.get("column")).isEqualTo(1L);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void whitespace_only_body_is_rejected_with_400(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            Map<String, Object> problem = assertProblem(client.post("/todos").json(" \r\n\t ").send(), 400);
            assertThat(problem).containsKeys("line", "column");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void invalid_utf8_inside_a_string_is_rejected_with_400(Function<Router, Client> clients) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes("{\"title\":\"a".getBytes(StandardCharsets.US_ASCII));
        body.writeBytes(new byte[] {(byte) 0xC3, (byte) 0x28}); // a lead byte followed by a non-continuation byte
        body.writeBytes("\",\"priority\":1}".getBytes(StandardCharsets.US_ASCII));
        try (Client client = clients.apply(APP)) {
            TestResponse response = client.post("/todos").header("content-type", "application/json")
                    .body(body.toByteArray()).send();
            Map<String, Object> problem = assertProblem(response, 400);
            assertThat(problem.get("line")).isEqualTo(1L);
            assertThat(problem).containsKey("column");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void trailing_garbage_after_the_document_is_rejected(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            TestResponse response = client.post("/todos").json("{\"title\":\"milk\",\"priority\":1} xyz").send();
            assertThat(response.status()).isEqualTo(400);
            assertThat(response.contentType()).startsWith("application/problem+json");
            assertNoLeak(response);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void second_document_after_the_first_is_rejected(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            TestResponse response = client.post("/todos")
                    .json("{\"title\":\"milk\",\"priority\":1}{\"title\":\"eggs\",\"priority\":2}").send();
            assertThat(response.status()).isEqualTo(400);
            assertThat(response.contentType()).startsWith("application/problem+json");
            assertNoLeak(response);
        }
    }

    // --- strict binding (the table in JsonCodec's Javadoc; JsonBindingTest has every row) ---

    static Stream<org.junit.jupiter.params.provider.Arguments> strictCases() {
        return clients().flatMap(c -> Stream.of(
                org.junit.jupiter.params.provider.Arguments.of(c, "{\"title\":\"milk\"}", "/priority"),
                org.junit.jupiter.params.provider.Arguments.of(c, "{\"priority\":1}", "/title"),
                org.junit.jupiter.params.provider.Arguments.of(c, "{\"title\":42,\"priority\":1}", "/title"),
                org.junit.jupiter.params.provider.Arguments.of(c, "{\"title\":\"milk\",\"priority\":\"2\"}", "/priority"),
                org.junit.jupiter.params.provider.Arguments.of(c, "{\"title\":\"milk\",\"priority\":true}", "/priority"),
                org.junit.jupiter.params.provider.Arguments.of(c, "{\"title\":null,\"priority\":1}", "/title")));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("strictCases")
    void a_missing_null_or_coerced_field_is_422_naming_it(Function<Router, Client> clients, String json, String pointer) {
        try (Client client = clients.apply(APP)) {
            Map<String, Object> problem = assertProblem(client.post("/todos").json(json).send(), 422);
            assertThat(problem.get("pointer")).isEqualTo(pointer);
        }
    }

    // --- data errors: 422 with a JSON pointer ---

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void value_of_the_wrong_type_is_rejected_with_422_and_its_pointer(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            TestResponse response = client.post("/todos").json("{\"title\":{\"text\":\"milk\"},\"priority\":1}").send();
            Map<String, Object> problem = assertProblem(response, 422);
            assertThat(problem.get("pointer")).isEqualTo("/title");
            assertThat(problem.get("detail")).isEqualTo("JSON field '/title' is missing or has the wrong type");
            assertThat(response.body()).doesNotContain("Cannot deserialize");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void string_where_a_number_is_expected_is_rejected_with_422(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            TestResponse response = client.post("/todos").json("{\"title\":\"milk\",\"priority\":\"high\"}").send();
            Map<String, Object> problem = assertProblem(response, 422);
            assertThat(problem.get("pointer")).isEqualTo("/priority");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void wrong_type_inside_a_nested_list_points_at_the_element_field(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            TestResponse response = client.post("/orders")
                    .json("{\"customer\":\"ada\",\"items\":[{\"sku\":\"a\",\"qty\":\"many\"}]}").send();
            Map<String, Object> problem = assertProblem(response, 422);
            assertThat(problem.get("pointer")).isEqualTo("/items/0/qty");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void wrong_type_in_a_later_list_element_points_at_its_index(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            TestResponse response = client.post("/orders")
                    .json("{\"customer\":\"ada\",\"items\":[{\"sku\":\"a\",\"qty\":1},{\"sku\":\"b\",\"qty\":[2]}]}")
                    .send();
            Map<String, Object> problem = assertProblem(response, 422);
            assertThat(problem.get("pointer")).isEqualTo("/items/1/qty");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void null_for_a_primitive_int_is_rejected_with_422(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            TestResponse response = client.post("/todos").json("{\"title\":\"milk\",\"priority\":null}").send();
            Map<String, Object> problem = assertProblem(response, 422);
            assertThat(problem.get("pointer")).isEqualTo("/priority");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void number_out_of_range_for_an_int_field_is_rejected_with_422_and_its_pointer(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            // Valid JSON that does not fit the type: a data error, not a syntax error.
            TestResponse response = client.post("/todos").json("{\"title\":\"milk\",\"priority\":99999999999}").send();
            Map<String, Object> problem = assertProblem(response, 422);
            assertThat(problem.get("pointer")).isEqualTo("/priority");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void fractional_number_for_an_int_field_is_rejected_not_truncated(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            TestResponse response = client.post("/todos").json("{\"title\":\"milk\",\"priority\":1.5}").send();
            Map<String, Object> problem = assertProblem(response, 422);
            assertThat(problem.get("pointer")).isEqualTo("/priority");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void json_null_document_where_an_object_is_expected_is_rejected_with_422(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            Map<String, Object> problem = assertProblem(client.post("/titles").json("null").send(), 422);
            assertThat(problem.get("pointer")).isEqualTo("");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void json_null_document_for_an_optional_body_is_not_a_server_error(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            TestResponse response = client.post("/maybe").json("null").send();
            if (response.status() == 200) {
                assertThat(response.body()).isEqualTo("nothing");
            } else {
                assertProblem(response, 422);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void pointer_escapes_slash_and_tilde_in_member_names(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            TestResponse response = client.post("/catalog")
                    .json("{\"lines\":{\"ok\":{\"sku\":\"a\",\"qty\":1},"
                            + "\"a/b~c\":{\"sku\":\"b\",\"qty\":\"x\"}}}")
                    .send();
            Map<String, Object> problem = assertProblem(response, 422);
            assertThat(problem.get("pointer")).isEqualTo("/lines/a~1b~0c/qty");
        }
    }

    // --- body limits ---

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void body_at_the_default_limit_of_two_mib_is_accepted(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            String body = todoOfSize(TWO_MIB);
            assertThat(body.getBytes(StandardCharsets.UTF_8)).hasSize(TWO_MIB);
            assertThat(client.post("/todos").json(body).send().status()).isEqualTo(200);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void body_over_the_default_limit_is_rejected_with_413(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            TestResponse response = client.post("/todos").json(todoOfSize(TWO_MIB + 1)).send();
            Map<String, Object> problem = assertProblem(response, 413);
            assertThat(problem.get("limit")).isEqualTo((long) TWO_MIB);
            assertThat(problem.get("detail")).isEqualTo("the request body exceeds the limit of 2097152 bytes");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void body_one_byte_over_a_route_limit_is_rejected_with_413(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            String body = "{\"t\":\"abc\"}";
            assertThat(body).hasSize(11);
            Map<String, Object> problem = assertProblem(client.post("/small").json(body).send(), 413);
            assertThat(problem.get("limit")).isEqualTo(10L);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void body_exactly_at_a_route_limit_is_accepted(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            String body = "{\"t\":\"ab\"}";
            assertThat(body).hasSize(10);
            TestResponse response = client.post("/small").json(body).send();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("tag ab");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void body_of_undeclared_length_within_a_route_limit_is_accepted(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            TestResponse response = Clients.sendWithoutLength(client, Method.POST, "/small", "application/json",
                    "{\"t\":\"ab\"}".getBytes(StandardCharsets.UTF_8));
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("tag ab");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void body_of_undeclared_length_over_a_route_limit_is_rejected_with_413(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            TestResponse response = Clients.sendWithoutLength(client, Method.POST, "/small", "application/json",
                    "{\"t\":\"abcdefgh\"}".getBytes(StandardCharsets.UTF_8));
            Map<String, Object> problem = assertProblem(response, 413);
            assertThat(problem.get("limit")).isEqualTo(10L);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void router_body_limit_applies_to_its_routes(Function<Router, Client> clients) {
        Router app = Router.builder()
                .bodyLimit(16)
                .post("/tags", Json.of(Tag.class), tag -> "tag " + tag.t())
                .build();
        try (Client client = clients.apply(app)) {
            assertThat(client.post("/tags").json("{\"t\":\"abcdefgh\"}").send().status()).isEqualTo(200);
            Map<String, Object> problem = assertProblem(client.post("/tags").json("{\"t\":\"abcdefghi\"}").send(), 413);
            assertThat(problem.get("limit")).isEqualTo(16L);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void route_body_limit_overrides_the_router_limit(Function<Router, Client> clients) {
        Router app = Router.builder()
                .bodyLimit(8)
                .post("/tags", Handler.of(Json.of(Tag.class), tag -> "tag " + tag.t()).bodyLimit(1024))
                .build();
        try (Client client = clients.apply(app)) {
            TestResponse response = client.post("/tags").json("{\"t\":\"" + "x".repeat(100) + "\"}").send();
            assertThat(response.status()).isEqualTo(200);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void content_type_is_checked_before_the_size(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            TestResponse response = client.post("/small").body("text/plain", "x".repeat(100)).send();
            Map<String, Object> problem = assertProblem(response, 415);
            assertThat(problem.get("expected")).isEqualTo("application/json");
        }
    }
}
