package dev.weft.files;

import static dev.weft.files.Bodies.body;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.http.Method;
import dev.weft.http.Request;
import dev.weft.response.Response;
import dev.weft.response.Status;
import dev.weft.routing.Router;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The examples in the Javadoc of {@link StaticFiles}. */
class StaticFilesExamples {
    @TempDir
    Path dir;

    @Test
    void assets() throws Exception {
        Path root = dir.resolve("public");
        Files.createDirectories(root.resolve("css"));
        Files.writeString(root.resolve("css/site.css"), "body{}");
        Files.writeString(root.resolve("robots.txt"), "User-agent: *");
        // @start region=assets
        Router app = Router.builder()
                .get("/assets/{*path}", StaticFiles.dir(root).build())
                .get("/robots.txt", StaticFiles.file(root.resolve("robots.txt")).build())
                .build();
        // @end
        Response css = app.handle(Request.builder(Method.GET, "/assets/css/site.css").build());
        assertThat(css.status()).isEqualTo(Status.OK);
        assertThat(css.header("content-type")).contains("text/css; charset=utf-8");
        assertThat(body(css)).isEqualTo("body{}");
        assertThat(body(app.handle(Request.builder(Method.GET, "/robots.txt").build()))).isEqualTo("User-agent: *");
    }

    @Test
    void spa() throws Exception {
        Path dist = dir.resolve("dist");
        Files.createDirectories(dist);
        Files.writeString(dist.resolve("index.html"), "<!doctype html><div id=app></div>");
        Files.writeString(dist.resolve("app-3f9a8b7c12.js"), "start()");
        // @start region=spa
        Router app = Router.builder()
                .get("/api/health", () -> "ok")
                .fallback(StaticFiles.dir(dist).spaFallback("index.html").build())
                .build();
        // @end
        Response route = app.handle(Request.builder(Method.GET, "/todos/7").header("accept", "text/html").build());
        assertThat(body(route)).contains("<div id=app>");
        Response script = app.handle(Request.builder(Method.GET, "/app-3f9a8b7c12.js").build());
        assertThat(script.header("cache-control")).contains("public, max-age=31536000, immutable");
        assertThat(app.handle(Request.builder(Method.GET, "/missing.js").build()).status()).isEqualTo(Status.NOT_FOUND);
    }
}
