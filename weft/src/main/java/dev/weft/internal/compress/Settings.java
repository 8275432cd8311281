package dev.weft.internal.compress;

/**
 * Levels of the codings: gzip 1–9, brotli quality 0–11, zstd 1–22 (the window of zstd is capped
 * at 2^23 bytes, which is what browsers accept, see {@link Encoder#ZSTD_MAX_WINDOW_LOG}).
 */
public record Settings(int gzipLevel, int brotliQuality, int zstdLevel) {
    public static final Settings DEFAULT = new Settings(6, 4, 3);
}
