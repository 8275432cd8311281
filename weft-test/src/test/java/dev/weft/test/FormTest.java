package dev.weft.test;

import static dev.weft.test.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.extract.Form;
import dev.weft.response.Redirect;
import dev.weft.routing.Handler;
import dev.weft.routing.Router;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class FormTest {

    public record Signup(String user, int age, Optional<Boolean> newsletter, List<String> tag) {}

    static Stream<Named<Function<Router, Client>>> clients() {
        return Clients.both();
    }

    private static final Router APP = Router.builder()
            .post("/signup", Form.of(Signup.class), s -> s.user() + "|" + s.age() + "|"
                    + s.newsletter().map(String::valueOf).orElse("-") + "|" + s.tag())
            .post("/login", Form.of(Signup.class), s -> Redirect.seeOther("/home"))
            .post("/fields", Form.map(), fields -> fields)
            .post("/tiny", Handler.of(Form.map(), fields -> fields).bodyLimit(8))
            .build();

    private static final String FORM = "application/x-www-form-urlencoded";

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void form_is_bound_to_a_record(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            TestResponse response = client.post("/signup").form("user=ada&age=36&newsletter=true&tag=a&tag=b").send();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("ada|36|true|[a, b]");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void optional_and_list_fields_may_be_absent(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            assertThat(client.post("/signup").form("user=ada&age=36").send().body()).isEqualTo("ada|36|-|[]");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void plus_and_percent_escapes_are_decoded(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            TestResponse response = client.post("/signup").form("user=Ada+Lovelace+%C3%A9%26%3D&age=36").send();
            assertThat(response.body()).startsWith("Ada Lovelace é&=|36|");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void charset_parameter_on_the_content_type_is_accepted(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            TestResponse response = client.post("/signup").body(FORM + "; charset=UTF-8", "user=ada&age=36").send();
            assertThat(response.status()).isEqualTo(200);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void handler_may_answer_a_form_post_with_a_redirect(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            TestResponse response = client.post("/login").form("user=ada&age=36").send();
            assertThat(response.status()).isEqualTo(303);
            assertThat(response.header("location")).contains("/home");
        }
    }

    // --- rejections ---

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void json_content_type_is_rejected_with_415(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            Map<String, Object> problem = assertProblem(
                    client.post("/signup").json("{\"user\":\"ada\",\"age\":36}").send(), 415);
            assertThat(problem.get("expected")).isEqualTo(FORM);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void missing_content_type_is_rejected_with_415(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            TestResponse response = client.post("/signup")
                    .body("user=ada&age=36".getBytes(StandardCharsets.US_ASCII)).send();
            Map<String, Object> problem = assertProblem(response, 415);
            assertThat(problem.get("expected")).isEqualTo(FORM);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void missing_field_is_rejected_with_422_naming_it(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            Map<String, Object> problem = assertProblem(client.post("/signup").form("user=ada").send(), 422);
            assertThat(problem.get("field")).isEqualTo("age");
            assertThat(problem.get("detail")).isEqualTo("form field 'age' must be present");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void invalid_number_is_rejected_with_422_naming_the_field(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            Map<String, Object> problem = assertProblem(client.post("/signup").form("user=ada&age=old").send(), 422);
            assertThat(problem.get("field")).isEqualTo("age");
            assertThat(problem.get("detail")).isEqualTo("form field 'age' must be an integer");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void invalid_optional_field_is_rejected_with_422(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            Map<String, Object> problem = assertProblem(
                    client.post("/signup").form("user=ada&age=36&newsletter=on").send(), 422);
            assertThat(problem.get("field")).isEqualTo("newsletter");
            assertThat(problem.get("detail")).isEqualTo("form field 'newsletter' must be true or false");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void malformed_percent_escape_is_rejected_with_400(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            Map<String, Object> problem = assertProblem(client.post("/signup").form("user=%ZZ&age=36").send(), 400);
            assertThat(problem.get("detail")).isEqualTo("the form body is not valid percent-encoded UTF-8");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void percent_escape_that_is_not_utf8_is_rejected_with_400(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            Map<String, Object> problem = assertProblem(client.post("/signup").form("user=%E9&age=36").send(), 400);
            assertThat(problem.get("detail")).isEqualTo("the form body is not valid percent-encoded UTF-8");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void raw_non_ascii_byte_in_the_body_is_rejected_with_400(Function<Router, Client> clients) {
        byte[] body = {'u', 's', 'e', 'r', '=', (byte) 0xE9, '&', 'a', 'g', 'e', '=', '3', '6'};
        try (Client client = clients.apply(APP)) {
            TestResponse response = client.post("/signup").header("content-type", FORM).body(body).send();
            Map<String, Object> problem = assertProblem(response, 400);
            assertThat(problem.get("detail")).isEqualTo("the form body is not valid percent-encoded UTF-8");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void raw_utf8_text_in_the_body_is_rejected_with_400(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            Map<String, Object> problem = assertProblem(client.post("/signup").form("user=é&age=36").send(), 400);
            assertThat(problem.get("detail")).isEqualTo("the form body is not valid percent-encoded UTF-8");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void form_over_the_route_limit_is_rejected_with_413(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            Map<String, Object> problem = assertProblem(client.post("/tiny").form("a=12345678").send(), 413);
            assertThat(problem.get("limit")).isEqualTo(8L);
        }
    }

    // --- Form.map ---

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void map_gives_every_field_with_all_its_values_in_order(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            TestResponse response = client.post("/fields").form("user=ada&tag=a&empty=&tag=b+c").send();
            assertThat(response.status()).isEqualTo(200);
            assertThat(MiniJson.object(response.body())).containsExactly(
                    Map.entry("user", List.of("ada")),
                    Map.entry("tag", List.of("a", "b c")),
                    Map.entry("empty", List.of("")));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void map_of_an_empty_form_is_empty(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            TestResponse response = client.post("/fields").form("").send();
            assertThat(response.status()).isEqualTo(200);
            assertThat(MiniJson.object(response.body())).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void map_rejects_another_content_type_with_415(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            Map<String, Object> problem = assertProblem(client.post("/fields").body("text/plain", "a=1").send(), 415);
            assertThat(problem.get("expected")).isEqualTo(FORM);
        }
    }
}
