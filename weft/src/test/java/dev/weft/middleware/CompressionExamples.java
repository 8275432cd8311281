package dev.weft.middleware;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.extract.Body;
import dev.weft.http.Method;
import dev.weft.http.Request;
import dev.weft.response.Response;
import dev.weft.response.ResponseBody;
import dev.weft.routing.Handler;
import dev.weft.routing.Router;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/** The examples in the Javadoc of {@link Compression} and {@link RequestDecompression}. */
class CompressionExamples {
    public record Report(String text) {}

    // @start region=compress
    static Router app() {
        return Router.builder()
                .layer(Compression.create())                 // zstd, br, gzip as the client prefers
                .get("/report", () -> new Report("x".repeat(4096)))
                .build();
    }
    // @end

    // @start region=skip
    static Router withSecrets() {
        return Router.builder()
                .layer(Compression.create())
                .get("/account", Handler.of(() -> "csrf-token and echoed input".repeat(100))
                        .layer(Compression.skip()))          // BREACH: never compressed
                .build();
    }
    // @end

    // @start region=decompress
    static Router ingest() {
        return Router.builder()
                .layer(RequestDecompression.builder()
                        .maxDecodedBytes(8 * 1024 * 1024)    // what a body may inflate to
                        .build())
                .post("/ingest", Body.string(), text -> "read " + text.length() + " characters")
                .build();
    }
    // @end

    @Test
    void compresses_for_a_client_that_accepts_gzip() throws Exception {
        Response response = app().handle(Request.builder(Method.GET, "/report").header("accept-encoding", "gzip").build());
        assertThat(response.header("content-encoding")).contains("gzip");
        assertThat(response.header("vary")).contains("accept-encoding");
        byte[] bytes = ((ResponseBody.Bytes) response.body()).bytes();
        String json = new String(new GZIPInputStream(new java.io.ByteArrayInputStream(bytes)).readAllBytes(),
                StandardCharsets.UTF_8);
        assertThat(json).startsWith("{\"text\":\"xxx");
    }

    @Test
    void skip_keeps_a_route_uncompressed() {
        Response response = withSecrets().handle(Request.builder(Method.GET, "/account").header("accept-encoding", "gzip").build());
        assertThat(response.header("content-encoding")).isEmpty();
        assertThat(response.header("vary")).isEmpty();
    }

    @Test
    void decodes_a_gzip_body() throws Exception {
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write("hello".repeat(1000).getBytes(StandardCharsets.UTF_8));
        }
        Response response = ingest().handle(Request.builder(Method.POST, "/ingest")
                .header("content-type", "text/plain")
                .header("content-encoding", "gzip")
                .body(gz.toByteArray())
                .build());
        assertThat(new String(((ResponseBody.Bytes) response.body()).bytes(), StandardCharsets.UTF_8))
                .isEqualTo("read 5000 characters");
    }
}
