package dev.weft.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.WeftException;
import dev.weft.http.Method;
import dev.weft.routing.Handler;
import dev.weft.routing.InvalidRouteException;
import dev.weft.routing.Router;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Mistakes in mounting or configuring static files fail when the router or handler is built. */
class StaticFilesBuildTest {
    @TempDir
    Path root;
    private Handler files;

    @BeforeEach
    void tree() throws Exception {
        Files.writeString(root.resolve("a.txt"), "a");
        files = StaticFiles.dir(root).build();
    }

    @Test
    void a_tree_on_a_route_without_a_catch_all_fails_naming_the_route_and_the_fix() {
        assertThatThrownBy(() -> Router.builder().get("/assets", files).build())
                .isInstanceOf(InvalidRouteException.class)
                .hasMessageContaining("GET /assets")
                .hasMessageContaining("catch-all")
                .hasMessageContaining("'/assets/{*path}'");
        assertThatThrownBy(() -> Router.builder().get("/assets/{name}", files).build())
                .hasMessageContaining("GET /assets/{name}");
    }

    @Test
    void a_nested_mistake_names_the_full_pattern() {
        Router inner = Router.builder().get("/{*path}", files).build(); // fine on its own
        Router.builder().nest("/static", inner).build();
        assertThatThrownBy(() -> Router.builder().nest("/x", Router.builder().get("/files", files)).build())
                .hasMessageContaining("GET /x/files");
    }

    @Test
    void a_route_for_another_method_fails() {
        assertThatThrownBy(() -> Router.builder().post("/assets/{*path}", files).build())
                .isInstanceOf(InvalidRouteException.class)
                .hasMessageContaining("POST /assets/{*path}")
                .hasMessageContaining("GET and HEAD only");
        Router.builder().route(Method.HEAD, "/h/{*path}", files).build();
    }

    @Test
    void catch_all_trailing_slash_and_fallback_mounts_are_accepted() {
        Router.builder().get("/assets/{*path}", files).get("/assets/", files).fallback(files).build();
        Router.builder().get("/a.txt", StaticFiles.file(root.resolve("a.txt")).build()).build();
    }

    @Test
    void every_problem_is_reported_at_once() {
        assertThatThrownBy(() -> StaticFiles.dir(root.resolve("missing"))
                .precompressed("br", "deflate", "br")
                .maxRanges(0)
                .cacheControl("no-cache\r\nx: y")
                .index("../index.html")
                .spaFallback("/index.html")
                .allowHidden("well-known")
                .contentType(".js", "nonsense")
                .build())
                .isInstanceOf(WeftException.class)
                .hasMessageContaining("the directory cannot be opened")
                .hasMessageContaining("'deflate' is not one of")
                .hasMessageContaining("'br' is listed twice")
                .hasMessageContaining("maxRanges must be at least 1")
                .hasMessageContaining("cacheControl")
                .hasMessageContaining("index: '../index.html'")
                .hasMessageContaining("spaFallback: '/index.html'")
                .hasMessageContaining("allowHidden: 'well-known'")
                .hasMessageContaining("contentType: '.js'")
                .hasMessageContaining("contentType: 'nonsense'");
    }

    @Test
    void a_missing_file_and_directory_options_on_a_file_fail() {
        assertThatThrownBy(() -> StaticFiles.file(root.resolve("nope.txt")).build())
                .hasMessageContaining("no such file");
        assertThatThrownBy(() -> StaticFiles.file(root.resolve("a.txt")).spaFallback("index.html").build())
                .hasMessageContaining("do not apply to StaticFiles.file");
        assertThatThrownBy(() -> StaticFiles.dir(root.resolve("a.txt")).build()).hasMessageContaining("not a directory");
    }

    @Test
    void valid_options_build() {
        StaticFiles.dir(root).noIndex().redirectDirectories(false).permanentRedirects(true).precompressed()
                .cacheControl("max-age=60").fingerprint(Pattern.compile("\\.[0-9a-f]{20}\\."))
                .immutableCacheControl("max-age=86400").spaFallback("app/index.html").allowHidden(".well-known")
                .contentType("JSONL", "application/jsonl").maxRanges(4).build();
        assertThat(files).isNotNull();
    }
}
