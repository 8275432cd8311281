package dev.weft.internal.compress;

import java.util.EnumMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the optional codings load: brotli4j and zstd-jni are optional dependencies, and even
 * when their classes are there the native library may not load (another platform, a read-only
 * temporary directory, a missing {@code requires}/{@code --add-modules} on the module path). Each is
 * probed once per JVM; a coding that cannot be used is logged with one warning and left out, and
 * the others keep working.
 */
final class Natives {
    private static final Logger LOG = LoggerFactory.getLogger("dev.weft.middleware.Compression");
    private static final Map<Coding, Boolean> PROBED = new EnumMap<>(Coding.class);

    private Natives() {}

    static synchronized boolean available(Coding coding) {
        Boolean known = PROBED.get(coding);
        if (known == null) {
            known = probe(coding);
            PROBED.put(coding, known);
        }
        return known;
    }

    private static boolean probe(Coding coding) {
        return probe(coding, switch (coding) {
            case GZIP -> () -> { }; // java.util.zip, always there
            case BR -> Brotli::probe;
            case ZSTD -> Zstd::probe;
        });
    }

    /** Whether {@code load} succeeds; if not, the one warning for {@code coding}. */
    static boolean probe(Coding coding, Runnable load) {
        try {
            load.run();
            return true;
        } catch (Throwable t) { // LinkageError (classes absent, native refused) or the loader's own failure
            if (t instanceof VirtualMachineError fatal && !(t instanceof StackOverflowError)) {
                throw fatal;
            }
            LOG.warn("content coding '{}' is unavailable and will not be used ({}: {}); add {} to use it",
                    coding.token(), t.getClass().getSimpleName(), t.getMessage(),
                    coding == Coding.BR ? "com.aayushatharva.brotli4j:brotli4j and its native-<os>-<arch> jar"
                            : "com.github.luben:zstd-jni");
            return false;
        }
    }
}
