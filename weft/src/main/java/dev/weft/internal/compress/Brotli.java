package dev.weft.internal.compress;

import com.aayushatharva.brotli4j.Brotli4jLoader;

/** Touches brotli4j only when asked, so a JVM without it never loads its classes. */
final class Brotli {
    private Brotli() {}

    static void probe() {
        Brotli4jLoader.ensureAvailability();
    }
}
