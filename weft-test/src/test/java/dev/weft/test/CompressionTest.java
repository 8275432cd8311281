package dev.weft.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.http.Headers;
import dev.weft.http.Method;
import dev.weft.middleware.Compression;
import dev.weft.response.Response;
import dev.weft.response.ResponseBody;
import dev.weft.response.Status;
import dev.weft.routing.Handler;
import dev.weft.routing.Router;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Response compression over every client: each coding round trips for byte, JSON and streamed
 * bodies; Accept-Encoding is weighed as RFC 9110 says (406 when nothing is acceptable); every skip
 * rule holds; Vary is appended once; ETags are weakened; lengths are recomputed.
 */
class CompressionTest {
    static final String TEXT = "the quick brown fox jumps over the lazy dog. ".repeat(100); // 4500 bytes
    private final AtomicInteger handled = new AtomicInteger();

    static Stream<Named<Function<Router, Client>>> clients() {
        return Clients.both();
    }

    static Stream<Arguments> clientsAndCodings() {
        return clients().flatMap(c -> Stream.of(Codings.ALL).map(coding -> Arguments.of(c, coding)));
    }

    public record Item(int id, String text) {}

    private Router app() {
        byte[] text = TEXT.getBytes(StandardCharsets.UTF_8);
        return Router.builder()
                .layer(Compression.create())
                .get("/text", () -> { handled.incrementAndGet(); return TEXT; })
                .get("/json", () -> List.of(new Item(1, TEXT), new Item(2, TEXT)))
                .get("/stream", () -> Response.stream("text/plain", out -> {
                    for (int i = 0; i < 50; i++) {
                        out.writeText(TEXT);
                        if (i % 10 == 0) {
                            out.flush();
                        }
                    }
                }))
                .get("/sized-stream", () -> Response.stream("text/plain", text.length,
                        new java.io.ByteArrayInputStream(text)))
                .get("/small", () -> "tiny")
                .get("/small-stream", () -> Response.stream("text/plain", 4, new java.io.ByteArrayInputStream(new byte[4])))
                .get("/typed", dev.weft.extract.Query.string("type"), type -> Response.bytes(Status.OK, type, text))
                .get("/encoded", () -> Response.text(TEXT).withHeader("content-encoding", "gzip"))
                .get("/range", () -> Response.of(Status.of(206), Headers.of("content-type", "text/plain",
                        "content-range", "bytes 0-4499/9000"), new ResponseBody.Bytes(text)))
                .get("/ranged-200", () -> Response.text(TEXT).withHeader("content-range", "bytes 0-4499/4500"))
                .get("/no-transform", () -> Response.text(TEXT).withHeader("cache-control", "public, No-Transform"))
                .get("/no-content", () -> Response.noContent())
                .get("/not-modified", () -> Response.of(Status.NOT_MODIFIED).withHeader("etag", "\"v1\""))
                .get("/etag", () -> Response.text(TEXT).withHeader("etag", "\"v1\""))
                .get("/weak-etag", () -> Response.text(TEXT).withHeader("etag", "W/\"v1\""))
                .get("/vary", () -> Response.text(TEXT).withHeader("vary", "origin"))
                .get("/vary-already", () -> Response.text(TEXT).withHeader("vary", "Origin, Accept-Encoding"))
                .get("/vary-star", () -> Response.text(TEXT).withHeader("vary", "*"))
                .get("/length", () -> Response.text(TEXT).withHeader("content-length", "4500"))
                .get("/secret", Handler.of(() -> TEXT).layer(Compression.skip()))
                .build();
    }

    private static TestResponse get(Client client, String target, String acceptEncoding) {
        return client.request(Method.GET, target).header("accept-encoding", acceptEncoding).send();
    }

