package dev.weft.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.extract.Form;
import dev.weft.extract.Query;
import dev.weft.routing.Router;
import dev.weft.test.Client;
import dev.weft.test.TestResponse;
import dev.weft.test.Transport;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.json.JsonMapper;

class ValidatedTest {
    public record Line(@NotBlank String sku, @Min(1) int qty) {}

    public record Order(@NotBlank String customer, @Email String email, @Size(min = 1) List<@Valid Line> lines,
            List<@NotBlank String> tags) {}

    public record Page(@Min(1) int number, @Max(100) int size) {}

    private static final Router APP = Router.builder()
            .post("/orders", Validated.json(Order.class), order -> order.lines().size() + " lines")
            .get("/list", Validated.of(Query.as(Page.class)), page -> "page " + page.number())
            .post("/form", Validated.of(Form.of(Page.class)), page -> "page " + page.number())
            .build();

    @SuppressWarnings("unchecked")
    private static List<Map<String, String>> errors(TestResponse response) {
        assertThat(response.status()).isEqualTo(422);
        assertThat(response.contentType()).startsWith("application/problem+json");
        Map<String, Object> problem = JsonMapper.shared().readValue(response.body(), Map.class);
        return (List<Map<String, String>>) problem.get("errors");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Transport.class)
    void every_violation_is_listed_with_its_pointer_nested_ones_too(Transport transport) {
        try (Client client = transport.start(APP)) {
            TestResponse response = client.post("/orders").json("{\"customer\":\" \",\"email\":\"not-an-address\","
                    + "\"lines\":[{\"sku\":\"a\",\"qty\":1},{\"sku\":\"\",\"qty\":0}],\"tags\":[\"ok\",\"\"]}").send();

            assertThat(errors(response)).extracting(e -> e.get("pointer")).containsExactly(
                    "/customer", "/email", "/lines/1/qty", "/lines/1/sku", "/tags/1");
            assertThat(errors(response)).allSatisfy(e -> assertThat(e.get("detail")).isNotBlank()
                    .doesNotContain("not-an-address").doesNotContain("dev.weft").doesNotContain("${"));
            assertThat(errors(response)).filteredOn(e -> e.get("pointer").equals("/lines/1/qty"))
                    .extracting(e -> e.get("detail")).containsExactly("must be greater than or equal to 1");
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Transport.class)
    void a_valid_record_reaches_the_handler(Transport transport) {
        try (Client client = transport.start(APP)) {
            TestResponse response = client.post("/orders")
                    .json("{\"customer\":\"ada\",\"email\":\"ada@example.com\",\"lines\":[{\"sku\":\"a\",\"qty\":2}],"
                            + "\"tags\":[]}").send();

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("1 lines");
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Transport.class)
    void query_and_form_records_are_validated_too(Transport transport) {
        try (Client client = transport.start(APP)) {
            assertThat(errors(client.get("/list?number=0&size=500"))).extracting(e -> e.get("pointer"))
                    .containsExactly("/number", "/size");
            assertThat(errors(client.post("/form").header("content-type", "application/x-www-form-urlencoded")
                    .body("number=1&size=101".getBytes()).send())).extracting(e -> e.get("pointer"))
                    .containsExactly("/size");
            assertThat(client.get("/list?number=2&size=10").body()).isEqualTo("page 2");
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Transport.class)
    void binding_errors_come_first_and_are_not_violations(Transport transport) {
        try (Client client = transport.start(APP)) {
            TestResponse response = client.post("/orders").json("{\"customer\":\"ada\"}").send();

            assertThat(response.status()).isEqualTo(422);
            assertThat(response.body()).contains("\"pointer\":\"/email\"").doesNotContain("errors");
        }
    }
}
