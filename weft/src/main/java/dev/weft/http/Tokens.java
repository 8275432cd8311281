package dev.weft.http;

/** RFC 9110 token and field-value character classes. */
final class Tokens {
    private Tokens() {}

    static boolean isTokenChar(char c) {
        if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
            return true;
        }
        return "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }

    static void checkName(String name) {
        if (name.isEmpty()) {
            throw new IllegalArgumentException("a header name must not be empty");
        }
        for (int i = 0; i < name.length(); i++) {
            if (!isTokenChar(name.charAt(i))) {
                throw new IllegalArgumentException("'" + name + "' is not a valid header name");
            }
        }
    }

    /** Field values may hold visible ASCII, obs-text, space and tab, but never CR, LF or NUL. */
    static void checkValue(String name, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n' || c == 0 || (c < 0x20 && c != '\t') || c == 0x7f || c > 0xff) {
                throw new IllegalArgumentException(
                        "the value of header '" + name + "' holds a forbidden character (CR, LF, control or non-Latin-1)");
            }
        }
    }
}
