package dev.weft.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.extract.Body;
import dev.weft.extract.Json;
import dev.weft.http.Method;
import dev.weft.middleware.RequestDecompression;
import dev.weft.routing.Handler;
import dev.weft.routing.Router;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Request decompression over every client: each coding round trips into every body extractor;
 * unsupported codings are 415 with accept-encoding; bombs stop at the decoded limit (413 naming
 * it), oversized wire bodies at the wire limit; truncated and corrupt bodies are 400, never 500;
 * zstd skippable frames and concatenated frames and gzip members are read; the limits follow the
 * route whether the layer is a root layer or a route layer.
 */
class DecompressionTest {
    private static final String TEXT = "{\"name\":\"" + "ada lovelace ".repeat(200) + "\"}";

    static Stream<Named<Function<Router, Client>>> clients() {
        return Clients.both();
    }

    static Stream<Arguments> clientsAndCodings() {
        return clients().flatMap(c -> Stream.of(Codings.ALL).map(coding -> Arguments.of(c, coding)));
    }

    public record Person(String name) {}

    /** {@code root}: the layer wraps the root router (runs before routing); else a route layer. */
    private static Router app(boolean root, RequestDecompression layer) {
        Router.Builder builder = Router.builder();
        if (root) {
            builder.layer(layer);
        } else {
            builder.routeLayer(layer);
        }
        return builder
                .post("/json", Json.of(Person.class), person -> "name of " + person.name().length() + " chars")
                .post("/text", Body.string(), text -> "read " + text.length())
                .post("/stream", Body.stream(), in -> "streamed " + count(in))
                .post("/small", Handler.of(Body.bytes(), bytes -> "read " + bytes.length).bodyLimit(64 * 1024))
                .post("/headers", dev.weft.extract.Extract.request(), request -> request.header("content-encoding").orElse("none") + " "
                        + request.header("content-length").orElse("none") + " "
                        + request.body().declaredLength().isPresent())
                .build();
    }

    private static Router app() {
        return app(true, RequestDecompression.create());
    }

    private static long count(InputStream in) throws IOException {
        long n = 0;
        byte[] buffer = new byte[8192];
        for (int r; (r = in.read(buffer)) >= 0; ) {
            n += r;
        }
        return n;
    }

    private static TestResponse post(Client client, String target, String coding, byte[] body, String type) {
        return client.request(Method.POST, target)
                .header("content-type", type)
                .header("content-encoding", coding)
                .body(body)
                .send();
    }