    private static String decoded(TestResponse response) {
        String coding = response.header("content-encoding").orElse("identity");
        byte[] body = coding.equals("identity") ? response.bodyBytes() : Codings.decode(coding, response.bodyBytes());
        return new String(body, StandardCharsets.UTF_8);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("clientsAndCodings")
    void each_coding_round_trips_bytes_json_and_streams(Function<Router, Client> start, String coding) {
        try (Client client = start.apply(app())) {
            TestResponse text = get(client, "/text", coding);
            assertThat(text.status()).isEqualTo(200);
            assertThat(text.header("content-encoding")).contains(coding);
            assertThat(text.bodyBytes().length).isLessThan(TEXT.length() / 4);
            assertThat(decoded(text)).isEqualTo(TEXT);

            TestResponse json = get(client, "/json", coding);
            assertThat(json.header("content-encoding")).contains(coding);
            assertThat(json.contentType()).isEqualTo("application/json");
            assertThat(decoded(json)).startsWith("[{\"id\":1,\"text\":\"the quick").endsWith("dog. \"}]");

            TestResponse stream = get(client, "/stream", coding);
            assertThat(stream.header("content-encoding")).contains(coding);
            assertThat(decoded(stream)).isEqualTo(TEXT.repeat(50));

            TestResponse sized = get(client, "/sized-stream", coding);
            assertThat(sized.header("content-encoding")).contains(coding);
            assertThat(decoded(sized)).isEqualTo(TEXT);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void accept_encoding_is_weighed_as_rfc_9110_says(Function<Router, Client> start) {
        try (Client client = start.apply(app())) {
            record Case(String header, String expected) {}
            for (Case c : List.of(
                    new Case("gzip", "gzip"),
                    new Case("GZIP", "gzip"),
                    new Case("  Br ;  Q=0.9 ,  gzip ; q=0.8 ", "br"),
                    new Case("gzip, br, zstd", "zstd"),
                    new Case("gzip, br", "br"),
                    new Case("br;q=0, gzip", "gzip"),
                    new Case("br;q=0", "identity"),
                    new Case("*", "zstd"),
                    new Case("*, zstd;q=0", "br"),
                    new Case("gzip;q=0.2, zstd;q=0.1", "gzip"),
                    new Case("compress, deflate, sdch", "identity"),
                    new Case("br;q=abc, gzip;q=0.5", "gzip"),
                    new Case("br;q=7, gzip;q=0.5", "gzip"),
                    new Case("identity", "identity"),
                    new Case("", "identity"))) {
                TestResponse response = get(client, "/text", c.header());
                assertThat(response.status()).as(c.header()).isEqualTo(200);
                assertThat(response.header("content-encoding").orElse("identity")).as(c.header()).isEqualTo(c.expected());
                assertThat(decoded(response)).as(c.header()).isEqualTo(TEXT);
                assertThat(response.header("vary")).as(c.header()).contains("accept-encoding");
            }
            TestResponse none = client.get("/text");
            assertThat(none.header("content-encoding")).isEmpty();
            assertThat(none.header("vary")).contains("accept-encoding");
            assertThat(none.body()).isEqualTo(TEXT);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void nothing_acceptable_is_406_problem_json_before_the_handler_runs(Function<Router, Client> start) {
        try (Client client = start.apply(app())) {
            for (String header : List.of("identity;q=0", "*;q=0", "compress, identity;q=0", "br;q=0, zstd;q=0, gzip;q=0, identity;q=0")) {
                TestResponse response = get(client, "/text", header);
                assertThat(response.status()).as(header).isEqualTo(406);
                assertThat(response.contentType()).isEqualTo("application/problem+json");
                assertThat(response.body()).contains("\"status\":406").contains("identity");
            }
            assertThat(handled).hasValue(0);
            // identity refused but a coding acceptable: compressed, fine
            assertThat(get(client, "/text", "gzip, identity;q=0").header("content-encoding")).contains("gzip");
            assertThat(get(client, "/text", "*;q=0, identity").status()).isEqualTo(200);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void compressed_content_types_and_grpc_are_left_alone(Function<Router, Client> start) {
        try (Client client = start.apply(app())) {
            for (String type : List.of("image/png", "image/jpeg", "IMAGE/WEBP", "audio/ogg", "video/mp4",
                    "application/zip", "application/gzip", "application/x-bzip2", "application/zstd",
                    "application/vnd.rar", "font/woff2", "font/woff", "application/grpc", "application/grpc+proto",
                    "application/epub+zip")) {
                TestResponse response = get(client, "/typed?type=" + type.replace("+", "%2B"), "gzip");
                assertThat(response.header("content-encoding")).as(type).isEmpty();
                assertThat(response.header("vary")).as(type).isEmpty();
                assertThat(response.bodyBytes()).as(type).hasSize(TEXT.length());
            }
            for (String type : List.of("image/svg+xml", "text/html; charset=utf-8", "application/json",
                    "application/grpc-web+proto", "application/octet-stream", "text/css", "application/javascript")) {
                TestResponse response = get(client, "/typed?type=" + type.replace("+", "%2B").replace(" ", "%20"), "gzip");
                assertThat(response.header("content-encoding")).as(type).contains("gzip");
                assertThat(decoded(response)).as(type).isEqualTo(TEXT);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void each_skip_rule_sends_the_body_as_it_is(Function<Router, Client> start) {
        try (Client client = start.apply(app())) {
            TestResponse encoded = get(client, "/encoded", "gzip, br");
            assertThat(encoded.header("content-encoding")).contains("gzip");
            assertThat(encoded.body()).isEqualTo(TEXT); // not encoded twice (the handler lied, and is believed)

            TestResponse range = get(client, "/range", "gzip");
            assertThat(range.status()).isEqualTo(206);
            assertThat(range.header("content-encoding")).isEmpty();
            assertThat(range.body()).isEqualTo(TEXT);
            assertThat(get(client, "/ranged-200", "gzip").header("content-encoding")).isEmpty();

            TestResponse noTransform = get(client, "/no-transform", "gzip");
            assertThat(noTransform.header("content-encoding")).isEmpty();
            assertThat(noTransform.header("vary")).isEmpty();
            assertThat(noTransform.body()).isEqualTo(TEXT);

            assertThat(get(client, "/no-content", "gzip").status()).isEqualTo(204);
            assertThat(get(client, "/no-content", "gzip").header("content-encoding")).isEmpty();
            TestResponse notModified = get(client, "/not-modified", "gzip");
            assertThat(notModified.status()).isEqualTo(304);
            assertThat(notModified.header("content-encoding")).isEmpty();

            TestResponse secret = get(client, "/secret", "gzip, br, zstd");
            assertThat(secret.header("content-encoding")).isEmpty();
            assertThat(secret.body()).isEqualTo(TEXT);

            TestResponse small = get(client, "/small", "gzip");
            assertThat(small.header("content-encoding")).isEmpty();
            assertThat(small.header("vary")).contains("accept-encoding");
            assertThat(small.body()).isEqualTo("tiny");
            TestResponse smallStream = get(client, "/small-stream", "gzip");
            assertThat(smallStream.header("content-encoding")).isEmpty();
            assertThat(smallStream.bodyBytes()).hasSize(4);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void head_is_not_compressed_but_varies(Function<Router, Client> start) {
        try (Client client = start.apply(app())) {
            TestResponse head = client.request(Method.HEAD, "/text").header("accept-encoding", "gzip").send();
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("content-encoding")).isEmpty();
            assertThat(head.header("vary")).contains("accept-encoding");
            assertThat(head.bodyBytes()).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void vary_is_appended_once_and_strong_etags_are_weakened(Function<Router, Client> start) {
        try (Client client = start.apply(app())) {
            TestResponse vary = get(client, "/vary", "gzip");
            assertThat(vary.headers().all("vary")).containsExactly("origin", "accept-encoding");
            TestResponse already = get(client, "/vary-already", "gzip");
            assertThat(already.headers().all("vary")).containsExactly("Origin, Accept-Encoding");
            assertThat(already.header("content-encoding")).contains("gzip");
            assertThat(get(client, "/vary-star", "gzip").headers().all("vary")).containsExactly("*");

            assertThat(get(client, "/etag", "gzip").header("etag")).contains("W/\"v1\"");
            assertThat(get(client, "/etag", "identity").header("etag")).contains("\"v1\"");
            assertThat(get(client, "/weak-etag", "br").header("etag")).contains("W/\"v1\"");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void content_length_is_that_of_the_compressed_body(Function<Router, Client> start) {
        try (Client client = start.apply(app())) {
            TestResponse response = get(client, "/length", "gzip");
            assertThat(response.header("content-encoding")).contains("gzip");
            assertThat(response.headers().all("content-length")).hasSizeLessThanOrEqualTo(1);
            response.header("content-length").ifPresent(length ->
                    assertThat(Integer.parseInt(length)).isEqualTo(response.bodyBytes().length));
            assertThat(response.header("accept-ranges")).isEmpty();
            assertThat(decoded(response)).isEqualTo(TEXT);
        }
    }
}
