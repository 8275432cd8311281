package dev.weft.internal.compress;

/** Touches zstd-jni only when asked, so a JVM without it never loads its classes. */
final class Zstd {
    private Zstd() {}

    static void probe() {
        com.github.luben.zstd.util.Native.load();
        // a compression round trip proves the native code is not only loaded but linked
        byte[] done = com.github.luben.zstd.Zstd.compress(new byte[] {1, 2, 3}, 1);
        if (com.github.luben.zstd.Zstd.decompress(done, 3).length != 3) {
            throw new IllegalStateException("zstd round trip failed");
        }
    }
}
