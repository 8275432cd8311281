package dev.weft.test;

import static dev.weft.test.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.files.StaticFiles;
import dev.weft.http.Method;
import dev.weft.routing.Handler;
import dev.weft.routing.Router;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Static files over every client: traversal probes sent verbatim, validators and conditional
 * requests, ranges, precompressed variants, directories, HEAD, methods and a large file.
 */
class StaticFilesTest {
    static final Instant MODIFIED = Instant.parse("2026-01-02T03:04:05Z");
    static final String LAST_MODIFIED = "Fri, 02 Jan 2026 03:04:05 GMT";
    static final String EARLIER = "Fri, 02 Jan 2026 03:04:04 GMT";

    @TempDir
    Path temp;

    static Stream<Named<Function<Router, Client>>> clients() {
        return Clients.both();
    }

    /** 1000 bytes: byte i is (i * 7) mod 256. */
    static byte[] data(int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (i * 7);
        }
        return bytes;
    }

    /** The tree every test serves, with a secret next to it (outside the root). */
    Path tree() throws IOException {
        Files.writeString(temp.resolve("secret.txt"), "TOPSECRET");
        Path root = Files.createDirectories(temp.resolve("www"));
        write(root, "index.html", "<h1>home</h1>");
        write(root, "hello.txt", "hello world");
        Files.write(root.resolve("data.bin"), data(1000));
        Files.setLastModifiedTime(root.resolve("data.bin"), FileTime.from(MODIFIED));
        write(root, "app.js", "console.log('identity')");
        write(root, "app.js.br", "BR-BYTES");
        write(root, "app.js.gz", "GZ-BYTES");
        write(root, "app.js.zst", "ZST-BYTES");
        write(root, "app-0123abcd9.css", "b{}");
        write(root, "docs/index.html", "<h1>docs</h1>");
        Files.createDirectories(root.resolve("empty"));
        write(root, ".env", "SECRET=1");
        write(root, ".git/config", "SECRET=2");
        write(root, "sub/.hidden", "SECRET=3");
        write(root, "%2e%2e/x.txt", "literal name"); // a directory literally named %2e%2e
        write(temp, "outside/page.txt", "SECRET=4");
        try {
            Files.createSymbolicLink(root.resolve("escape.txt"), temp.resolve("secret.txt"));
            Files.createSymbolicLink(root.resolve("escape-dir"), temp.resolve("outside"));
            Files.createSymbolicLink(root.resolve("inside.txt"), root.resolve("hello.txt"));
            Files.createSymbolicLink(root.resolve("to-hidden.txt"), root.resolve(".env"));
        } catch (UnsupportedOperationException | IOException e) {
            // no symbolic links on this file system: those probes answer 404 anyway
        }
        return root;
    }

    static void write(Path root, String name, String text) throws IOException {
        Path file = root.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    Router app() throws IOException {
        Path root = tree();
        Handler files = StaticFiles.dir(root).build();
        return Router.builder()
                .get("/static/{*path}", files)
                .get("/static/", files)
                .get("/one", StaticFiles.file(root.resolve("hello.txt")).build())
                .nest("/app", Router.builder().fallback(StaticFiles.dir(root).spaFallback("index.html").build()).build())
                .build();
    }

    // ---------------------------------------------------------------- traversal

    static final List<String> PROBES = List.of(
            "../secret.txt", "..%2fsecret.txt", "..%2Fsecret.txt", "%2e%2e/secret.txt", "%2E%2E%2Fsecret.txt",
            ".%2e/secret.txt", "%2e%2e%2f%2e%2e%2fsecret.txt", "..%5csecret.txt", "%5c..%5csecret.txt",
            "%252e%252e/secret.txt", "%252e%252e%252fsecret.txt", "%25252e%25252e/secret.txt",
            "hello.txt%00.html", "%00", "/etc/passwd", "docs//index.html", "./hello.txt", "docs/./index.html",
            "docs/../../secret.txt", "C:/secret.txt", "c:%5csecret.txt", "CON", "con.txt", "NUL/x", "hello.txt.",
            "hello.txt%20", ".env", ".git/config", ".git/", "sub/.hidden", "%2eenv", "%2Egit/config",
            "escape.txt", "escape-dir/page.txt", "to-hidden.txt", "%c0%ae%c0%ae/secret.txt", "%c0%af",
            "%e0%80%ae%e0%80%ae/secret.txt", "%ff", "a%2", "%zz");

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void traversal_probes_are_refused_with_a_problem_and_reveal_nothing(Function<Router, Client> clients)
            throws IOException {
        try (Client client = clients.apply(app())) {
            for (String prefix : List.of("/static/", "/app/")) {
                for (String probe : PROBES) {
                    TestResponse response = Clients.rawGet(client, prefix + probe);
                    int status = response.status();
                    assertThat(status).as(prefix + probe).isIn(400, 404);
                    assertProblem(response, status);
                    assertThat(response.body()).as(prefix + probe).doesNotContain("SECRET");
                }
            }
            // Malformed encodings are 400, the rest 404.
            assertThat(Clients.rawGet(client, "/static/%c0%ae%c0%ae/secret.txt").status()).isEqualTo(400);
            assertThat(Clients.rawGet(client, "/static/.env").status()).isEqualTo(404);
            // Double encoding stays literal: it names the directory called "%2e%2e", never the parent.
            assertThat(Clients.rawGet(client, "/static/%252e%252e/x.txt").body()).isEqualTo("literal name");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void a_link_inside_the_root_is_served(Function<Router, Client> clients) throws IOException {
        Router app = app();
        Path link = temp.resolve("www/inside.txt");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isSymbolicLink(link));
        try (Client client = clients.apply(app)) {
            assertThat(client.get("/static/inside.txt").body()).isEqualTo("hello world");
        }
    }

    // ---------------------------------------------------------------- plain serving

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void a_file_is_served_with_type_validators_and_cache_control(Function<Router, Client> clients)
            throws IOException {
        try (Client client = clients.apply(app())) {
            TestResponse text = client.get("/static/hello.txt");
            assertThat(text.status()).isEqualTo(200);
            assertThat(text.body()).isEqualTo("hello world");
            assertThat(text.contentType()).isEqualTo("text/plain; charset=utf-8");
            assertThat(text.header("content-length")).contains("11");
            assertThat(text.header("etag")).hasValueSatisfying(tag -> assertThat(tag).matches("\"[0-9a-f.-]+\""));
            assertThat(text.header("last-modified")).isPresent();
            assertThat(text.header("cache-control")).contains("no-cache");
            assertThat(text.header("accept-ranges")).contains("bytes");
            assertThat(text.header("vary")).contains("accept-encoding");

            TestResponse data = client.get("/static/data.bin");
            assertThat(data.bodyBytes()).isEqualTo(data(1000));
            assertThat(data.contentType()).isEqualTo("application/octet-stream");
            assertThat(data.header("last-modified")).contains(LAST_MODIFIED);

            assertThat(client.get("/static/app-0123abcd9.css").header("cache-control"))
                    .contains("public, max-age=31536000, immutable");
            assertThat(client.get("/one").body()).isEqualTo("hello world");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void head_sends_the_headers_of_get_without_the_body(Function<Router, Client> clients) throws IOException {
        try (Client client = clients.apply(app())) {
            TestResponse get = client.get("/static/data.bin");
            TestResponse head = client.head("/static/data.bin");
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.bodyBytes()).isEmpty();
            assertThat(head.header("content-length")).contains("1000");
            assertThat(head.header("etag")).isEqualTo(get.header("etag"));
            // Range applies to GET only (RFC 9110 §14.2).
            TestResponse ranged = client.request(Method.HEAD, "/static/data.bin").header("range", "bytes=0-9").send();
            assertThat(ranged.status()).isEqualTo(200);
            assertThat(ranged.header("content-length")).contains("1000");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void other_methods_get_405_with_allow(Function<Router, Client> clients) throws IOException {
        try (Client client = clients.apply(app())) {
            for (String target : List.of("/static/hello.txt", "/app/hello.txt")) {
                TestResponse post = client.post(target).body("text/plain", "x").send();
                assertProblem(post, 405);
                assertThat(post.header("allow").orElseThrow()).contains("GET").contains("HEAD");
                assertProblem(client.delete(target), 405);
            }
        }
    }

    // ---------------------------------------------------------------- directories

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void a_directory_serves_its_index_and_redirects_without_its_slash(Function<Router, Client> clients)
            throws IOException {
        try (Client client = clients.apply(app())) {
            assertThat(client.get("/static/").body()).isEqualTo("<h1>home</h1>");
            TestResponse docs = client.get("/static/docs/");
            assertThat(docs.body()).isEqualTo("<h1>docs</h1>");
            assertThat(docs.contentType()).isEqualTo("text/html; charset=utf-8");

            TestResponse redirect = client.get("/static/docs?lang=en&x=%20");
            assertThat(redirect.status()).isEqualTo(307);
            assertThat(redirect.header("location")).contains("docs/?lang=en&x=%20");
            assertThat(client.get("/app").header("location")).contains("app/"); // the mount point itself
            assertThat(client.get("/app/docs").header("location")).contains("docs/");

            assertProblem(client.get("/static/empty/"), 404);
            assertProblem(client.get("/static/hello.txt/"), 404);
            assertProblem(client.get("/static/missing.txt"), 404);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void a_fallback_serves_the_tree_and_the_spa_page_to_browsers_only(Function<Router, Client> clients)
            throws IOException {
        try (Client client = clients.apply(app())) {
            assertThat(client.get("/app/").body()).isEqualTo("<h1>home</h1>");
            assertThat(client.get("/app/hello.txt").body()).isEqualTo("hello world");
            assertThat(client.get("/app/docs/").body()).isEqualTo("<h1>docs</h1>");
            TestResponse route = client.request(Method.GET, "/app/todos/7")
                    .header("accept", "text/html,application/xhtml+xml,*/*;q=0.8").send();
            assertThat(route.status()).isEqualTo(200);
            assertThat(route.body()).isEqualTo("<h1>home</h1>");
            assertProblem(client.request(Method.GET, "/app/missing.js").header("accept", "*/*").send(), 404);
            assertProblem(client.request(Method.GET, "/app/x").header("accept", "text/html;q=0").send(), 404);
            // A refused path never gets the page.
            assertProblem(client.request(Method.GET, "/app/.env").header("accept", "text/html").send(), 404);
        }
    }

    // ---------------------------------------------------------------- conditional requests

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void matching_validators_answer_304_with_the_validators(Function<Router, Client> clients) throws IOException {
        try (Client client = clients.apply(app())) {
            String etag = client.get("/static/data.bin").header("etag").orElseThrow();
            for (String[] condition : List.of(
                    new String[] {"if-none-match", etag},
                    new String[] {"if-none-match", "W/" + etag},
                    new String[] {"if-none-match", "\"nope\", " + etag},
                    new String[] {"if-none-match", "*"},
                    new String[] {"if-modified-since", LAST_MODIFIED})) {
                for (Method method : List.of(Method.GET, Method.HEAD)) {
                    TestResponse response = client.request(method, "/static/data.bin")
                            .header(condition[0], condition[1]).send();
                    assertThat(response.status()).as(Arrays.toString(condition)).isEqualTo(304);
                    assertThat(response.bodyBytes()).isEmpty();
                    assertThat(response.header("etag")).contains(etag);
                    assertThat(response.header("last-modified")).contains(LAST_MODIFIED);
                    assertThat(response.header("cache-control")).contains("no-cache");
                }
            }
            assertThat(client.request(Method.GET, "/static/data.bin").header("if-none-match", "\"nope\"").send()
                    .status()).isEqualTo(200);
            assertThat(client.request(Method.GET, "/static/data.bin").header("if-modified-since", EARLIER).send()
                    .status()).isEqualTo(200);
            // If-None-Match decides alone when present.
            assertThat(client.request(Method.GET, "/static/data.bin").header("if-none-match", "\"nope\"")
                    .header("if-modified-since", LAST_MODIFIED).send().status()).isEqualTo(200);
            assertThat(client.request(Method.GET, "/static/data.bin").header("if-modified-since", "not a date").send()
                    .status()).isEqualTo(200);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void failed_preconditions_answer_412(Function<Router, Client> clients) throws IOException {
        try (Client client = clients.apply(app())) {
            String etag = client.get("/static/data.bin").header("etag").orElseThrow();
            assertProblem(client.request(Method.GET, "/static/data.bin").header("if-match", "\"other\"").send(), 412);
            assertProblem(client.request(Method.GET, "/static/data.bin").header("if-match", "W/" + etag).send(), 412);
            assertProblem(client.request(Method.GET, "/static/data.bin").header("if-unmodified-since", EARLIER).send(),
                    412);
            assertThat(client.request(Method.GET, "/static/data.bin").header("if-match", etag).send().status())
                    .isEqualTo(200);
            assertThat(client.request(Method.GET, "/static/data.bin").header("if-match", "*").send().status())
                    .isEqualTo(200);
            assertThat(client.request(Method.GET, "/static/data.bin").header("if-unmodified-since", LAST_MODIFIED)
                    .send().status()).isEqualTo(200);
        }
    }

    // ---------------------------------------------------------------- ranges

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void single_ranges_answer_206_with_content_range(Function<Router, Client> clients) throws IOException {
        byte[] all = data(1000);
        try (Client client = clients.apply(app())) {
            assertRange(client, "bytes=0-9", 0, 9, all);
            assertRange(client, "bytes=-10", 990, 999, all);
            assertRange(client, "bytes=990-5000", 990, 999, all);
            assertRange(client, "bytes=500-", 500, 999, all);
            assertRange(client, "bytes=0-499,100-999", 0, 999, all); // overlapping: merged into one
            assertRange(client, "bytes=5000-6000, 1-1", 1, 1, all); // the part past the end is dropped
        }
    }

    private static void assertRange(Client client, String range, int first, int last, byte[] all) {
        TestResponse response = client.request(Method.GET, "/static/data.bin").header("range", range).send();
        assertThat(response.status()).as(range).isEqualTo(206);
        assertThat(response.header("content-range")).as(range).contains("bytes " + first + "-" + last + "/1000");
        assertThat(response.header("content-length")).as(range).contains(Integer.toString(last - first + 1));
        assertThat(response.bodyBytes()).as(range).isEqualTo(Arrays.copyOfRange(all, first, last + 1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void several_ranges_answer_multipart_byteranges(Function<Router, Client> clients) throws IOException {
        byte[] all = data(1000);
        try (Client client = clients.apply(app())) {
            TestResponse response = client.request(Method.GET, "/static/data.bin")
                    .header("range", "bytes=5-6, 0-1, 3-4, -2").send();
            assertThat(response.status()).isEqualTo(206);
            assertThat(response.header("content-range")).isEmpty();
            List<Part> parts = Part.parse(response);
            // 3-4 and 5-6 are adjacent: merged; parts come in order.
            assertThat(parts).extracting(Part::contentRange)
                    .containsExactly("bytes 0-1/1000", "bytes 3-6/1000", "bytes 998-999/1000");
            assertThat(parts).extracting(Part::contentType).containsOnly("application/octet-stream");
            assertThat(parts.get(0).body()).isEqualTo(Arrays.copyOfRange(all, 0, 2));
            assertThat(parts.get(1).body()).isEqualTo(Arrays.copyOfRange(all, 3, 7));
            assertThat(parts.get(2).body()).isEqualTo(Arrays.copyOfRange(all, 998, 1000));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void too_many_or_malformed_ranges_get_the_whole_file(Function<Router, Client> clients) throws IOException {
        byte[] all = data(1000);
        try (Client client = clients.apply(app())) {
            String seventeen = "bytes=" + String.join(",", java.util.Collections.nCopies(17, "0-0"));
            String abusive = "bytes=" + String.join(",", java.util.stream.IntStream.range(0, 500)
                    .mapToObj(i -> i * 2 + "-" + i * 2).toList());
            for (String range : List.of(seventeen, abusive, "bytes=x-y", "bytes=9-1", "pages=0-1", "bytes 0-1",
                    "bytes=--1", "bytes=1-2-3", "bytes=99999999999999999999999-")) {
                TestResponse response = client.request(Method.GET, "/static/data.bin").header("range", range).send();
                assertThat(response.status()).as(range).isEqualTo(200);
                assertThat(response.bodyBytes()).as(range).isEqualTo(all);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void unsatisfiable_ranges_answer_416_with_the_length(Function<Router, Client> clients) throws IOException {
        try (Client client = clients.apply(app())) {
            for (String range : List.of("bytes=1000-", "bytes=1000-2000", "bytes=-0", "bytes=5000-, 1000-1001")) {
                TestResponse response = client.request(Method.GET, "/static/data.bin").header("range", range).send();
                assertProblem(response, 416);
                assertThat(response.header("content-range")).as(range).contains("bytes */1000");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void if_range_sends_the_whole_file_once_it_changed(Function<Router, Client> clients) throws IOException {
        try (Client client = clients.apply(app())) {
            String etag = client.get("/static/data.bin").header("etag").orElseThrow();
            for (String[] ifRange : List.of(new String[] {etag, "206"}, new String[] {LAST_MODIFIED, "206"},
                    new String[] {"\"old\"", "200"}, new String[] {"W/" + etag, "200"}, new String[] {EARLIER, "200"},
                    new String[] {"garbage", "200"})) {
                TestResponse response = client.request(Method.GET, "/static/data.bin").header("range", "bytes=0-9")
                        .header("if-range", ifRange[0]).send();
                assertThat(response.status()).as(ifRange[0]).isEqualTo(Integer.parseInt(ifRange[1]));
            }
        }
    }

    // ---------------------------------------------------------------- precompressed

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void a_precompressed_sibling_is_chosen_by_accept_encoding(Function<Router, Client> clients) throws IOException {
        try (Client client = clients.apply(app())) {
            TestResponse identity = client.get("/static/app.js");
            assertThat(identity.body()).isEqualTo("console.log('identity')");
            assertThat(identity.header("content-encoding")).isEmpty();
            assertThat(identity.header("vary")).contains("accept-encoding");

            TestResponse br = client.request(Method.GET, "/static/app.js").header("accept-encoding", "gzip, br").send();
            assertThat(br.body()).isEqualTo("BR-BYTES");
            assertThat(br.header("content-encoding")).contains("br");
            assertThat(br.contentType()).isEqualTo("text/javascript; charset=utf-8");
            assertThat(br.header("vary")).contains("accept-encoding");
            assertThat(br.header("etag")).isNotEqualTo(identity.header("etag"));

            assertThat(encodedBody(client, "zstd, br, gzip")).isEqualTo("ZST-BYTES");
            assertThat(encodedBody(client, "gzip;q=0.9, br;q=0.5, zstd;q=0.1")).isEqualTo("GZ-BYTES");
            assertThat(encodedBody(client, "x-gzip")).isEqualTo("GZ-BYTES");
            assertThat(encodedBody(client, "*;q=0.5, zstd;q=0")).isEqualTo("BR-BYTES");
            assertThat(encodedBody(client, "br;q=0, gzip;q=0")).isEqualTo("console.log('identity')");
            assertThat(encodedBody(client, "deflate")).isEqualTo("console.log('identity')");

            // The variant has its own validators: its own ETag revalidates it, the identity one does not.
            String brTag = br.header("etag").orElseThrow();
            assertThat(client.request(Method.GET, "/static/app.js").header("accept-encoding", "br")
                    .header("if-none-match", brTag).send().status()).isEqualTo(304);
            assertThat(client.request(Method.GET, "/static/app.js").header("accept-encoding", "br")
                    .header("if-none-match", identity.header("etag").orElseThrow()).send().status()).isEqualTo(200);
            // A sibling is never served under its own name's type for a file that has none.
            assertThat(encodedBody(client, "br", "/static/hello.txt")).isEqualTo("hello world");
        }
    }

    private static String encodedBody(Client client, String acceptEncoding) {
        return encodedBody(client, acceptEncoding, "/static/app.js");
    }

    private static String encodedBody(Client client, String acceptEncoding, String target) {
        return client.request(Method.GET, target).header("accept-encoding", acceptEncoding).send().body();
    }

    // ---------------------------------------------------------------- a large file

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void a_large_file_streams_whole_and_in_ranges(Function<Router, Client> clients) throws IOException {
        Router app = app();
        byte[] big = new byte[6 * 1024 * 1024 + 123];
        new java.util.Random(7).nextBytes(big);
        Files.write(temp.resolve("www/big.bin"), big);
        try (Client client = clients.apply(app)) {
            for (int i = 0; i < 2; i++) {
                TestResponse response = client.get("/static/big.bin");
                assertThat(response.status()).isEqualTo(200);
                assertThat(response.header("content-length")).contains(Integer.toString(big.length));
                assertThat(Arrays.equals(response.bodyBytes(), big)).isTrue();
            }
            TestResponse middle = client.request(Method.GET, "/static/big.bin")
                    .header("range", "bytes=3000000-4000000").send();
            assertThat(middle.status()).isEqualTo(206);
            assertThat(Arrays.equals(middle.bodyBytes(), Arrays.copyOfRange(big, 3_000_000, 4_000_001))).isTrue();
            assertThat(client.get("/static/hello.txt").body()).isEqualTo("hello world"); // the connection goes on
        }
    }

    /** One part of a {@code multipart/byteranges} body. */
    record Part(String contentType, String contentRange, byte[] body) {
        static List<Part> parse(TestResponse response) {
            String type = response.contentType();
            assertThat(type).startsWith("multipart/byteranges; boundary=");
            String boundary = type.substring(type.indexOf("boundary=") + 9);
            String text = new String(response.bodyBytes(), StandardCharsets.ISO_8859_1);
            assertThat(response.header("content-length")).contains(Integer.toString(response.bodyBytes().length));
            assertThat(text).startsWith("--" + boundary + "\r\n").endsWith("\r\n--" + boundary + "--\r\n");
            String inner = text.substring(0, text.length() - ("\r\n--" + boundary + "--\r\n").length());
            List<Part> parts = new java.util.ArrayList<>();
            for (String raw : inner.split("(^|\r\n)--" + java.util.regex.Pattern.quote(boundary) + "\r\n")) {
                if (raw.isEmpty()) {
                    continue;
                }
                int end = raw.indexOf("\r\n\r\n");
                String contentType = null;
                String contentRange = null;
                for (String line : raw.substring(0, end).split("\r\n")) {
                    String[] pair = line.split(":", 2);
                    if (pair[0].equalsIgnoreCase("content-type")) {
                        contentType = pair[1].strip();
                    } else if (pair[0].equalsIgnoreCase("content-range")) {
                        contentRange = pair[1].strip();
                    }
                }
                parts.add(new Part(contentType, contentRange,
                        raw.substring(end + 4).getBytes(StandardCharsets.ISO_8859_1)));
            }
            return parts;
        }
    }
}
