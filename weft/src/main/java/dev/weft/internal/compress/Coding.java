package dev.weft.internal.compress;

import java.util.Locale;
import java.util.Optional;

/**
 * The content codings Weft can encode and decode, by their registered names (RFC 9110 §8.4.1,
 * RFC 7932, RFC 8878). The declaration order is the preference when a client weighs several alike:
 * zstd, then br, then gzip.
 */
public enum Coding {
    ZSTD("zstd"),
    BR("br"),
    GZIP("gzip");

    private final String token;

    Coding(String token) {
        this.token = token;
    }

    /** The name as it appears in {@code content-encoding}. */
    public String token() {
        return token;
    }

    /** The coding named {@code name} (case-insensitive; {@code x-gzip} is gzip, RFC 9110 §8.4.1.3). */
    public static Optional<Coding> of(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        return switch (n) {
            case "gzip", "x-gzip" -> Optional.of(GZIP);
            case "br" -> Optional.of(BR);
            case "zstd" -> Optional.of(ZSTD);
            default -> Optional.empty();
        };
    }

    /** Whether this coding can be used in this JVM: its library is present and its native code loads. */
    public boolean available() {
        return Natives.available(this);
    }
}
