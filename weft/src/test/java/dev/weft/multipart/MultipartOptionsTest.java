package dev.weft.multipart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.WeftException;
import dev.weft.http.Method;
import dev.weft.http.Request;
import dev.weft.routing.Router;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class MultipartOptionsTest {

    @Test
    void every_invalid_option_is_reported_at_once() {
        assertThatThrownBy(() -> MultipartOptions.builder().maxParts(0).maxFieldBytes(0).maxFileBytes(-1)
                .maxPartHeaderBytes(10).memoryThresholdBytes(-1).tempDirectory(Path.of("/no/such/dir")).build())
                .isInstanceOf(WeftException.class)
                .hasMessageContaining("maxParts").hasMessageContaining("maxFieldBytes").hasMessageContaining("maxFileBytes")
                .hasMessageContaining("maxPartHeaderBytes").hasMessageContaining("memoryThresholdBytes")
                .hasMessageContaining("tempDirectory");
    }

    @Test
    void a_file_cannot_be_read_after_the_handler_returned() {
        AtomicReference<FilePart> kept = new AtomicReference<>();
        Router router = Router.builder()
                .post("/", Multipart.form(), form -> {
                    kept.set(form.file("f").orElseThrow());
                    return new String(kept.get().bytes(), StandardCharsets.UTF_8);
                })
                .build();
        String body = "--b\r\ncontent-disposition: form-data; name=\"f\"; filename=\"a.txt\"\r\n\r\nhello\r\n--b--\r\n";
        router.handle(Request.builder(Method.POST, "/").header("content-type", "multipart/form-data; boundary=b")
                .body(body.getBytes(StandardCharsets.US_ASCII)).build());
        assertThat(kept.get().size()).isEqualTo(5);
        assertThatThrownBy(() -> kept.get().open()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("transferTo");
    }

    @Test
    void safe_filename_keeps_the_last_segment_without_controls_or_leading_dots() {
        assertThat(part("../../etc/passwd").safeFilename()).isEqualTo("passwd");
        assertThat(part("C:\\x\\evil.exe").safeFilename()).isEqualTo("evil.exe");
        assertThat(part("..").safeFilename()).isEqualTo("upload");
        assertThat(part(".bashrc").safeFilename()).isEqualTo("bashrc");
        assertThat(part("a\u0000b\u2028c.txt").safeFilename()).isEqualTo("abc.txt");
        assertThat(part("x".repeat(300)).safeFilename()).hasSize(255);
        assertThat(part("résumé ✓.pdf").safeFilename()).isEqualTo("résumé ✓.pdf");
    }

    private static FilePart part(String filename) {
        return new FilePart("f", filename, "text/plain", 0, null);
    }
}
