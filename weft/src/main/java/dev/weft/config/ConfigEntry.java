package dev.weft.config;

import java.util.Optional;

/**
 * One variable as read: its name, the value as it may be shown (masked when secret, URL
 * passwords hidden, control characters escaped, long values cut), where it came from, the
 * expected form, and what was wrong with it if anything.
 *
 * @param name the variable's name, e.g. {@code DATABASE_URL}
 * @param shownValue the sanitized value, or {@code "missing"} / {@code "unset"}
 * @param source where the value came from
 * @param expected the expected form, e.g. {@code "integer 1..1000"}
 * @param problem why the value was refused; empty when it was accepted
 */
public record ConfigEntry(String name, String shownValue, Source source, String expected, Optional<String> problem) {
    /** Where a value came from. */
    public enum Source {
        /** The variable itself. */
        ENV,
        /** The file named by {@code NAME_FILE}. */
        FILE,
        /** Not set; the application's default applies. */
        DEFAULT,
        /** Not set, and optional without a default. */
        UNSET,
        /** Not set, but required (a problem). */
        MISSING;

        /** The lower-case label shown in tables. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Whether the value was accepted. */
    public boolean ok() {
        return problem.isEmpty();
    }
}
