package dev.weft.response;

import dev.weft.json.JsonCodec;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Where a {@link BodyWriter} writes: an {@link OutputStream} (so any library can write to it)
 * with shortcuts for text and JSON. Provided by the server; not thread-safe.
 */
public abstract class BodyOutput extends OutputStream {
    private final JsonCodec codec;

    /** For servers and test clients: {@code codec} encodes {@link #writeJson} values. */
    protected BodyOutput(JsonCodec codec) {
        this.codec = Objects.requireNonNull(codec, "codec");
    }

    /** Writes {@code text} as UTF-8. */
    public void writeText(CharSequence text) throws IOException {
        write(text.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Writes {@code value} encoded by the application's JSON codec, with nothing around it. */
    public void writeJson(Object value) throws IOException {
        write(codec.write(value));
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public abstract void write(byte[] bytes, int offset, int length) throws IOException;
}
