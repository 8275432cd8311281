package dev.weft.multipart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.http.Method;
import dev.weft.http.Request;
import dev.weft.response.Response;
import dev.weft.response.ResponseBody;
import dev.weft.routing.Handler;
import dev.weft.routing.Router;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The examples in the Javadoc of {@code dev.weft.multipart}. */
class MultipartExamples {
    @TempDir
    Path uploads;

    @Test
    void upload() throws IOException {
        Path storage = uploads;
        // @start region=upload
        Router router = Router.builder()
                .post("/avatar", Handler.of(Multipart.form(), form -> {
                    String user = form.field("user").orElse("anonymous");
                    FilePart avatar = form.file("avatar").orElseThrow();
                    // The upload is deleted when the handler returns: keep what you need now.
                    avatar.transferTo(storage.resolve(user + ".png"));
                    return user + ": " + avatar.size() + " bytes";
                }).bodyLimit(12 * 1024 * 1024)) // the route's limit bounds the whole body
                .build();
        // @end
        byte[] png = new byte[100_000];
        Response response = router.handle(Request.builder(Method.POST, "/avatar")
                .header("content-type", "multipart/form-data; boundary=XyZ")
                .body(concat("--XyZ\r\ncontent-disposition: form-data; name=\"user\"\r\n\r\nada\r\n"
                        + "--XyZ\r\ncontent-disposition: form-data; name=\"avatar\"; filename=\"me.png\"\r\n"
                        + "content-type: image/png\r\n\r\n", png, "\r\n--XyZ--\r\n"))
                .build());
        assertThat(new String(((ResponseBody.Bytes) response.body()).bytes(), StandardCharsets.UTF_8))
                .isEqualTo("ada: 100000 bytes");
        assertThat(Files.size(storage.resolve("ada.png"))).isEqualTo(100_000);
    }

    @Test
    void options() {
        // @start region=options
        MultipartOptions options = MultipartOptions.builder()
                .maxParts(10)
                .maxFileBytes(50 * 1024 * 1024)
                .build();
        Handler upload = Handler.of(Multipart.form(options), form -> form.files().size() + " files")
                .bodyLimit(60 * 1024 * 1024);
        // @end
        assertThat(options.maxFieldBytes()).isEqualTo(64 * 1024);
        assertThat(upload).isNotNull();
    }

    static byte[] concat(String head, byte[] content, String tail) {
        try (var out = new java.io.ByteArrayOutputStream()) {
            out.write(head.getBytes(StandardCharsets.UTF_8));
            out.write(content);
            out.write(tail.getBytes(StandardCharsets.UTF_8));
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
