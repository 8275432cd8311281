package dev.weft.internal.compress;

import com.aayushatharva.brotli4j.decoder.BrotliInputStream;
import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/**
 * Opens decoding streams over a request body. Each holds native state until closed; the body's
 * owner closes them. A zstd frame may ask for a window of at most 2^{@value #ZSTD_MAX_WINDOW_LOG}
 * bytes (8 MiB; zstd's default would allow 128 MiB of native memory per request).
 */
public final class Decoders {
    public static final int ZSTD_MAX_WINDOW_LOG = 23;

    private Decoders() {}

    /** A stream of {@code in} decoded from {@code coding}; may read {@code in} (gzip reads its header). */
    public static InputStream open(Coding coding, InputStream in) throws IOException {
        return switch (coding) {
            case GZIP -> new GZIPInputStream(in, 8192); // concatenated members are read as one body
            case BR -> Br.open(in);
            case ZSTD -> Zs.open(in);
        };
    }

    private static final class Br {
        static InputStream open(InputStream in) throws IOException {
            return new BrotliInputStream(in);
        }
    }

    private static final class Zs {
        static InputStream open(InputStream in) throws IOException {
            ZstdInputStreamNoFinalizer zstd = new ZstdInputStreamNoFinalizer(in);
            try {
                zstd.setLongMax(ZSTD_MAX_WINDOW_LOG); // frames and skippable frames, one after another, are read in turn
            } catch (IOException | RuntimeException e) {
                zstd.close();
                throw e;
            }
            return zstd;
        }
    }
}
