package dev.weft.middleware;

import java.util.Locale;

/**
 * The syntax of a serialized origin ({@code scheme://host[:port]}, RFC 6454 §6.2), as browsers
 * send it in {@code Origin}: the one parser behind {@link Cors}'s build-time checks and its
 * matching of requests, so a value refused at build can never be matched at run time.
 */
final class Origins {
    private Origins() {}

    /**
     * Why {@code value} is not an origin, or null if it is one. Refused: a path, query, fragment
     * or trailing slash, user info, an empty host, a port that is not 0..65535, {@code null} and
     * {@code *}.
     */
    static String problem(String value) {
        if (value.equals("*")) {
            return "'*' is not an origin: use allowAnyOrigin()";
        }
        if (value.equalsIgnoreCase("null")) {
            return "'null' is the origin of sandboxed frames, data: and file: documents; anyone can send it,"
                    + " so it is never allowed by a list";
        }
        String lower = value.toLowerCase(Locale.ROOT);
        int sep = lower.indexOf("://");
        if (sep <= 0 || !isScheme(lower.substring(0, sep))) {
            return "'" + value + "' is not an origin: write scheme://host[:port]";
        }
        String rest = lower.substring(sep + 3);
        if (rest.indexOf('/') >= 0 || rest.indexOf('?') >= 0 || rest.indexOf('#') >= 0) {
            return "'" + value + "' has a path, query or trailing slash: an origin is scheme://host[:port] only";
        }
        if (rest.indexOf('@') >= 0) {
            return "'" + value + "' has user info: an origin is scheme://host[:port] only";
        }
        String host;
        String port;
        if (rest.startsWith("[")) {
            int close = rest.indexOf(']');
            if (close < 0) {
                return "'" + value + "' has an unclosed IPv6 literal";
            }
            host = rest.substring(1, close);
            String after = rest.substring(close + 1);
            if (!after.isEmpty() && !after.startsWith(":")) {
                return "'" + value + "' is not an origin: write scheme://host[:port]";
            }
            port = after.isEmpty() ? null : after.substring(1);
            if (host.isEmpty() || !host.chars().allMatch(c -> c >= '0' && c <= '9' || c >= 'a' && c <= 'f'
                    || c == ':' || c == '.')) {
                return "'" + value + "' has an invalid IPv6 literal";
            }
        } else {
            int colon = rest.lastIndexOf(':');
            host = colon < 0 ? rest : rest.substring(0, colon);
            port = colon < 0 ? null : rest.substring(colon + 1);
            if (host.isEmpty()) {
                return "'" + value + "' has no host";
            }
            if (!host.chars().allMatch(c -> c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '-'
                    || c == '_' || c == '~')) {
                return "'" + value + "' has a host that is not an ASCII name or address (write IDNs as xn--)";
            }
        }
        if (port != null && (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(c -> c >= '0' && c <= '9')
                || Integer.parseInt(port) > 65535)) {
            return "'" + value + "' has an invalid port";
        }
        return null;
    }

    /**
     * {@code value} lower-cased, with the scheme's default port dropped ({@code https://a:443} is
     * {@code https://a}, as browsers send it), or null if it is not an origin.
     */
    static String normalize(String value) {
        if (problem(value) != null) {
            return null;
        }
        String lower = value.toLowerCase(Locale.ROOT);
        if (lower.startsWith("https://") && lower.endsWith(":443")
                || lower.startsWith("wss://") && lower.endsWith(":443")) {
            return lower.substring(0, lower.length() - 4);
        }
        if (lower.startsWith("http://") && lower.endsWith(":80") || lower.startsWith("ws://") && lower.endsWith(":80")) {
            return lower.substring(0, lower.length() - 3);
        }
        return lower;
    }

    private static boolean isScheme(String scheme) {
        if (scheme.isEmpty() || scheme.charAt(0) < 'a' || scheme.charAt(0) > 'z') {
            return false;
        }
        return scheme.chars().allMatch(c -> c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '-'
                || c == '.');
    }

    /**
     * An origin pattern with one wildcard label: {@code https://*.example.com[:port]}. The
     * wildcard stands for exactly one DNS label, as in a TLS certificate (RFC 6125 §6.4.3): it
     * matches {@code https://app.example.com}, not {@code https://example.com}, not
     * {@code https://a.b.example.com}, not {@code https://evil-example.com}.
     */
    record Pattern(String prefix, String suffix, String text) {
        /** Why {@code value} is not a valid pattern, or null. */
        static String problem(String value) {
            String lower = value.toLowerCase(Locale.ROOT);
            int sep = lower.indexOf("://");
            if (sep <= 0 || !lower.startsWith("*.", sep + 3)) {
                return "'" + value + "' is not an origin pattern: write scheme://*.domain[:port]"
                        + " (one wildcard, as the leftmost label)";
            }
            String domain = lower.substring(sep + 5);
            if (domain.indexOf('*') >= 0) {
                return "'" + value + "' has more than one wildcard: only the leftmost label may be '*'";
            }
            String asOrigin = Origins.problem(lower.substring(0, sep + 3) + "x." + domain);
            if (asOrigin != null) {
                return asOrigin.replace("x." + domain, "*." + domain);
            }
            String host = domain.startsWith("[") ? domain : domain.replaceFirst(":\\d+$", "");
            if (host.indexOf('.') < 0 || host.startsWith(".") || host.endsWith(".") || host.startsWith("[")) {
                return "'" + value + "' would match the subdomains of a top-level domain or of nothing:"
                        + " name at least two labels after '*.'";
            }
            return null;
        }

        static Pattern of(String value) {
            String normalized = Origins.normalize(value.toLowerCase(Locale.ROOT).replaceFirst("\\*\\.", "x."));
            int sep = normalized.indexOf("://");
            return new Pattern(normalized.substring(0, sep + 3), normalized.substring(sep + 4), value);
        }

        /** Whether normalized origin {@code origin} is one label followed by this pattern's domain. */
        boolean matches(String origin) {
            if (origin.length() <= prefix.length() + suffix.length() || !origin.startsWith(prefix)
                    || !origin.endsWith(suffix)) {
                return false;
            }
            for (int i = prefix.length(); i < origin.length() - suffix.length(); i++) {
                char c = origin.charAt(i);
                if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_')) {
                    return false; // a dot: more than one label; a colon or bracket: not a name
                }
            }
            return true;
        }
    }
}
