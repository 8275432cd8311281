package dev.weft.internal.http;

import java.util.Locale;
import java.util.Set;

/**
 * Which header values Weft never writes to a log or a {@code toString()}: credentials and
 * session cookies. Their names still appear, with the value replaced by {@link #REDACTED}.
 */
public final class Redaction {
    /** What replaces a sensitive value. */
    public static final String REDACTED = "<redacted>";

    /** Always sensitive (lower case): credentials and cookies. */
    public static final Set<String> ALWAYS = Set.of("authorization", "proxy-authorization", "cookie", "set-cookie");

    private Redaction() {}

    /** Whether {@code name} (any case) is one of {@link #ALWAYS}. */
    public static boolean sensitive(String name) {
        return ALWAYS.contains(name.toLowerCase(Locale.ROOT));
    }

    /** {@code value}, or {@link #REDACTED} if header {@code name} is sensitive. */
    public static String shown(String name, String value) {
        return sensitive(name) ? REDACTED : value;
    }
}
