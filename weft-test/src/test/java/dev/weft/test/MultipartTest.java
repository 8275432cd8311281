package dev.weft.test;

import static dev.weft.test.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.multipart.FilePart;
import dev.weft.multipart.Multipart;
import dev.weft.multipart.MultipartForm;
import dev.weft.multipart.MultipartOptions;
import dev.weft.routing.Handler;
import dev.weft.routing.Router;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code multipart/form-data} over every client: fields, files, every limit, malformed bodies, temporary files. */
class MultipartTest {
    static final String BOUNDARY = "----WeftBoundary7MA4YWxkTrZu0gW";
    static final String TYPE = "multipart/form-data; boundary=" + BOUNDARY;

    @TempDir
    Path temp;

    static Stream<Named<Function<Router, Client>>> clients() {
        return Clients.both();
    }

    /** Builds a multipart body part by part. */
    static final class Body {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final String boundary;

        Body() {
            this(BOUNDARY);
        }

        Body(String boundary) {
            this.boundary = boundary;
        }

        Body field(String name, String value) {
            return raw("content-disposition: form-data; name=\"" + name + "\"\r\n", value.getBytes(StandardCharsets.UTF_8));
        }

        Body file(String name, String filename, String type, byte[] content) {
            return raw("content-disposition: form-data; name=\"" + name + "\"; filename=\"" + filename + "\"\r\n"
                    + "content-type: " + type + "\r\n", content);
        }

        Body raw(String headers, byte[] content) {
            text("--" + boundary + "\r\n" + headers + "\r\n");
            out.writeBytes(content);
            return text("\r\n");
        }

        Body text(String text) {
            out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
            return this;
        }

        byte[] end() {
            text("--" + boundary + "--\r\n");
            return out.toByteArray();
        }

        byte[] unfinished() {
            return out.toByteArray();
        }
    }

    private Router app(MultipartOptions.Builder options, long bodyLimit) {
        MultipartOptions built = options.tempDirectory(temp).build();
        return Router.builder()
                .post("/upload", Handler.of(Multipart.form(built), MultipartTest::describe).bodyLimit(bodyLimit))
                .post("/throws", Handler.of(Multipart.form(built), form -> {
                    form.files().forEach(FilePart::size);
                    throw new IllegalStateException("deliberate failure in a test");
                }).bodyLimit(bodyLimit))
                .build();
    }

    private Router app() {
        return app(MultipartOptions.builder(), 16 * 1024 * 1024);
    }

