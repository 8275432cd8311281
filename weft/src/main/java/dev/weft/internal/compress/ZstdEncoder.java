package dev.weft.internal.compress;

import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;
import java.io.IOException;
import java.io.OutputStream;

/** zstd (RFC 8878) over zstd-jni; only loaded once {@link Zstd#probe} succeeded. */
final class ZstdEncoder extends Encoder {
    private final ZstdOutputStreamNoFinalizer out;

    ZstdEncoder(OutputStream target, int level) throws IOException {
        super(target);
        ZstdOutputStreamNoFinalizer stream = new ZstdOutputStreamNoFinalizer(sink, level);
        try {
            if (level >= 17) {
                stream.setWindowLog(ZSTD_MAX_WINDOW_LOG); // levels from 17 up would pick larger windows
            }
        } catch (IOException | RuntimeException e) {
            stream.closeWithoutClosingParentStream();
            throw e;
        }
        this.out = stream;
    }

    static byte[] encode(byte[] body, int level) {
        try (ZstdCompressCtx ctx = new ZstdCompressCtx()) {
            ctx.setLevel(level);
            if (level >= 17) {
                ctx.setWindowLog(ZSTD_MAX_WINDOW_LOG);
            }
            return ctx.compress(body);
        }
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        out.write(bytes, offset, length);
    }

    @Override
    public void flush() throws IOException {
        out.flush(); // ZSTD_e_flush
    }

    @Override
    void end() throws IOException {
        out.closeWithoutClosingParentStream(); // ZSTD_e_end, then frees the context
    }
}
