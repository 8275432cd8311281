package dev.weft.test;

import static dev.weft.test.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.extract.Body;
import dev.weft.extract.Form;
import dev.weft.extract.Json;
import dev.weft.routing.Handler;
import dev.weft.routing.Router;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile JSON payloads (issue #8, class 8): whatever the body and whatever the target type, the
 * answer is 200, 400 (not JSON, or past a documented parser limit) or 422 (JSON that does not fit
 * the type), with a problem body, never 500; colliding keys stay fast. A body with a
 * {@code content-encoding} the server does not decode is 415 with {@code accept-encoding}.
 */
class JsonHostileTest {
    public record Numbers(int i, long l, double d, float f, short s, byte b, BigInteger bi, BigDecimal bd) {}

    public record Named1(String name) {}

    private static final long BIG = 64L * 1024 * 1024;
    private static TestClient client;

    @BeforeAll
    static void start() {
        client = TestClient.start(Router.builder()
                .post("/int", Handler.of(Json.of(Integer.class), n -> "ok").bodyLimit(BIG))
                .post("/long", Handler.of(Json.of(Long.class), n -> "ok").bodyLimit(BIG))
                .post("/double", Handler.of(Json.of(Double.class), n -> "ok").bodyLimit(BIG))
                .post("/bigint", Handler.of(Json.of(BigInteger.class), n -> "ok " + n.bitLength()).bodyLimit(BIG))
                .post("/bigdec", Handler.of(Json.of(BigDecimal.class), n -> "ok " + n.precision()).bodyLimit(BIG))
                .post("/numbers", Handler.of(Json.of(Numbers.class), n -> "ok").bodyLimit(BIG))
                .post("/object", Handler.of(Json.of(Object.class), o -> "ok").bodyLimit(BIG))
                .post("/map", Handler.of(Json.of(Map.class), m -> "ok " + m.size()).bodyLimit(BIG))
                .post("/list", Handler.of(Json.listOf(Object.class), l -> "ok " + l.size()).bodyLimit(BIG))
                .post("/string", Handler.of(Json.of(String.class), s -> "ok " + s.length()).bodyLimit(BIG))
                .post("/record", Handler.of(Json.of(Named1.class), r -> "ok").bodyLimit(BIG))
                .post("/bytes", Body.bytes(), b -> "ok")
                .post("/form", Form.map(), f -> "ok")
                .build());
    }

    @AfterAll
    static void stop() {
        client.close();
    }

    private static final List<String> TARGETS = List.of("/int", "/long", "/double", "/bigint", "/bigdec", "/numbers",
            "/object", "/map", "/list", "/string", "/record");

    private static String repeat(String s, int n) {
        return s.repeat(n);
    }

    /** {@code n} distinct keys that all share one {@link String#hashCode()} ("Aa" and "BB" collide). */
    private static String collidingKeys(int n) {
        StringBuilder json = new StringBuilder("{");
        int bits = Integer.SIZE - Integer.numberOfLeadingZeros(n - 1);
        for (int k = 0; k < n; k++) {
            if (k > 0) {
                json.append(',');
            }
            json.append('"');
            for (int bit = 0; bit < bits; bit++) {
                json.append((k >> bit & 1) == 0 ? "Aa" : "BB");
            }
            json.append("\":1");
        }
        return json.append('}').toString();
    }

    static Stream<Arguments> payloads() {
        return Stream.of(
                "1e1000000000", "-1e1000000000", "1e-1000000000", "1E+2147483648", "9".repeat(2_000),
                "0." + "0".repeat(2_000) + "1", "1" + "0".repeat(100_000), "[" + "1e999999999,".repeat(1000) + "1]",
                "{\"d\":1e1000000000,\"bd\":1e1000000000,\"bi\":1e1000000000,\"i\":1e400,\"l\":1e20}",
                "{\"bi\":1e100000,\"bd\":1e-100000}", "{\"i\":2147483648}", "{\"s\":40000}", "{\"b\":300}",
                "{\"f\":1e39}", "{\"i\":1.5}", "{\"l\":9223372036854775808}",
                "NaN", "Infinity", "-Infinity", "+1", ".5", "1.", "01", "-", "0x10", "1e", "--1", "1_000",
                repeat("[", 100_000) + repeat("]", 100_000), repeat("{\"a\":", 100_000) + "1" + repeat("}", 100_000),
                repeat("[", 1_000) + repeat("]", 1_000), repeat("[", 100_000),
                "\"" + "x".repeat(30_000_000) + "\"", "{\"" + "k".repeat(200_000) + "\":1}",
                collidingKeys(16_384), "{\"name\":1,\"name\":2}", "{\"name\":\"a\",\"name\":\"b\"}",
                "\"\\ud800\"", "\"\\udc00\\ud800\"", "\"\\u00\"", "\"\\x41\"", "\"\u0000\"", "\"a\nb\"",
                "{\"name\":\"x\"}\u0000", "{\"name\":\"x\"}{}", "{\"name\":\"x\"} x", "{\"name\":\"x\"}]",
                "[" + "0,".repeat(3_000_000) + "0]", "{" + "\"a\":{},".repeat(200_000) + "\"b\":0}",
                "\uFEFF{\"name\":\"x\"}", "/* c */ {}", "{'name':'x'}", "{name:\"x\"}", "[1,]", "{,}", "[,1]",
                "{\"a\":1,}", "true false", "nul", "tru", "[\"\\", "{\"a\"", "{\"a\":", "\"\t\"")
                .flatMap(body -> TARGETS.stream().map(target -> Arguments.of(target,
                        Named.of(body.length() > 40 ? body.substring(0, 40) + "… (" + body.length() + " chars)" : body,
                                body))));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("payloads")
    void a_hostile_payload_gets_200_400_or_422_never_500(String target, String body) {
        TestResponse response = client.post(target).json(body).send();

        assertThat(response.status()).as("%s %s", target, response).isIn(200, 400, 422);
        if (response.status() != 200) {
            assertProblem(response, response.status());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidBytes")
    void invalid_utf_8_or_another_encoding_gets_400(byte[] body) {
        for (String target : TARGETS) {
            TestResponse response = client.post(target).header("content-type", "application/json")
                    .body(body).send();

            assertThat(response.status()).as("%s %s", target, response).isIn(400, 422);
        }
    }

    static Stream<Named<byte[]>> invalidBytes() {
        return Stream.of(
                Named.of("UTF-16BE", "{\"name\":\"x\"}".getBytes(StandardCharsets.UTF_16BE)),
                Named.of("UTF-16LE with BOM", "{\"name\":\"x\"}".getBytes(StandardCharsets.UTF_16)),
                Named.of("UTF-32", "{\"name\":\"x\"}".getBytes(java.nio.charset.Charset.forName("UTF-32"))),
                Named.of("Latin-1 in a string", "{\"name\":\"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1)),
                Named.of("overlong NUL", new byte[] {'"', (byte) 0xC0, (byte) 0x80, '"'}),
                Named.of("CESU surrogate", new byte[] {'"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"'}),
                Named.of("truncated sequence", new byte[] {'"', (byte) 0xE2, (byte) 0x82, '"'}),
                Named.of("past U+10FFFF", new byte[] {'"', (byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80, '"'}),
                Named.of("lone continuation", new byte[] {'[', (byte) 0x80, ']'}),
                Named.of("0xFF", new byte[] {(byte) 0xFF}));
    }

    @Test
    void a_number_past_the_documented_length_gets_400_naming_the_limit() {
        TestResponse response = client.post("/bigint").json("1" + "0".repeat(1_001)).send();

        assertThat(assertProblem(response, 400).get("detail").toString()).contains("1000");
    }

    @Test
    void nesting_past_the_documented_depth_gets_400_and_within_it_is_served() {
        assertThat(client.post("/object").json(repeat("[", 500) + repeat("]", 500)).send().status()).isEqualTo(200);
        assertThat(assertProblem(client.post("/object").json(repeat("[", 501) + repeat("]", 501)).send(), 400)
                .get("detail").toString()).contains("500");
    }

    @Test
    void a_huge_exponent_for_an_integer_type_is_refused_without_expanding_it() {
        long started = System.nanoTime();
        for (String target : List.of("/bigint", "/int", "/long")) {
            assertThat(client.post(target).json("1e1000000000").send().status()).isIn(400, 422);
        }
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void sixteen_thousand_colliding_keys_are_read_in_linear_time() {
        String body = collidingKeys(16_384);
        long started = System.nanoTime();
        TestResponse response = client.post("/map").json(body).send();

        assertThat(response.status()).isIn(200, 400);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void an_unsupported_content_encoding_gets_415_with_accept_encoding() {
        for (String coding : List.of("gzip", "br", "deflate", "zstd", "compress", "x-unknown", "gzip, identity")) {
            TestResponse response = client.post("/record").header("content-encoding", coding).json("{\"name\":\"x\"}")
                    .send();

            assertProblem(response, 415);
            assertThat(response.header("accept-encoding")).as(coding).contains("identity");
        }
    }

    @Test
    void every_body_extractor_refuses_an_encoded_body_with_415() {
        for (String target : List.of("/bytes", "/form")) {
            TestResponse response = client.post(target).header("content-encoding", "gzip")
                    .header("content-type", "application/x-www-form-urlencoded").body(new byte[] {0x1f, (byte) 0x8b})
                    .send();

            assertProblem(response, 415);
            assertThat(response.header("accept-encoding")).contains("identity");
        }
    }

    @Test
    void identity_content_encoding_is_read_as_is() {
        TestResponse response = client.post("/record").header("content-encoding", "identity").json("{\"name\":\"x\"}")
                .send();

        assertThat(response.status()).isEqualTo(200);
    }
}
