package dev.weft.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.extract.PathParam;
import dev.weft.routing.Router;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Matching is on the raw path; path parameters are percent-decoded as strict UTF-8. */
class PathDecodingTest {

    private static Router app() {
        return Router.builder()
                .get("/echo/{value}", PathParam.string("value"), value -> "one:" + value)
                .get("/echo/{a}/{b}", PathParam.string("a"), PathParam.string("b"), (a, b) -> "two:" + a + "|" + b)
                .build();
    }

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void percent_encoded_space_is_decoded(Function<Router, Client> start) {
        try (Client client = start.apply(app())) {
            assertThat(client.get("/echo/a%20b").body()).isEqualTo("one:a b");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void multi_byte_utf8_escape_is_decoded(Function<Router, Client> start) {
        try (Client client = start.apply(app())) {
            assertThat(client.get("/echo/caf%C3%A9").body()).isEqualTo("one:café");
            assertThat(client.get("/echo/%E2%82%AC%F0%9F%98%80").body()).isEqualTo("one:€😀");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void lower_case_hex_escape_is_decoded(Function<Router, Client> start) {
        try (Client client = start.apply(app())) {
            assertThat(client.get("/echo/caf%c3%a9").body()).isEqualTo("one:café");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void encoded_slash_stays_inside_one_segment(Function<Router, Client> start) {
        try (Client client = start.apply(app())) {
            assertThat(client.get("/echo/a%2Fb").body()).isEqualTo("one:a/b");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void encoded_slash_does_not_match_a_literal_route_with_two_segments(Function<Router, Client> start) {
        Router router = Router.builder()
                .get("/docs/a/b", () -> "literal")
                .get("/docs/{name}", PathParam.string("name"), name -> "param:" + name)
                .build();
        try (Client client = start.apply(router)) {
            assertThat(client.get("/docs/a%2Fb").body()).isEqualTo("param:a/b");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void invalid_utf8_is_rejected_with_400_problem_naming_the_parameter(Function<Router, Client> start) {
        try (Client client = start.apply(app())) {
            TestResponse response = client.get("/echo/%FF");
            assertThat(response.status()).isEqualTo(400);
            assertThat(response.contentType()).startsWith("application/problem+json");
            assertThat(response.body())
                    .contains("\"status\":400")
                    .contains("\"parameter\":\"value\"")
                    .contains("'value'");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void truncated_utf8_sequence_is_rejected_with_400(Function<Router, Client> start) {
        try (Client client = start.apply(app())) {
            TestResponse response = client.get("/echo/caf%C3");
            assertThat(response.status()).isEqualTo(400);
            assertThat(response.body()).contains("\"parameter\":\"value\"");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void malformed_escape_is_rejected_with_400_naming_the_parameter(Function<Router, Client> start) {
        try (Client client = start.apply(app())) {
            TestResponse response = Clients.rawGet(client, "/echo/%G1");
            assertThat(response.status()).isEqualTo(400);
            assertThat(response.contentType()).startsWith("application/problem+json");
            assertThat(response.body()).contains("\"parameter\":\"value\"");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void trailing_percent_is_rejected_with_400(Function<Router, Client> start) {
        try (Client client = start.apply(app())) {
            TestResponse response = Clients.rawGet(client, "/echo/abc%");
            assertThat(response.status()).isEqualTo(400);
            assertThat(response.body()).contains("\"parameter\":\"value\"");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void percent_followed_by_a_single_hex_digit_is_rejected_with_400(Function<Router, Client> start) {
        try (Client client = start.apply(app())) {
            TestResponse response = Clients.rawGet(client, "/echo/abc%4");
            assertThat(response.status()).isEqualTo(400);
            assertThat(response.body()).contains("\"parameter\":\"value\"");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void invalid_second_parameter_is_the_one_named(Function<Router, Client> start) {
        try (Client client = start.apply(app())) {
            TestResponse response = client.get("/echo/fine/%FF");
            assertThat(response.status()).isEqualTo(400);
            assertThat(response.body()).contains("\"parameter\":\"b\"");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void plus_in_a_path_stays_a_plus(Function<Router, Client> start) {
        try (Client client = start.apply(app())) {
            assertThat(client.get("/echo/a+b").body()).isEqualTo("one:a+b");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void encoded_plus_decodes_to_a_plus(Function<Router, Client> start) {
        try (Client client = start.apply(app())) {
            assertThat(client.get("/echo/a%2Bb").body()).isEqualTo("one:a+b");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.weft.test.Clients#both")
    void query_string_is_not_part_of_a_path_parameter(Function<Router, Client> start) {
        try (Client client = start.apply(app())) {
            assertThat(client.get("/echo/a%20b?x=%FF").body()).isEqualTo("one:a b");
        }
    }
}
