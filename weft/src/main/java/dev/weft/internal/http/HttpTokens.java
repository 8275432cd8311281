package dev.weft.internal.http;

/** The RFC 9110 {@code token} (§5.6.2): header names, auth schemes, media types, parameter names. */
public final class HttpTokens {
    private HttpTokens() {}

    /** Whether {@code text} is a non-empty token; false for null. */
    public static boolean isToken(String text) {
        if (text == null || text.isEmpty()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
