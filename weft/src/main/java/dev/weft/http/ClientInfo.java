package dev.weft.http;

import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * Who sent a request and how they addressed it: the answer every layer that needs the client
 * (access log, rate limits, HSTS, secure cookies, CSRF checks) takes from {@link Request#client()}.
 *
 * <p>Without trusted proxies ({@code Server.Builder.trustedProxies}) this is the connection:
 * the peer's address, {@code https} over TLS, and the {@code Host} header (HTTP/2's
 * {@code :authority}). When the peer is a trusted proxy, the proxy's forwarding headers decide,
 * read from the right so a client cannot forge its way past the proxies that are trusted.
 *
 * @param address the client's address
 * @param scheme {@code http} or {@code https}, as the client used it
 * @param host the host (and port, if one was given) the client addressed; empty if the request
 *     named none (an HTTP/1.0 request without {@code Host})
 * @param forwarded whether the answer came from a trusted proxy's headers rather than the connection
 */
public record ClientInfo(InetAddress address, String scheme, Optional<String> host, boolean forwarded) {
    public ClientInfo {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(host, "host");
    }

    /** Whether the client used {@code https}. */
    public boolean secure() {
        return scheme.equals("https");
    }
}
