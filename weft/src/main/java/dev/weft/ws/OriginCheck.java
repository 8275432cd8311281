package dev.weft.ws;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * The cross-site check of a handshake: a browser always sends {@code Origin}, so a page of another
 * site that opens a session with the user's cookies is refused (cross-site WebSocket hijacking).
 * Same origin means the Origin's host and port equal the request's {@code Host} (or
 * {@code :authority}), default ports by scheme.
 */
final class OriginCheck {
    private OriginCheck() {}

    /** An origin as a browser serializes it: {@code scheme://host[:port]}, nothing else. */
    record Origin(String scheme, String host, int port) {
        static Optional<Origin> parse(String value) {
            String lower = value.strip().toLowerCase(Locale.ROOT);
            if (!lower.startsWith("http://") && !lower.startsWith("https://")) {
                return Optional.empty();
            }
            try {
                URI uri = new URI(lower);
                if (uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawQuery() != null
                        || uri.getRawFragment() != null || !(uri.getRawPath() == null || uri.getRawPath().isEmpty())) {
                    return Optional.empty();
                }
                int port = uri.getPort() >= 0 ? uri.getPort() : defaultPort(uri.getScheme());
                return Optional.of(new Origin(uri.getScheme(), uri.getHost(), port));
            } catch (URISyntaxException e) {
                return Optional.empty();
            }
        }
    }

    static boolean isSerializedOrigin(String value) {
        return Origin.parse(value).isPresent();
    }

    private static int defaultPort(String scheme) {
        return "https".equals(scheme) ? 443 : 80;
    }

    /**
     * Whether {@code origin} (the header's value) is {@code host} (the request's authority) seen
     * through {@code scheme}, or one of the allowed origins.
     */
    static boolean allowed(String origin, Optional<String> host, String scheme, WebSocketOptions options) {
        if (options.allowsAnyOrigin()) {
            return true;
        }
        Optional<Origin> parsed = Origin.parse(origin);
        if (parsed.isEmpty()) {
            return false; // "null" (sandboxed pages, file:), or garbage
        }
        Origin o = parsed.get();
        for (String allowed : options.allowedOrigins()) {
            if (Origin.parse(allowed).filter(o::equals).isPresent()) {
                return true;
            }
        }
        if (host.isEmpty()) {
            return false;
        }
        Optional<Origin> self = Origin.parse(scheme.toLowerCase(Locale.ROOT) + "://" + host.get().strip());
        // The scheme may differ behind a TLS-terminating proxy; host and port must not.
        return self.isPresent() && self.get().host().equals(o.host()) && portOf(host.get(), o.scheme()) == o.port();
    }

    /** The port of a {@code Host} value; without one, the default port of the page's scheme. */
    private static int portOf(String host, String pageScheme) {
        String h = host.strip();
        int bracket = h.lastIndexOf(']');
        int colon = h.lastIndexOf(':');
        if (colon > bracket && colon < h.length() - 1) {
            try {
                return Integer.parseInt(h.substring(colon + 1));
            } catch (NumberFormatException e) {
                return -1;
            }
        }
        return defaultPort(pageScheme);
    }
}
