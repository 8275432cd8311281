package dev.weft.internal.compress;

import java.io.IOException;
import java.io.OutputStream;

/**
 * What an encoder writes its output to: the response's output, never closed by the encoder, and
 * switched to dropping everything when the response is abandoned, so that an encoder can still
 * be ended (which writes its trailer) and its native memory released without touching a
 * connection that failed.
 */
final class Sink extends OutputStream {
    private final OutputStream out;
    private boolean dropping;

    Sink(OutputStream out) {
        this.out = out;
    }

    void drop() {
        dropping = true;
    }

    @Override
    public void write(int b) throws IOException {
        if (!dropping) {
            out.write(b);
        }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (!dropping && len > 0) {
            out.write(b, off, len);
        }
    }

    @Override
    public void flush() {
        // The encoder's own flush must not push the response out: CompressingOutput decides when.
    }

    @Override
    public void close() {
        // the response's output is the server's to end
    }
}