    private static String describe(MultipartForm form) {
        String fields = form.fields().entrySet().stream()
                .map(e -> e.getKey() + "=" + String.join(",", e.getValue())).collect(Collectors.joining("&"));
        String files = form.files().stream()
                .map(f -> f.name() + ":" + f.filename() + ":" + f.safeFilename() + ":" + f.contentType() + ":" + f.size()
                        + ":" + (f.inMemory() ? "mem" : "disk") + ":" + sha256(f.bytes()))
                .collect(Collectors.joining("\n"));
        return fields + "\n" + files;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static TestResponse post(Client client, String path, byte[] body) {
        return client.post(path).header("content-type", TYPE).body(body).send();
    }

    private void assertNoTempFiles() {
        try (Stream<Path> files = Files.list(temp)) {
            assertThat(files.toList()).as("files left in the temporary directory").isEmpty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void fields_and_binary_files_of_several_mebibytes_arrive_intact(Function<Router, Client> clients) {
        byte[] big = random(5 * 1024 * 1024 + 17, 1);
        byte[] small = random(100, 2);
        byte[] body = new Body().field("title", "Holiday").field("tag", "a").field("tag", "b")
                .file("photo", "beach.jpg", "image/jpeg", big)
                .file("thumb", "t.png", "image/png", small)
                .field("note", "ünïcödé ✓").end();
        try (Client client = clients.apply(app())) {
            TestResponse response = post(client, "/upload", body);
            assertThat(response.status()).as("%s", response).isEqualTo(200);
            assertThat(response.body()).isEqualTo("title=Holiday&tag=a,b&note=ünïcödé ✓\n"
                    + "photo:beach.jpg:beach.jpg:image/jpeg:" + big.length + ":disk:" + sha256(big) + "\n"
                    + "thumb:t.png:t.png:image/png:100:mem:" + sha256(small));
        }
        assertNoTempFiles();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void content_that_looks_like_a_boundary_is_kept(Function<Router, Client> clients) {
        // A line starting with "--" boundary ends the part (the decoder also takes a bare LF as a
        // line end, and the content's first line counts); everything short of that is content.
        String b = BOUNDARY;
        byte[] tricky = ("x--" + b + "--\r\n" + "\r--" + b + "\r"
                + "\r\n--" + b.substring(0, 20) + "\r\n" + "\r\n-" + b + "\r\n--" + b.substring(1))
                .getBytes(StandardCharsets.US_ASCII);
        byte[] body = new Body().file("f", "b.bin", "application/octet-stream", tricky).field("after", "ok").end();
        try (Client client = clients.apply(app())) {
            TestResponse response = post(client, "/upload", body);
            assertThat(response.body()).isEqualTo("after=ok\nf:b.bin:b.bin:application/octet-stream:" + tricky.length
                    + ":mem:" + sha256(tricky));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void many_tiny_parts_up_to_max_parts_are_read(Function<Router, Client> clients) {
        Body body = new Body();
        for (int i = 0; i < 128; i++) {
            body.field("f" + i, Integer.toString(i));
        }
        try (Client client = clients.apply(app())) {
            TestResponse response = post(client, "/upload", body.end());
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).startsWith("f0=0&f1=1&").contains("&f127=127\n");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void one_part_over_max_parts_is_413_naming_max_parts(Function<Router, Client> clients) {
        Body body = new Body();
        for (int i = 0; i < 129; i++) {
            body.field("f" + i, "");
        }
        try (Client client = clients.apply(app())) {
            Map<String, Object> problem = assertProblem(post(client, "/upload", body.end()), 413);
            assertThat(problem).containsEntry("limit", "maxParts").containsEntry("max", 128L);
            assertThat((String) problem.get("detail")).contains("maxParts");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void a_field_over_max_field_bytes_is_413_naming_the_limit_and_the_field(Function<Router, Client> clients) {
        byte[] body = new Body().field("ok", "x").field("essay", "x".repeat(64 * 1024 + 1)).end();
        try (Client client = clients.apply(app())) {
            Map<String, Object> problem = assertProblem(post(client, "/upload", body), 413);
            assertThat(problem).containsEntry("limit", "maxFieldBytes").containsEntry("max", 65536L)
                    .containsEntry("part", "essay");
            assertThat(post(client, "/upload", new Body().field("essay", "x".repeat(64 * 1024)).end()).status())
                    .as("exactly at the limit").isEqualTo(200);
        }
        assertNoTempFiles();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void a_file_over_max_file_bytes_is_413_naming_the_limit_and_the_file(Function<Router, Client> clients) {
        byte[] body = new Body().file("video", "v.mp4", "video/mp4", random(11 * 1024 * 1024, 3)).end();
        try (Client client = clients.apply(app())) {
            Map<String, Object> problem = assertProblem(post(client, "/upload", body), 413);
            assertThat(problem).containsEntry("limit", "maxFileBytes").containsEntry("max", 10L * 1024 * 1024)
                    .containsEntry("part", "video");
        }
        assertNoTempFiles();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void part_headers_over_max_part_header_bytes_are_413_naming_the_limit(Function<Router, Client> clients) {
        byte[] body = new Body().raw("content-disposition: form-data; name=\"a\"\r\nx-padding: " + "p".repeat(20_000) + "\r\n",
                "v".getBytes(StandardCharsets.US_ASCII)).end();
        try (Client client = clients.apply(app())) {
            Map<String, Object> problem = assertProblem(post(client, "/upload", body), 413);
            assertThat(problem).containsEntry("limit", "maxPartHeaderBytes").containsEntry("max", 8192L);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void a_body_over_the_route_limit_is_413_naming_the_body_limit(Function<Router, Client> clients) {
        byte[] body = new Body().file("f", "f.bin", "application/octet-stream", random(20 * 1024, 4)).end();
        try (Client client = clients.apply(app(MultipartOptions.builder().memoryThresholdBytes(1024), 16 * 1024))) {
            Map<String, Object> problem = assertProblem(post(client, "/upload", body), 413);
            assertThat(problem).containsEntry("limit", 16L * 1024);
            // Without a content-length the limit trips while the part is being stored to a temporary file.
            // (Not over raw HTTP/2 here: its helper keeps sending DATA frames after the stream's 413 and
            // reset, and the server ends the connection for it; Http2Test covers that engine behaviour.)
            if (client instanceof TestClient network && network.http2()) {
                return;
            }
            TestResponse chunked = Clients.sendWithoutLength(client, dev.weft.http.Method.POST, "/upload", TYPE, body);
            assertThat(assertProblem(chunked, 413)).containsEntry("limit", 16L * 1024);
        }
        assertNoTempFiles();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void truncated_bodies_are_400_never_500(Function<Router, Client> clients) {
        byte[] whole = new Body().field("a", "1").file("f", "f.bin", "application/octet-stream", random(100_000, 5)).end();
        try (Client client = clients.apply(app())) {
            for (int cut : new int[] {0, 10, 60, 150, 50_000, whole.length - 30, whole.length - 5, whole.length - 4}) {
                byte[] truncated = java.util.Arrays.copyOf(whole, cut);
                TestResponse response = post(client, "/upload", truncated);
                assertProblem(response, 400);
                assertThat((String) assertProblem(response, 400).get("detail")).as("cut at %d", cut).contains("multipart");
            }
        }
        assertNoTempFiles();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void malformed_parts_are_400_never_500(Function<Router, Client> clients) {
        String b = "--" + BOUNDARY;
        String[] bodies = {
            b + "\r\n\r\nno headers\r\n" + b + "--\r\n",
            b + "\r\ncontent-type: text/plain\r\n\r\nno disposition\r\n" + b + "--\r\n",
            b + "\r\ncontent-disposition: form-data\r\n\r\nno name\r\n" + b + "--\r\n",
            b + "\r\nthis is not a header\r\n\r\nx\r\n" + b + "--\r\n",
            b + "\r\ncontent-disposition: attachment; name=\"a\"\r\n\r\nx\r\n" + b + "--\r\n",
            b + "\r\ncontent-disposition: form-data; name=\"a\"\r\ncontent-type: text/plain; charset=nope\r\n\r\nx\r\n" + b + "--\r\n",
            b + "\r\ncontent-disposition: form-data; name=\"a\r\n\r\nx\r\n" + b + "--\r\n",
            b + "\r\ncontent-disposition: form-data; name=\"a\"\r\ncontent-transfer-encoding: quoted-printable\r\n\r\nx\r\n" + b + "--\r\n",
            "garbage without any boundary at all",
            b + "--\r\n",
            "\r\n\r\n\r\n",
            b + "\r\ncontent-disposition: form-data; name=\"a\"\r\n\r\nx\r\n" + b + "--" + b + "--\r\n",
        };
        try (Client client = clients.apply(app())) {
            for (String body : bodies) {
                TestResponse response = post(client, "/upload", body.getBytes(StandardCharsets.UTF_8));
                assertThat(response.status()).as("%s -> %s", body, response).isIn(200, 400);
                if (response.status() == 400) {
                    assertProblem(response, 400);
                }
            }
        }
        assertNoTempFiles();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void a_missing_or_invalid_boundary_is_400_and_another_content_type_415(Function<Router, Client> clients) {
        byte[] body = new Body().field("a", "1").end();
        try (Client client = clients.apply(app())) {
            for (String type : new String[] {"multipart/form-data", "multipart/form-data; boundary=",
                    "multipart/form-data; boundary=\"\"", "multipart/form-data; boundary=" + "x".repeat(71),
                    "multipart/form-data; boundary=a;b", "multipart/form-data; boundary=bad\u00e9", "multipart/form-data; boundary=\"a@b\"",
                    "multipart/form-data; charset=utf-8"}) {
                TestResponse response = client.post("/upload").header("content-type", type).body(body).send();
                assertThat((String) assertProblem(response, 400).get("detail")).as(type).contains("boundary");
            }
            for (String type : new String[] {"multipart/mixed; boundary=" + BOUNDARY, "application/x-www-form-urlencoded",
                    "text/plain"}) {
                assertProblem(client.post("/upload").header("content-type", type).body(body).send(), 415);
            }
            assertProblem(client.post("/upload").body(body).send(), 415);
            TestResponse quoted = client.post("/upload").header("content-type", "Multipart/Form-Data; boundary=\"" + BOUNDARY + "\"")
                    .body(body).send();
            assertThat(quoted.status()).as("quoted boundary, type in capitals").isEqualTo(200);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void hostile_filenames_are_given_as_sent_and_made_safe_on_request(Function<Router, Client> clients) {
        byte[] body = new Body()
                .file("a", "../../etc/passwd", "text/plain", new byte[] {1})
                .file("b", "C:\\Users\\x\\evil.exe", "text/plain", new byte[] {2})
                .file("c", "résumé ✓.pdf", "application/pdf", new byte[] {3})
                .file("d", "", "application/octet-stream", new byte[0])
                .raw("content-disposition: form-data; name=\"e\"; filename=\"nul\u0000byte.txt\"\r\n", new byte[] {4})
                .raw("content-disposition: form-data; name=\"f\"; filename*=UTF-8''%E2%9C%93.txt\r\n", new byte[] {5})
                .end();
        try (Client client = clients.apply(app())) {
            TestResponse response = post(client, "/upload", body);
            assertThat(response.status()).as("%s", response).isEqualTo(200);
            String[] lines = response.body().split("\n");
            assertThat(lines[1]).startsWith("a:../../etc/passwd:passwd:text/plain:1:");
            // The decoder drops backslashes and quotes, and turns : , = ; and control characters into spaces.
            assertThat(lines[2]).startsWith("b:C Usersxevil.exe:C Usersxevil.exe:");
            assertThat(lines[3]).startsWith("c:résumé ✓.pdf:résumé ✓.pdf:application/pdf:1:");
            assertThat(lines[4]).startsWith("d::upload:application/octet-stream:0:");
            assertThat(lines[5]).startsWith("e:nul byte.txt:nul byte.txt:");
            assertThat(lines[6]).startsWith("f:✓.txt:✓.txt:");
        }
        assertNoTempFiles();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void the_charset_field_decides_how_fields_are_decoded_and_invalid_text_is_400(Function<Router, Client> clients) {
        byte[] latin1 = new Body().field("_charset_", "ISO-8859-1")
                .raw("content-disposition: form-data; name=\"city\"\r\n", "Zürich".getBytes(StandardCharsets.ISO_8859_1)).end();
        byte[] invalidUtf8 = new Body()
                .raw("content-disposition: form-data; name=\"city\"\r\n", "Zürich".getBytes(StandardCharsets.ISO_8859_1)).end();
        byte[] unknown = new Body().field("_charset_", "no-such-charset").field("a", "b").end();
        try (Client client = clients.apply(app())) {
            assertThat(post(client, "/upload", latin1).body()).startsWith("_charset_=ISO-8859-1&city=Zürich\n");
            assertThat((String) assertProblem(post(client, "/upload", invalidUtf8), 400).get("detail")).contains("'city'", "UTF-8");
            assertThat((String) assertProblem(post(client, "/upload", unknown), 400).get("detail")).contains("_charset_");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void temporary_files_are_deleted_after_success_and_after_the_handler_throws(Function<Router, Client> clients) {
        byte[] body = new Body().file("a", "a.bin", "application/octet-stream", random(1024 * 1024, 6))
                .file("b", "b.bin", "application/octet-stream", random(100_000, 7)).end();
        try (Client client = clients.apply(app())) {
            assertThat(post(client, "/upload", body).body()).contains(":disk:");
            assertNoTempFiles();
            assertProblem(post(client, "/throws", body), 500);
            assertNoTempFiles();
        }
    }

    private void awaitTempFiles(boolean present) throws InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            // A request's files live in a directory of its own under temp: "present" waits for a
            // part's file on disk, "deleted" for temp to be empty again (directory included).
            try (Stream<Path> files = present ? Files.walk(temp).filter(Files::isRegularFile) : Files.list(temp)) {
                if (files.findAny().isPresent() == present) {
                    return;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Thread.sleep(20);
        }
        assertThat(present).as("temporary files %s within 10 s", present ? "appeared" : "were deleted").isFalse();
        assertNoTempFiles();
    }

    /** The start of an upload whose file part is still arriving: big enough to be on disk already. */
    private static byte[] unfinishedUpload() {
        return new Body().field("a", "1").text("--" + BOUNDARY + "\r\ncontent-disposition: form-data; name=\"f\";"
                + " filename=\"f.bin\"\r\n\r\n").unfinished();
    }

    @org.junit.jupiter.api.Test
    void a_client_that_vanishes_mid_upload_over_http_1_1_leaves_no_temporary_file() throws Exception {
        try (TestClient client = TestClient.start(app())) {
            try (RawHttp connection = RawHttp.connect(client.port())) {
                connection.send(RawHttp.request("POST", "/upload", "HTTP/1.1", "Content-Type: " + TYPE,
                        "Content-Length: " + (4 * 1024 * 1024)));
                connection.send(unfinishedUpload());
                connection.send(random(256 * 1024, 8));
                awaitTempFiles(true);
                connection.abort();
            }
            awaitTempFiles(false);
            assertThat(client.get("/upload").status()).as("the server goes on").isEqualTo(405);
        }
    }

    @org.junit.jupiter.api.Test
    void a_stream_reset_mid_upload_over_http_2_leaves_no_temporary_file() throws Exception {
        try (TestClient client = TestClient.startHttp2(app())) {
            try (RawHttp2 connection = RawHttp2.connect(client.port())) {
                connection.headers(1, RawHttp2.request("POST", "/upload", "content-type", TYPE), false);
                connection.data(1, unfinishedUpload(), false);
                byte[] piece = random(16 * 1024, 9);
                for (int i = 0; i < 3; i++) {
                    connection.data(1, piece, false); // within the initial 64 KiB window
                }
                awaitTempFiles(true);
                connection.reset(1, io.netty.handler.codec.http2.Http2Error.CANCEL);
                awaitTempFiles(false);
                assertThat(connection.get(3, "/upload").response(3).status()).isEqualTo(405);
            }
        }
    }
}
