package dev.weft.test;

import static dev.weft.test.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.extract.TypedHeader;
import dev.weft.http.Method;
import dev.weft.response.Response;
import dev.weft.routing.Router;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Typed header extractors over every client: values, 400s naming the header, hostile values. */
class TypedHeaderExtractTest {

    static Stream<Named<Function<Router, Client>>> clients() {
        return Clients.both();
    }

    private static final Router APP = Router.builder()
            .get("/auth", TypedHeader.authorization(), auth -> switch (auth) {
                case TypedHeader.Basic b -> "basic " + b.user() + "/" + b.password().length();
                case TypedHeader.Bearer b -> "bearer " + b.token();
                case TypedHeader.Other o -> "other " + o.scheme();
            })
            .get("/etag", TypedHeader.optionalIfNoneMatch(), inm -> inm.filter(i -> i.matches("\"v2\""))
                    .map(i -> Response.of(dev.weft.response.Status.NOT_MODIFIED)).orElse(Response.text("fresh")))
            .get("/range", TypedHeader.optionalRange(), range -> range.map(r -> r.within(1000).toString())
                    .orElse("whole"))
            .post("/type", TypedHeader.contentType(), type -> type.essence() + " " + type.charset().orElse("-"))
            .get("/accept", TypedHeader.accept(), accept -> accept.preferred("application/json", "text/html")
                    .orElse("none"))
            .build();

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void authorization_schemes_are_parsed(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            assertThat(client.request(Method.GET, "/auth").header("authorization", "Basic " + b64("zoë:secret"))
                    .send().body()).isEqualTo("basic zoë/6");
            assertThat(client.request(Method.GET, "/auth").header("authorization", "Bearer abc.DEF-1~")
                    .send().body()).isEqualTo("bearer abc.DEF-1~");
            assertThat(client.request(Method.GET, "/auth").header("authorization", "Digest x=1").send().body())
                    .isEqualTo("other Digest");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void missing_or_malformed_authorization_is_400_naming_the_header(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            assertThat(assertProblem(client.get("/auth"), 400)).containsEntry("header", "authorization");
            for (String bad : List.of("Basic !!!", "Basic " + b64("nocolon"), "Bearer a b", "Bearer",
                    "Basic " + Base64.getEncoder().encodeToString(new byte[] {(byte) 0xff, ':', 'x'}),
                    "Bearer " + "t".repeat(9000))) {
                TestResponse response = client.request(Method.GET, "/auth").header("authorization", bad).send();
                assertThat(assertProblem(response, 400)).as(bad.substring(0, Math.min(bad.length(), 20)))
                        .containsEntry("header", "authorization");
                assertThat(response.body()).doesNotContain("!!!");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void a_repeated_authorization_header_is_400(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            TestResponse response = RequestIdLayerTest.get(client, "/auth", "authorization", "Bearer a",
                    "authorization", "Bearer b");
            assertThat(assertProblem(response, 400)).containsEntry("header", "authorization");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void if_none_match_answers_304_on_a_weak_match(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            assertThat(client.request(Method.GET, "/etag").header("if-none-match", "\"v1\", W/\"v2\"").send().status())
                    .isEqualTo(304);
            assertThat(client.request(Method.GET, "/etag").header("if-none-match", "\"v1\"").send().body())
                    .isEqualTo("fresh");
            assertThat(client.get("/etag").body()).isEqualTo("fresh");
            assertThat(client.request(Method.GET, "/etag").header("if-none-match", "*").send().status()).isEqualTo(304);
            assertThat(assertProblem(client.request(Method.GET, "/etag").header("if-none-match", "v1").send(), 400))
                    .containsEntry("header", "if-none-match");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void ranges_resolve_and_invalid_ones_are_ignored(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            assertThat(client.request(Method.GET, "/range").header("range", "bytes=0-9,-10").send().body())
                    .isEqualTo("[Span[first=0, last=9], Span[first=990, last=999]]");
            for (String ignored : List.of("bytes=9-1", "lines=1-2", "bytes=" + "1-2,".repeat(40), "bytes=x")) {
                assertThat(client.request(Method.GET, "/range").header("range", ignored).send().body()).isEqualTo("whole");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void content_type_and_accept_are_parsed(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            assertThat(client.post("/type").body("Text/Plain; charset=\"UTF-8\"", "x").send().body())
                    .isEqualTo("text/plain utf-8");
            assertThat(assertProblem(client.post("/type").body("text", "x").send(), 400))
                    .containsEntry("header", "content-type");
            assertThat(client.request(Method.GET, "/accept").header("accept", "text/html;q=0.9, application/*;q=0.5")
                    .send().body()).isEqualTo("text/html");
            assertThat(assertProblem(client.request(Method.GET, "/accept").header("accept", "text/html;q=7").send(),
                    400)).containsEntry("header", "accept");
        }
    }
}
