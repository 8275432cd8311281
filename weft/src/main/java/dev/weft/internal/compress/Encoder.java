package dev.weft.internal.compress;

import java.io.IOException;
import java.io.OutputStream;

/**
 * A streaming compressor writing to a response's output. Confined to the response's virtual
 * thread. An encoder holds native memory (zlib, brotli or zstd state) from {@link #open} until
 * {@link #finish} or {@link #close}; the owner calls one of them in a {@code finally}.
 */
public abstract sealed class Encoder implements AutoCloseable permits GzipEncoder, BrotliEncoder, ZstdEncoder {
    /** 8 MiB: the largest zstd window browsers decode (Chromium's limit), as tower-http caps it. */
    public static final int ZSTD_MAX_WINDOW_LOG = 23;

    final Sink sink;
    private boolean ended;

    Encoder(OutputStream out) {
        this.sink = new Sink(out);
    }

    /**
     * Opens an encoder of {@code coding} writing to {@code out}.
     *
     * @param sizeHint the body's length if known, else -1 (a small known body gets a small window)
     */
    public static Encoder open(Coding coding, Settings settings, OutputStream out, long sizeHint) throws IOException {
        return switch (coding) {
            case GZIP -> new GzipEncoder(out, settings.gzipLevel());
            case BR -> new BrotliEncoder(out, settings.brotliQuality(), sizeHint);
            case ZSTD -> new ZstdEncoder(out, settings.zstdLevel());
        };
    }

    /** {@code body} compressed whole. */
    public static byte[] encode(Coding coding, Settings settings, byte[] body) throws IOException {
        return switch (coding) {
            case GZIP -> GzipEncoder.encode(body, settings.gzipLevel());
            case BR -> BrotliEncoder.encode(body, settings.brotliQuality());
            case ZSTD -> ZstdEncoder.encode(body, settings.zstdLevel());
        };
    }

    /** Compresses {@code length} bytes; output may be held back until {@link #flush}. */
    public abstract void write(byte[] bytes, int offset, int length) throws IOException;

    /**
     * Writes out everything compressed so far such that the client can decode every byte written
     * before this call (a zlib sync flush, a brotli or zstd flush), without ending the stream.
     */
    public abstract void flush() throws IOException;

    /** Ends the stream (its trailer is written) and releases the native state. */
    public final void finish() throws IOException {
        if (ended) {
            return;
        }
        ended = true;
        end();
    }

    /**
     * Releases the native state without writing anything more (the response was abandoned).
     * Idempotent; never throws.
     */
    @Override
    public final void close() {
        if (ended) {
            return;
        }
        ended = true;
        sink.drop();
        try {
            end();
        } catch (IOException | RuntimeException e) {
            // only the native state matters now, and end() releases it in its finally
        }
    }

    /** Writes the trailer to {@link #sink} and releases the native state, even when writing fails. */
    abstract void end() throws IOException;
}
