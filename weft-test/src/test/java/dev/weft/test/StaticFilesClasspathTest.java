package dev.weft.test;

import static dev.weft.test.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.WeftException;
import dev.weft.files.StaticFiles;
import dev.weft.http.Method;
import dev.weft.routing.Handler;
import dev.weft.routing.Router;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Class path resources: from a directory (this module's test resources) and from a jar. */
class StaticFilesClasspathTest {
    @TempDir
    Path temp;

    static Stream<Named<Function<Router, Client>>> clients() {
        return Clients.both();
    }

    private static Router mount(Handler files) {
        return Router.builder().get("/s/{*path}", files).get("/s/", files).build();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void resources_in_a_class_path_directory_are_served(Function<Router, Client> clients) {
        Handler files = StaticFiles.classpath(StaticFilesClasspathTest.class.getClassLoader(), "static-site").build();
        try (Client client = clients.apply(mount(files))) {
            assertThat(client.get("/s/").body()).isEqualTo("<h1>classpath home</h1>");
            assertThat(client.get("/s/docs/").body()).isEqualTo("<h1>classpath docs</h1>");
            assertThat(client.get("/s/docs").header("location")).contains("docs/");
            TestResponse css = client.get("/s/css/site.css");
            assertThat(css.body()).isEqualTo("h1{color:red}");
            assertThat(css.contentType()).isEqualTo("text/css; charset=utf-8");
            // The entity-tag is a hash of the content: two files with the same bytes share it.
            assertThat(css.header("etag")).isEqualTo(client.get("/s/css/copy.css").header("etag"));
            TestResponse br = client.request(Method.GET, "/s/css/site.css").header("accept-encoding", "br").send();
            assertThat(br.body()).isEqualTo("BR-CSS");
            assertThat(br.header("content-encoding")).contains("br");
            assertThat(br.header("etag")).isNotEqualTo(css.header("etag"));
            assertThat(client.request(Method.GET, "/s/css/site.css").header("if-none-match", css.header("etag")
                    .orElseThrow()).send().status()).isEqualTo(304);
            assertThat(client.request(Method.GET, "/s/css/site.css").header("range", "bytes=0-1").send().body())
                    .isEqualTo("h1");
            assertProblem(Clients.rawGet(client, "/s/.env"), 404);
            assertProblem(Clients.rawGet(client, "/s/css/../.env"), 404);
            assertProblem(Clients.rawGet(client, "/s/..%2fstatic-site/index.html"), 404);
            assertProblem(Clients.rawGet(client, "/s/dev/weft/test/StaticFilesClasspathTest.class"), 404);
        }
    }

    /** A jar with {@code entries} (name → content) under their directories, as a build tool writes it. */
    private Path jar(String name, Map<String, byte[]> entries, boolean directoryEntries, long time) throws IOException {
        Path jar = temp.resolve(name);
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
            java.util.Set<String> directories = new java.util.LinkedHashSet<>();
            for (String entry : entries.keySet()) {
                for (int slash = entry.indexOf('/'); slash > 0; slash = entry.indexOf('/', slash + 1)) {
                    directories.add(entry.substring(0, slash + 1));
                }
            }
            if (directoryEntries) {
                for (String directory : directories) {
                    JarEntry dir = new JarEntry(directory);
                    dir.setTime(time);
                    out.putNextEntry(dir);
                    out.closeEntry();
                }
            }
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                JarEntry entry = new JarEntry(e.getKey());
                entry.setTime(time);
                out.putNextEntry(entry);
                out.write(e.getValue());
                out.closeEntry();
            }
        }
        return jar;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private Map<String, byte[]> site(byte[] script) {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("site/index.html", bytes("<h1>jar home</h1>"));
        entries.put("site/app.js", script);
        entries.put("site/app.js.gz", bytes("GZ"));
        entries.put("site/sub/page.html", bytes("<p>page</p>"));
        entries.put("site/.env", bytes("SECRET=jar"));
        entries.put("other/secret.txt", bytes("SECRET=other"));
        return entries;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void resources_in_a_jar_are_served(Function<Router, Client> clients) throws Exception {
        byte[] script = new byte[300_000];
        new java.util.Random(3).nextBytes(script);
        Path jar = jar("site.jar", site(script), true, 1_700_000_000_000L);
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null);
                Client client = clients.apply(mount(StaticFiles.classpath(loader, "site").build()))) {
            assertThat(client.get("/s/").body()).isEqualTo("<h1>jar home</h1>");
            assertThat(client.get("/s/sub/page.html").body()).isEqualTo("<p>page</p>");
            assertThat(client.get("/s/sub").header("location")).contains("sub/");
            TestResponse whole = client.get("/s/app.js");
            assertThat(Arrays.equals(whole.bodyBytes(), script)).isTrue();
            assertThat(whole.header("last-modified")).contains("Tue, 14 Nov 2023 22:13:20 GMT");
            TestResponse range = client.request(Method.GET, "/s/app.js").header("range", "bytes=100000-100009, -5").send();
            assertThat(range.status()).isEqualTo(206);
            var parts = StaticFilesTest.Part.parse(range);
            assertThat(parts.get(0).body()).isEqualTo(Arrays.copyOfRange(script, 100000, 100010));
            assertThat(parts.get(1).body()).isEqualTo(Arrays.copyOfRange(script, script.length - 5, script.length));
            assertThat(client.request(Method.GET, "/s/app.js").header("accept-encoding", "gzip").send().body())
                    .isEqualTo("GZ");
            assertThat(client.head("/s/app.js").header("content-length")).contains(Integer.toString(script.length));
            assertProblem(Clients.rawGet(client, "/s/.env"), 404);
            assertProblem(Clients.rawGet(client, "/s/..%2fother/secret.txt"), 404);
            assertProblem(Clients.rawGet(client, "/s/../other/secret.txt"), 404);
            assertProblem(client.get("/s/missing.js"), 404);
        }
    }

    @Test
    void the_same_content_in_another_jar_built_later_has_the_same_entity_tag() throws Exception {
        byte[] script = bytes("console.log(1)");
        Path early = jar("early.jar", site(script), true, 1_600_000_000_000L);
        Path late = jar("late.jar", site(script), true, 1_700_000_000_000L);
        try (URLClassLoader a = new URLClassLoader(new URL[] {early.toUri().toURL()}, null);
                URLClassLoader b = new URLClassLoader(new URL[] {late.toUri().toURL()}, null);
                Client one = InMemoryClient.of(mount(StaticFiles.classpath(a, "site").build()));
                Client two = InMemoryClient.of(mount(StaticFiles.classpath(b, "site").build()))) {
            assertThat(one.get("/s/app.js").header("etag")).isPresent().isEqualTo(two.get("/s/app.js").header("etag"));
            assertThat(one.get("/s/app.js").header("last-modified"))
                    .isNotEqualTo(two.get("/s/app.js").header("last-modified"));
        }
    }

    @Test
    void a_prefix_with_no_resources_fails_at_build_saying_why() throws Exception {
        Path bare = jar("bare.jar", site(bytes("x")), false, 0);
        try (URLClassLoader loader = new URLClassLoader(new URL[] {bare.toUri().toURL()}, null)) {
            assertThatThrownBy(() -> StaticFiles.classpath(loader, "site").build())
                    .isInstanceOf(WeftException.class)
                    .hasMessageContaining("no resources found under 'site/'")
                    .hasMessageContaining("directory entry");
            assertThatThrownBy(() -> StaticFiles.classpath(loader, "").build())
                    .hasMessageContaining("the whole class path holds classes");
            assertThatThrownBy(() -> StaticFiles.classpath(loader, "/site").build())
                    .hasMessageContaining("no leading or trailing '/'");
        }
    }
}
