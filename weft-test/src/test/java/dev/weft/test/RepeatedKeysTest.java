package dev.weft.test;

import static dev.weft.test.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.extract.Form;
import dev.weft.extract.Query;
import dev.weft.routing.Router;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Repeated query parameters and form fields bind to lists; the number of pairs is bounded. */
class RepeatedKeysTest {

    static Stream<Named<Function<Router, Client>>> clients() {
        return Clients.both();
    }

    public enum Color { RED, GREEN, BLUE }

    public record Filter(List<Integer> id, Optional<List<Color>> color, List<String> tag) {}

    private static final Router APP = Router.builder()
            .get("/ids", Query.all("id", Integer.class), ids -> ids.toString())
            .get("/colors", Query.all("c", Color.class), colors -> colors.toString())
            .get("/filter", Query.as(Filter.class), f -> f.id() + "|" + f.color().map(List::toString).orElse("-")
                    + "|" + f.tag())
            .get("/map", Query.map(), map -> map.toString())
            .post("/form-colors", Form.all("c", Color.class), colors -> colors.toString())
            .post("/form-filter", Form.of(Filter.class), f -> f.id() + "|" + f.color().map(List::toString).orElse("-"))
            .post("/form-map", Form.map(), Map::size)
            .build();

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void repeated_query_parameters_bind_to_a_list_of_integers_or_enums_in_order(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            assertThat(client.get("/ids?id=3&id=1&id=2").body()).isEqualTo("[3, 1, 2]");
            assertThat(client.get("/ids").body()).isEqualTo("[]");
            assertThat(client.get("/colors?c=red&c=BLUE&c=Green").body()).isEqualTo("[RED, BLUE, GREEN]");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void one_unconvertible_value_in_a_list_rejects_the_request_naming_the_parameter(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            assertThat(assertProblem(client.get("/ids?id=1&id=x"), 400)).containsEntry("parameter", "id");
            assertThat(assertProblem(client.get("/colors?c=red&c=purple"), 400)).containsEntry("parameter", "c");
            assertThat(assertProblem(client.get("/ids?id=99999999999"), 400)).containsEntry("parameter", "id");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void record_components_bind_lists_and_optional_lists(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            assertThat(client.get("/filter?id=1&tag=a&id=2&color=red&color=blue").body())
                    .isEqualTo("[1, 2]|[RED, BLUE]|[a]");
            assertThat(client.get("/filter").body()).isEqualTo("[]|-|[]");
            assertThat(client.get("/filter?color=").status()).isEqualTo(400); // present but empty: not a color
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void the_multimap_keeps_every_value_of_every_name(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            assertThat(client.get("/map?a=1&b=2&a=3&c").body()).isEqualTo("{a=[1, 3], b=[2], c=[]}");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void repeated_form_fields_bind_to_lists(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            assertThat(client.post("/form-colors").form("c=red&c=green").send().body()).isEqualTo("[RED, GREEN]");
            assertThat(client.post("/form-colors").form("other=1").send().body()).isEqualTo("[]");
            assertThat(client.post("/form-filter").form("id=7&color=blue&id=8").send().body())
                    .isEqualTo("[7, 8]|[BLUE]");
            assertThat(assertProblem(client.post("/form-colors").form("c=red&c=mauve").send(), 422))
                    .containsEntry("field", "c");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void more_than_1000_query_parameters_are_rejected_naming_the_limit(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            assertThat(client.get("/map?" + pairs(1000)).status()).isEqualTo(200);
            var problem = assertProblem(client.get("/map?" + pairs(1001)), 400);
            assertThat(problem).containsEntry("limit", 1000L);
            assertThat((String) problem.get("detail")).contains("more than 1000 parameters");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void a_form_of_many_tiny_fields_is_rejected_naming_the_limit(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            assertThat(client.post("/form-map").form(pairs(1000)).send().body()).isEqualTo("1");
            assertThat(assertProblem(client.post("/form-map").form("a&".repeat(200_000)).send(), 400))
                    .containsEntry("limit", 1000L);
        }
    }

    private static String pairs(int n) {
        return "a=1&".repeat(n - 1) + "a=1";
    }
}
