package dev.weft.test;

import static dev.weft.test.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.extract.Form;
import dev.weft.extract.InvalidValueException;
import dev.weft.extract.Json;
import dev.weft.extract.Query;
import dev.weft.response.Response;
import dev.weft.response.Status;
import dev.weft.routing.Router;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Validation in a record's compact constructor (issue #9, 2a): an {@link InvalidValueException}
 * is a 422 naming the field (a JSON pointer for a body, nested records too) with the
 * constructor's words; any other exception reaches the router's exception mapper for its type,
 * and without one is a 422 that does not echo its message.
 */
class RecordValidationTest {
    public record Line(String sku, int qty) {
        public Line {
            if (qty < 1) {
                throw new InvalidValueException("qty", "must be at least 1");
            }
        }
    }

    public record Order(String customer, List<Line> lines) {
        public Order {
            if (customer.isBlank()) {
                throw new InvalidValueException("customer", "must not be blank");
            }
        }
    }

    /** The application's own exception type. */
    public static final class OutOfStock extends RuntimeException {
        private static final long serialVersionUID = 1L;

        OutOfStock(String sku) {
            super("secret stock level of " + sku);
        }
    }

    public record Reservation(String sku) {
        public Reservation {
            if (sku.equals("gone")) {
                throw new OutOfStock(sku);
            }
            if (sku.equals("odd")) {
                throw new IllegalStateException("internal detail");
            }
        }
    }

    public record Page(int number) {
        public Page {
            if (number < 1) {
                throw new InvalidValueException("number", "must be at least 1");
            }
        }
    }

    private static Router app(boolean mapped) {
        Router.Builder app = Router.builder()
                .post("/orders", Json.of(Order.class), order -> order.lines().size() + " lines")
                .post("/reserve", Json.of(Reservation.class), r -> "reserved " + r.sku())
                .post("/form", Form.of(Page.class), p -> "page " + p.number())
                .get("/list", Query.as(Page.class), p -> "page " + p.number());
        if (mapped) {
            app.onException(OutOfStock.class, (e, request) -> Response.of(Status.CONFLICT).withHeader("x-mapped", "yes"));
        }
        return app.build();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.weft.test.Clients#both")
    void a_refused_value_in_a_nested_record_is_422_with_its_pointer_and_reason(Function<Router, Client> clients) {
        try (Client client = clients.apply(app(false))) {
            Map<String, Object> nested = assertProblem(client.post("/orders")
                    .json("{\"customer\":\"ada\",\"lines\":[{\"sku\":\"a\",\"qty\":1},{\"sku\":\"b\",\"qty\":0}]}").send(), 422);
            Map<String, Object> top = assertProblem(client.post("/orders")
                    .json("{\"customer\":\" \",\"lines\":[]}").send(), 422);

            assertThat(nested.get("pointer")).isEqualTo("/lines/1/qty");
            assertThat(nested.get("detail")).isEqualTo("JSON field '/lines/1/qty' must be at least 1");
            assertThat(top.get("pointer")).isEqualTo("/customer");
            assertThat(top.get("detail")).isEqualTo("JSON field '/customer' must not be blank");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.weft.test.Clients#both")
    void form_and_query_records_name_the_parameter(Function<Router, Client> clients) {
        try (Client client = clients.apply(app(false))) {
            Map<String, Object> form = assertProblem(client.post("/form")
                    .header("content-type", "application/x-www-form-urlencoded").body("number=0".getBytes()).send(), 422);
            Map<String, Object> query = assertProblem(client.get("/list?number=0"), 422);

            assertThat(form.get("detail")).isEqualTo("form field 'number' must be at least 1");
            assertThat(form.get("parameter")).isEqualTo("number");
            assertThat(query.get("detail")).isEqualTo("query parameter 'number' must be at least 1");
            assertThat(client.get("/list?number=2").body()).isEqualTo("page 2");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.weft.test.Clients#both")
    void the_applications_own_exception_reaches_its_mapper(Function<Router, Client> clients) {
        try (Client client = clients.apply(app(true))) {
            TestResponse response = client.post("/reserve").json("{\"sku\":\"gone\"}").send();

            assertThat(response.status()).isEqualTo(409);
            assertThat(response.header("x-mapped")).contains("yes");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.weft.test.Clients#both")
    void an_unmapped_exception_is_a_422_that_echoes_nothing(Function<Router, Client> clients) {
        try (Client client = clients.apply(app(false))) {
            for (String sku : List.of("gone", "odd")) {
                TestResponse response = client.post("/reserve").json("{\"sku\":\"" + sku + "\"}").send();

                assertProblem(response, 422);
                assertThat(response.body()).doesNotContain("secret", "internal", "OutOfStock", "IllegalState");
            }
        }
    }
}
