package dev.weft.internal.compress;

import com.aayushatharva.brotli4j.encoder.BrotliOutputStream;
import com.aayushatharva.brotli4j.encoder.Encoder.Parameters;
import java.io.IOException;
import java.io.OutputStream;

/** br (RFC 7932) over brotli4j; only loaded once {@link Brotli#probe} succeeded. */
final class BrotliEncoder extends Encoder {
    private static final int MAX_WINDOW = 22;
    private final BrotliOutputStream out;

    BrotliEncoder(OutputStream target, int quality, long sizeHint) throws IOException {
        super(target);
        int window = windowFor(sizeHint);
        int buffer = sizeHint > 0 ? (int) Math.clamp(sizeHint, 1024, 16_384) : 16_384;
        this.out = new BrotliOutputStream(sink, Parameters.create(quality, window), buffer);
    }

    static byte[] encode(byte[] body, int quality) throws IOException {
        return com.aayushatharva.brotli4j.encoder.Encoder.compress(body, Parameters.create(quality, windowFor(body.length)));
    }

    /** A window just large enough for a body of known size (less native memory), else brotli's default. */
    private static int windowFor(long size) {
        if (size <= 0) {
            return MAX_WINDOW;
        }
        int bits = 64 - Long.numberOfLeadingZeros(size - 1);
        return Math.clamp(bits, 10, MAX_WINDOW);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        out.write(bytes, offset, length);
    }

    @Override
    public void flush() throws IOException {
        out.flush(); // BROTLI_OPERATION_FLUSH
    }

    @Override
    void end() throws IOException {
        out.close(); // finishes, then destroys the native encoder even if writing failed; the sink ignores close
    }
}
