package dev.weft.internal.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.json.JsonCodec;
import dev.weft.response.BodyOutput;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileBodyTest {
    @TempDir
    Path dir;

    private static byte[] write(FileBody body) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        body.writeTo(new BodyOutput(JsonCodec.jackson()) {
            @Override
            public void write(byte[] bytes, int offset, int length) {
                out.write(bytes, offset, length);
            }
        });
        return out.toByteArray();
    }

    @Test
    void writes_its_slice_of_the_file() throws IOException {
        Path file = Files.writeString(dir.resolve("f"), "0123456789");
        assertThat(write(new FileBody(file, 2, 3, 10))).isEqualTo("234".getBytes());
        assertThat(write(new FileBody(file, 0, 0, 10))).isEmpty();
    }

    @Test
    void a_file_that_changed_size_fails_before_writing_anything() throws IOException {
        Path file = Files.writeString(dir.resolve("f"), "0123456789");
        FileBody body = new FileBody(file, 0, 10, 10);
        Files.writeString(file, "01234");
        assertThatThrownBy(() -> write(body)).isInstanceOf(IOException.class).hasMessageContaining("changed");
        Files.delete(file);
        assertThatThrownBy(() -> write(body)).isInstanceOf(IOException.class);
    }

    @Test
    void a_slice_outside_the_file_is_a_bug() {
        assertThatThrownBy(() -> new FileBody(dir.resolve("f"), 5, 6, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FileBody(dir.resolve("f"), -1, 1, 10)).isInstanceOf(IllegalArgumentException.class);
    }
}
