package dev.weft.internal.netty;

import dev.weft.server.Tls;
import dev.weft.server.Transport;
import java.time.Duration;
import java.util.Optional;

/**
 * The server's options after {@code Server.Builder.build()} validated them; the engine trusts
 * every value. Internal: users configure the server through the builder only, so no constructor
 * can skip the validation. See the options table of {@code dev.weft.server.Server}.
 *
 * @param host address to bind
 * @param port port, 0 for any free one
 * @param ioThreads event-loop threads
 * @param transport the socket engine
 * @param maxRequestLineBytes longest request line
 * @param maxHeaderBytes largest header block
 * @param maxHeaderCount most header fields in one request head (HTTP/2: header list)
 * @param requestHeadTimeout deadline for a complete request head
 * @param idleTimeout keep-alive idle limit
 * @param bodyTimeout longest pause while a body arrives
 * @param minBodyBytesPerSecond slowest average body rate accepted after {@code bodyRateGrace}, 0 for none
 * @param bodyRateGrace how long a body may arrive before its rate is checked
 * @param bodyDeadline longest time a whole body may take to arrive, zero for none
 * @param writeTimeout longest stall of a response write
 * @param requestTimeout handler deadline, zero for none
 * @param maxConnections open connection limit
 * @param maxInFlight limit of requests handled at once
 * @param shutdownTimeout grace period for in-flight requests at shutdown
 * @param shutdownOnSignal whether a JVM shutdown (SIGTERM) closes the server gracefully
 * @param tls the certificate and key to serve HTTPS with; empty for plain HTTP
 * @param http2 the HTTP/2 options
 * @param proxies the peers whose forwarding headers are believed; null for none
 * @param proxyProtocol whether every connection opens with a PROXY protocol header
 * @param shutdownDelay how long shutdown keeps serving normally after telling its listeners (readiness fails) and before the drain
 * @param halfClose whether an HTTP/1.1 client that ends its sending side still waits for its answers (else its running handlers are interrupted)
 */
public record ServerConfig(String host, int port, int ioThreads, Transport transport, int maxRequestLineBytes,
        int maxHeaderBytes, int maxHeaderCount, Duration requestHeadTimeout, Duration idleTimeout,
        Duration bodyTimeout, int minBodyBytesPerSecond, Duration bodyRateGrace, Duration bodyDeadline,
        Duration writeTimeout, Duration requestTimeout, int maxConnections, int maxInFlight,
        Duration shutdownTimeout, boolean shutdownOnSignal, Optional<Tls> tls, Http2 http2,
        dev.weft.internal.http.TrustedProxies proxies, boolean proxyProtocol, Duration shutdownDelay,
        boolean halfClose) {

    /**
     * The validated HTTP/2 options.
     *
     * @param enabled whether HTTP/2 is served (h2c on a plain port, ALPN {@code h2} with TLS)
     * @param maxConcurrentStreams streams one connection may have open
     * @param initialWindowBytes the initial flow-control window of a stream
     * @param maxFrameBytes the largest frame payload accepted
     */
    public record Http2(boolean enabled, int maxConcurrentStreams, int initialWindowBytes, int maxFrameBytes) {}
}