    /** {@code size} zero bytes, compressed: a bomb (1 MiB of zeros is about 1 KiB of gzip). */
    private static byte[] bomb(String coding, long size) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = Codings.encoder(coding, bytes)) {
            byte[] zeros = new byte[64 * 1024];
            for (long written = 0; written < size; written += zeros.length) {
                out.write(zeros);
            }
        }
        return bytes.toByteArray();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("clientsAndCodings")
    void each_coding_is_decoded_for_every_extractor(Function<Router, Client> start, String coding) {
        byte[] encoded = Codings.encode(coding, TEXT.getBytes(StandardCharsets.UTF_8));
        try (Client client = start.apply(app())) {
            assertThat(post(client, "/json", coding, encoded, "application/json").body()).isEqualTo("name of 2600 chars");
            assertThat(post(client, "/text", coding, encoded, "text/plain").body()).isEqualTo("read " + TEXT.length());
            assertThat(post(client, "/stream", coding, encoded, "application/octet-stream").body())
                    .isEqualTo("streamed " + TEXT.length());
            assertThat(post(client, "/json", coding.toUpperCase(), encoded, "application/json").status()).isEqualTo(200);
            assertThat(post(client, "/headers", coding, encoded, "text/plain").body()).isEqualTo("none none false");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void identity_x_gzip_and_stacked_codings_are_read(Function<Router, Client> start) {
        byte[] plain = TEXT.getBytes(StandardCharsets.UTF_8);
        try (Client client = start.apply(app())) {
            assertThat(post(client, "/text", "identity", plain, "text/plain").body()).isEqualTo("read " + TEXT.length());
            assertThat(post(client, "/headers", "identity", plain, "text/plain").body())
                    .isEqualTo("identity " + plain.length + " true"); // nothing to decode: the length stands
            assertThat(post(client, "/text", "x-gzip", Codings.encode("gzip", plain), "text/plain").body())
                    .isEqualTo("read " + TEXT.length());
            byte[] stacked = Codings.encode("br", Codings.encode("gzip", plain)); // gzip first, then br
            assertThat(post(client, "/text", "gzip, br", stacked, "text/plain").body()).isEqualTo("read " + TEXT.length());
            assertThat(post(client, "/text", "gzip,gzip,gzip,gzip", plain, "text/plain").status()).isEqualTo(415);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void an_unsupported_coding_is_415_listing_the_supported_ones(Function<Router, Client> start) {
        try (Client client = start.apply(app())) {
            for (String coding : List.of("deflate", "compress", "snappy", "gzip, lz4", "*")) {
                TestResponse response = post(client, "/text", coding, new byte[] {1, 2, 3}, "text/plain");
                assertThat(response.status()).as(coding).isEqualTo(415);
                assertThat(response.contentType()).isEqualTo("application/problem+json");
                assertThat(response.header("accept-encoding")).contains("zstd, br, gzip");
                assertThat(response.body()).contains("\"accept-encoding\":\"zstd, br, gzip\"");
            }
        }
        Router gzipOnly = app(true, RequestDecompression.builder().codings("gzip").build());
        try (Client client = start.apply(gzipOnly)) {
            TestResponse response = post(client, "/text", "zstd", Codings.encode("zstd", new byte[10]), "text/plain");
            assertThat(response.status()).isEqualTo(415);
            assertThat(response.header("accept-encoding")).contains("gzip");
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("clientsAndCodings")
    void a_decompression_bomb_stops_at_the_decoded_limit(Function<Router, Client> start, String coding) throws IOException {
        byte[] bomb = bomb(coding, 64L * 1024 * 1024); // 64 MiB of zeros in a few KiB
        assertThat(bomb.length).isLessThan(100 * 1024);
        try (Client client = start.apply(app())) {
            for (String target : List.of("/text", "/json", "/stream")) {
                TestResponse response = post(client, target, coding, bomb, target.equals("/json") ? "application/json" : "text/plain");
                assertThat(response.status()).as(target).isEqualTo(413);
                assertThat(response.contentType()).isEqualTo("application/problem+json");
                assertThat(response.body()).as(target).contains("maxDecodedBytes").contains("\"limit\":2097152");
            }
            // the route's own (smaller) limit applies to the decoded bytes, though the layer ran before routing
            TestResponse small = post(client, "/small", coding, bomb(coding, 1024 * 1024), "text/plain");
            assertThat(small.status()).isEqualTo(413);
            assertThat(small.body()).contains("maxDecodedBytes").contains("\"limit\":65536");
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("clientsAndCodings")
    void a_route_layer_gets_the_route_limit_too(Function<Router, Client> start, String coding) throws IOException {
        try (Client client = start.apply(app(false, RequestDecompression.create()))) {
            TestResponse small = post(client, "/small", coding, bomb(coding, 1024 * 1024), "text/plain");
            assertThat(small.status()).isEqualTo(413);
            assertThat(small.body()).contains("maxDecodedBytes").contains("\"limit\":65536");
            byte[] fits = Codings.encode(coding, new byte[60 * 1024]);
            assertThat(post(client, "/small", coding, fits, "text/plain").body()).isEqualTo("read " + 60 * 1024);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void the_wire_limit_and_an_explicit_decoded_limit_are_named(Function<Router, Client> start) {
        RequestDecompression layer = RequestDecompression.builder().maxWireBytes(1000).maxDecodedBytes(5000).build();
        byte[] random = new byte[4000];
        new java.util.Random(7).nextBytes(random); // does not compress: > 1000 bytes on the wire
        try (Client client = start.apply(app(true, layer))) {
            TestResponse wire = post(client, "/text", "gzip", Codings.encode("gzip", random), "text/plain");
            assertThat(wire.status()).isEqualTo(413);
            assertThat(wire.body()).contains("maxWireBytes").contains("\"limit\":1000");
            TestResponse decoded = post(client, "/text", "gzip", Codings.encode("gzip", new byte[6000]), "text/plain");
            assertThat(decoded.status()).isEqualTo(413);
            assertThat(decoded.body()).contains("maxDecodedBytes").contains("\"limit\":5000");
            assertThat(post(client, "/text", "gzip", Codings.encode("gzip", new byte[5000]), "text/plain").status())
                    .isEqualTo(200);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("clientsAndCodings")
    void truncated_or_corrupt_bodies_are_400_never_500(Function<Router, Client> start, String coding) {
        byte[] good = Codings.encode(coding, TEXT.getBytes(StandardCharsets.UTF_8));
        byte[] flipped = good.clone();
        // A zstd frame without a checksum (the default) may decode damaged content to other bytes
        // without noticing, as can any coding without one; damage to its frame header is detected.
        int from = coding.equals("zstd") ? 0 : good.length / 3;
        for (int i = from; i < from + 8; i++) {
            flipped[i] ^= 0x5a;
        }
        List<byte[]> bad = List.of(
                Arrays.copyOf(good, good.length / 2),
                Arrays.copyOf(good, good.length - 1),
                Arrays.copyOf(good, 3),
                flipped,
                "not compressed at all".getBytes(StandardCharsets.UTF_8),
                new byte[0],
                new byte[100]);
        try (Client client = start.apply(app())) {
            for (int i = 0; i < bad.size(); i++) {
                for (String target : List.of("/text", "/json", "/stream")) {
                    TestResponse response = post(client, target, coding, bad.get(i),
                            target.equals("/json") ? "application/json" : "text/plain");
                    if (i == 5 && coding.equals("zstd")) {
                        // zstd-jni reads an empty body as zero frames, an empty body: harmless, not refused
                        assertThat(response.status()).as(target).isIn(200, 400);
                        continue;
                    }
                    assertThat(response.status()).as(target + " case " + i).isEqualTo(400);
                    assertThat(response.contentType()).isEqualTo("application/problem+json");
                    assertThat(response.body()).as(target + " case " + i).contains("is not valid " + coding);
                }
            }
            // and the connection and server keep working
            assertThat(post(client, "/text", coding, good, "text/plain").body()).isEqualTo("read " + TEXT.length());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void zstd_skippable_and_concatenated_frames_and_gzip_members_are_read(Function<Router, Client> start) throws IOException {
        byte[] skippable = {0x50, 0x2a, 0x4d, 0x18, 4, 0, 0, 0, 9, 9, 9, 9}; // magic 0x184D2A50, 4 bytes of user data
        ByteArrayOutputStream zstd = new ByteArrayOutputStream();
        zstd.write(skippable);
        zstd.write(Codings.encode("zstd", "first ".getBytes(StandardCharsets.UTF_8)));
        zstd.write(skippable);
        zstd.write(Codings.encode("zstd", "second".getBytes(StandardCharsets.UTF_8)));
        ByteArrayOutputStream gzip = new ByteArrayOutputStream();
        gzip.write(Codings.encode("gzip", "first ".getBytes(StandardCharsets.UTF_8)));
        gzip.write(Codings.encode("gzip", "second".getBytes(StandardCharsets.UTF_8)));
        try (Client client = start.apply(app())) {
            assertThat(post(client, "/text", "zstd", zstd.toByteArray(), "text/plain").body()).isEqualTo("read 12");
            assertThat(post(client, "/text", "gzip", gzip.toByteArray(), "text/plain").body()).isEqualTo("read 12");
            // only skippable frames: decodes to nothing, and only the wire limit bounds them
            ByteArrayOutputStream onlySkippable = new ByteArrayOutputStream();
            byte[] big = new byte[8 + 1024 * 1024];
            System.arraycopy(new byte[] {0x50, 0x2a, 0x4d, 0x18, 0, 0, 0x10, 0}, 0, big, 0, 8); // 1 MiB of user data
            onlySkippable.write(big);
            onlySkippable.write(big);
            onlySkippable.write(big); // 3 MiB on the wire
            TestResponse response = post(client, "/text", "zstd", onlySkippable.toByteArray(), "text/plain");
            assertThat(response.status()).isEqualTo(413);
            assertThat(response.body()).contains("maxWireBytes");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void without_the_layer_an_encoded_body_is_still_refused(Function<Router, Client> start) {
        Router plain = Router.builder().post("/text", Body.string(), text -> "read " + text.length()).build();
        try (Client client = start.apply(plain)) {
            TestResponse response = post(client, "/text", "gzip", Codings.encode("gzip", new byte[10]), "text/plain");
            assertThat(response.status()).isEqualTo(415);
        }
    }
}
