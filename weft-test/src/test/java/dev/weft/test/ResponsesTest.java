package dev.weft.test;

import static dev.weft.test.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.response.IntoResponse;
import dev.weft.response.Problem;
import dev.weft.response.Redirect;
import dev.weft.response.Response;
import dev.weft.response.Status;
import dev.weft.routing.Router;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ResponsesTest {

    public record Item(String name, int qty) {}

    /** A record whose accessor fails, so encoding it as JSON fails. */
    public record Exploding(String name) {
        @Override
        public String name() {
            throw new IllegalStateException("secret-from-accessor");
        }
    }

    /** An application result type that knows its response. */
    public record Created(long id) implements IntoResponse {
        @Override
        public Response toResponse() {
            return Response.created("/items/" + id, Map.of("id", id));
        }
    }

    static Stream<Named<Function<Router, Client>>> clients() {
        return Clients.both();
    }

    private static final Router APP = Router.builder()
            .get("/text", () -> "h\u00e9llo")
            .get("/chars", () -> new StringBuilder("built"))
            .get("/bytes", () -> new byte[] {1, 2, 3, (byte) 0xFF})
            .get("/record", () -> new Item("milk", 2))
            .get("/list", () -> List.of(new Item("a", 1), new Item("b", 2)))
            .get("/map", () -> {
                Map<String, Object> map = new LinkedHashMap<>();
                map.put("count", 2);
                map.put("names", List.of("a", "b"));
                return map;
            })
            .get("/none", () -> Optional.empty())
            .get("/some", () -> Optional.of(new Item("milk", 2)))
            .get("/some-text", () -> Optional.of("present"))
            .get("/accepted", () -> Status.ACCEPTED)
            .get("/no-content", () -> Response.noContent())
            .get("/created", () -> Response.created("/items/7", new Item("milk", 2)))
            .get("/into", () -> new Created(9))
            .get("/problem", () -> Problem.of(Status.CONFLICT, "a \"quoted\"\ndetail").with("item", "milk"))
            .get("/json-status", () -> Response.json(Status.ACCEPTED, new Item("queued", 1)))
            .get("/html", () -> Response.html("<p>h\u00e9llo</p>"))
            .get("/see-other", () -> Redirect.seeOther("/elsewhere"))
            .get("/temporary", () -> Redirect.temporary("/elsewhere?x=1"))
            .get("/permanent", () -> Redirect.permanent("https://example.com/new"))
            .get("/replaced", () -> Response.text("x").withHeader("x-a", "1").withHeader("X-A", "2"))
            .get("/added", () -> Response.text("x")
                    .withAddedHeader("set-cookie", "a=1")
                    .withAddedHeader("set-cookie", "b=2"))
            .get("/crlf", () -> Response.text("x").withHeader("x-a", "ok\r\nset-cookie: evil=1"))
            .get("/framing", () -> Response.text("four").withHeader("content-length", "999")
                    .withHeader("transfer-encoding", "chunked"))
            .get("/dated", () -> Response.text("x").withHeader("date", "Tue, 01 Jan 2030 00:00:00 GMT"))
            .get("/null", () -> null)
            .get("/throws", () -> {
                throw new IllegalStateException("secret-from-handler");
            })
            .get("/unencodable", () -> new Exploding("x"))
            .build();

    // --- conversion of return values ---

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void string_becomes_utf8_plain_text(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            TestResponse response = client.get("/text");
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.contentType()).isEqualTo("text/plain; charset=utf-8");
            assertThat(response.bodyBytes()).isEqualTo("h\u00e9llo".getBytes(StandardCharsets.UTF_8));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void char_sequence_becomes_plain_text(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            TestResponse response = client.get("/chars");
            assertThat(response.contentType()).isEqualTo("text/plain; charset=utf-8");
            assertThat(response.body()).isEqualTo("built");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void byte_array_becomes_an_octet_stream(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            TestResponse response = client.get("/bytes");
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.contentType()).isEqualTo("application/octet-stream");
            assertThat(response.bodyBytes()).containsExactly(1, 2, 3, (byte) 0xFF);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void record_becomes_json(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            TestResponse response = client.get("/record");
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.contentType()).isEqualTo("application/json");
            assertThat(MiniJson.object(response.body()))
                    .containsExactly(Map.entry("name", "milk"), Map.entry("qty", 2L));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void list_becomes_a_json_array(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            TestResponse response = client.get("/list");
            assertThat(response.contentType()).isEqualTo("application/json");
            assertThat(MiniJson.parse(response.body())).isEqualTo(List.of(
                    Map.of("name", "a", "qty", 1L), Map.of("name", "b", "qty", 2L)));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void map_becomes_a_json_object(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            TestResponse response = client.get("/map");
            assertThat(response.contentType()).isEqualTo("application/json");
            assertThat(MiniJson.object(response.body())).containsExactly(
                    Map.entry("count", 2L), Map.entry("names", List.of("a", "b")));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void empty_optional_becomes_a_404_problem(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            Map<String, Object> problem = assertProblem(client.get("/none"), 404);
            assertThat(problem.get("title")).isEqualTo("Not Found");
            assertThat(problem.get("detail")).isEqualTo("no resource at this path");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void present_optional_record_becomes_json(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            TestResponse response = client.get("/some");
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.contentType()).isEqualTo("application/json");
            assertThat(MiniJson.object(response.body())).containsEntry("name", "milk");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void present_optional_is_converted_by_the_rules_for_its_value(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            TestResponse response = client.get("/some-text");
            assertThat(response.contentType()).isEqualTo("text/plain; charset=utf-8");
            assertThat(response.body()).isEqualTo("present");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void status_becomes_that_status_with_an_empty_body(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            TestResponse response = client.get("/accepted");
            assertThat(response.status()).isEqualTo(202);
            assertThat(response.bodyBytes()).isEmpty();
            assertThat(response.header("content-length")).contains("0");
            assertThat(response.header("content-type")).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void into_response_value_uses_its_own_response(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            TestResponse response = client.get("/into");
            assertThat(response.status()).isEqualTo(201);
            assertThat(response.header("location")).contains("/items/9");
            assertThat(MiniJson.object(response.body())).containsExactly(Map.entry("id", 9L));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void problem_becomes_a_problem_response_with_its_extensions(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            Map<String, Object> problem = assertProblem(client.get("/problem"), 409);
            assertThat(problem.get("title")).isEqualTo("Conflict");
            assertThat(problem.get("detail")).isEqualTo("a \"quoted\"\ndetail");
            assertThat(problem.get("item")).isEqualTo("milk");
        }
    }

    // --- Response factories ---

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void no_content_has_no_body_and_no_content_length(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            TestResponse response = client.get("/no-content");
            assertThat(response.status()).isEqualTo(204);
            assertThat(response.header("content-length")).isEmpty();
            assertThat(response.header("content-type")).isEmpty();
            assertThat(response.bodyBytes()).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void created_has_201_a_location_and_a_json_body(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            TestResponse response = client.get("/created");
            assertThat(response.status()).isEqualTo(201);
            assertThat(response.header("location")).contains("/items/7");
            assertThat(response.contentType()).isEqualTo("application/json");
            assertThat(MiniJson.object(response.body()))
                    .containsExactly(Map.entry("name", "milk"), Map.entry("qty", 2L));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void json_with_a_status_keeps_that_status(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            TestResponse response = client.get("/json-status");
            assertThat(response.status()).isEqualTo(202);
            assertThat(MiniJson.object(response.body())).containsEntry("name", "queued");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void html_is_utf8_html(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            TestResponse response = client.get("/html");
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.contentType()).isEqualTo("text/html; charset=utf-8");
            assertThat(response.body()).isEqualTo("<p>h\u00e9llo</p>");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void see_other_redirects_with_303_and_a_location(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            TestResponse response = client.get("/see-other");
            assertThat(response.status()).isEqualTo(303);
            assertThat(response.header("location")).contains("/elsewhere");
            assertThat(response.bodyBytes()).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void temporary_redirects_with_307_and_a_location(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            TestResponse response = client.get("/temporary");
            assertThat(response.status()).isEqualTo(307);
            assertThat(response.header("location")).contains("/elsewhere?x=1");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void permanent_redirects_with_308_and_a_location(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            TestResponse response = client.get("/permanent");
            assertThat(response.status()).isEqualTo(308);
            assertThat(response.header("location")).contains("https://example.com/new");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void with_header_replaces_every_earlier_value(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            assertThat(client.get("/replaced").headers().all("x-a")).containsExactly("2");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void with_added_header_keeps_earlier_values(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            assertThat(client.get("/added").headers().all("set-cookie")).containsExactly("a=1", "b=2");
        }
    }

    // --- header injection ---

    @Test
    void header_value_with_cr_lf_is_refused_when_the_response_is_built() {
        assertThatThrownBy(() -> Response.ok().withHeader("x-a", "ok\r\nset-cookie: evil=1"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void added_header_value_with_a_bare_lf_is_refused() {
        assertThatThrownBy(() -> Response.ok().withAddedHeader("x-a", "ok\nset-cookie: evil=1"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void redirect_location_with_cr_lf_is_refused() {
        assertThatThrownBy(() -> Redirect.seeOther("/home\r\nset-cookie: evil=1"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void header_injection_attempted_in_a_handler_answers_500_without_the_header(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            TestResponse response = client.get("/crlf");
            assertProblem(response, 500);
            assertThat(response.header("set-cookie")).isEmpty();
            assertThat(response.header("x-a")).isEmpty();
        }
    }

    // --- failures ---

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void handler_returning_null_answers_500(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            Map<String, Object> problem = assertProblem(client.get("/null"), 500);
            assertThat(problem.get("title")).isEqualTo("Internal Server Error");
            assertThat(problem.get("detail")).isEqualTo("the server failed to handle this request");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void handler_exception_answers_500_without_its_message(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            TestResponse response = client.get("/throws");
            assertProblem(response, 500);
            assertThat(response.body()).doesNotContain("secret-from-handler");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void json_encoding_failure_answers_a_500_problem(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            TestResponse response = client.get("/unencodable");
            Map<String, Object> problem = assertProblem(response, 500);
            assertThat(problem.get("detail")).isEqualTo("the server failed to encode its response");
            assertThat(response.body()).doesNotContain("secret-from-accessor");
            assertThat(response.header("content-length")).contains(Integer.toString(response.bodyBytes().length));
        }
    }

    // --- framing headers ---

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void every_response_has_an_http_date(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            for (String path : List.of("/text", "/no-content", "/none")) {
                TestResponse response = client.get(path);
                assertThat(response.header("date")).as("date of %s", path).isPresent();
                ZonedDateTime date = ZonedDateTime.parse(response.header("date").orElseThrow(),
                        DateTimeFormatter.RFC_1123_DATE_TIME);
                assertThat(date).isBetween(ZonedDateTime.now().minusMinutes(1), ZonedDateTime.now().plusMinutes(1));
                assertThat(response.header("date").orElseThrow()).endsWith(" GMT");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void content_length_is_the_number_of_body_bytes(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            for (String path : List.of("/text", "/bytes", "/record", "/list", "/none", "/html")) {
                TestResponse response = client.get(path);
                assertThat(response.header("content-length")).as("content-length of %s", path)
                        .contains(Integer.toString(response.bodyBytes().length));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void framing_headers_set_by_a_handler_are_replaced_by_the_real_length(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            TestResponse response = client.get("/framing");
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("four");
            assertThat(response.headers().all("content-length")).containsExactly("4");
            assertThat(response.header("transfer-encoding")).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void date_set_by_a_handler_is_kept_and_not_duplicated(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            assertThat(client.get("/dated").headers().all("date")).containsExactly("Tue, 01 Jan 2030 00:00:00 GMT");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void head_gets_the_headers_of_get_without_the_body(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            TestResponse get = client.get("/record");
            TestResponse head = client.head("/record");
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.bodyBytes()).isEmpty();
            assertThat(head.contentType()).isEqualTo("application/json");
            assertThat(head.header("content-length")).isEqualTo(get.header("content-length"));
        }
    }
}
