package dev.weft.internal.netty;

/**
 * The authority a request names, {@code Host} on HTTP/1.1 and {@code :authority} on HTTP/2
 * (RFC 9112 §3.2, RFC 3986 §3.2): one {@code host[:port]}, nothing else.
 */
final class Authority {
    private Authority() {}

    /**
     * {@code host[:port]}: a bracketed IP literal or a name of unreserved, sub-delim (but no comma)
     * and percent characters, then optionally a colon and digits. No userinfo, path or list.
     */
    static boolean isValid(CharSequence s) {
        int length = s.length();
        int hostEnd;
        if (!s.isEmpty() && s.charAt(0) == '[') {
            hostEnd = indexOf(s, ']') + 1;
            if (hostEnd <= 1 || indexOf(s.subSequence(0, hostEnd), ':') < 0) {
                return false; // an IPv6 literal has at least one colon
            }
            for (int i = 1; i < hostEnd - 1; i++) {
                char c = s.charAt(i);
                if (!(isHex(c) || c == ':' || c == '.')) {
                    return false;
                }
            }
        } else {
            hostEnd = indexOf(s, ':');
            if (hostEnd < 0) {
                hostEnd = length;
            }
            if (hostEnd == 0) {
                return false;
            }
            for (int i = 0; i < hostEnd; i++) {
                if (!isRegNameChar(s.charAt(i))) {
                    return false;
                }
            }
        }
        if (hostEnd == length) {
            return true;
        }
        if (s.charAt(hostEnd) != ':' || hostEnd + 1 == length || length - hostEnd - 1 > 5) {
            return false;
        }
        for (int i = hostEnd + 1; i < length; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static boolean isRegNameChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || "-._~!$&'()*+;=%".indexOf(c) >= 0;
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static int indexOf(CharSequence s, char c) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == c) {
                return i;
            }
        }
        return -1;
    }
}
