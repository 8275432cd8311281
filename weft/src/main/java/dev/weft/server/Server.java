package dev.weft.server;

import dev.weft.internal.netty.NettyServer;
import dev.weft.internal.netty.ServerConfig;
import dev.weft.internal.netty.TlsContexts;
import dev.weft.routing.Router;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The HTTP server: HTTP/1.1 and HTTP/2 on one port, plain (HTTP/2 by prior knowledge or
 * {@code Upgrade: h2c}) or over TLS (HTTP/2 chosen by ALPN); Netty event loops for I/O, one
 * virtual thread per request (or per HTTP/2 stream).
 *
 * {@snippet class=dev.weft.server.ServerExamples region=serve}
 *
 * <p>Options, validated together by {@link Builder#build()}:
 *
 * <table>
 *   <caption>Server options</caption>
 *   <tr><th>option</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code host}</td><td>{@code 0.0.0.0}</td><td>address to bind</td></tr>
 *   <tr><td>{@code port}</td><td>8080</td><td>TCP port; 0 picks a free one</td></tr>
 *   <tr><td>{@code ioThreads}</td><td>available processors</td><td>Netty event-loop threads</td></tr>
 *   <tr><td>{@code transport}</td><td>{@code AUTO}</td><td>io_uring, epoll or NIO</td></tr>
 *   <tr><td>{@code maxRequestLineBytes}</td><td>8192</td><td>longest request line (else 414)</td></tr>
 *   <tr><td>{@code maxHeaderBytes}</td><td>16384</td><td>total size of the header block (else 431)</td></tr>
 *   <tr><td>{@code maxHeaderCount}</td><td>100</td><td>header fields in one request (else 431); on HTTP/2 the
 *       fields of a header list, pseudo-headers not counted</td></tr>
 *   <tr><td>{@code requestHeadTimeout}</td><td>10 s</td><td>from connect or first byte to a complete request head (else 408, close);
 *       bounds the TLS handshake, and on HTTP/2 the wait for the first stream (then {@code GOAWAY})</td></tr>
 *   <tr><td>{@code idleTimeout}</td><td>60 s</td><td>keep-alive connection with no request (then closed)</td></tr>
 *   <tr><td>{@code bodyTimeout}</td><td>30 s</td><td>longest pause while a request body arrives (408, close)</td></tr>
 *   <tr><td>{@code minBodyBytesPerSecond}</td><td>240</td><td>slowest average rate a request body may arrive at,
 *       checked once {@code bodyRateGrace} has passed (408, close); 0 turns the check off</td></tr>
 *   <tr><td>{@code bodyRateGrace}</td><td>5 s</td><td>how long a body may arrive before its rate is checked</td></tr>
 *   <tr><td>{@code bodyDeadline}</td><td>5 min</td><td>longest time a whole request body may take to arrive
 *       (408, close); 0 for none</td></tr>
 *   <tr><td>{@code writeTimeout}</td><td>30 s</td><td>a response write making no progress on a client that does not read
 *       is closed after 1 to 2 times this (checked every {@code writeTimeout}); an HTTP/2 stream whose window
 *       stays shut is reset after 1 to 1.25 times it</td></tr>
 *   <tr><td>{@code requestTimeout}</td><td>0 (off)</td><td>handler deadline: 503 and the handler's thread is interrupted</td></tr>
 *   <tr><td>{@code maxConnections}</td><td>10000</td><td>open connections; more are answered 503 and closed
 *       (with {@code tls}: closed without an answer)</td></tr>
 *   <tr><td>{@code maxInFlight}</td><td>4096</td><td>requests being handled at once; more are answered 503 with {@code retry-after}</td></tr>
 *   <tr><td>{@code shutdownTimeout}</td><td>10 s</td><td>how long in-flight requests may finish at shutdown</td></tr>
 *   <tr><td>{@code shutdownDelay}</td><td>0 (production: about 5 s)</td><td>how long shutdown keeps serving
 *       normally after its listeners were told (readiness fails, see {@code Health.attach}) and before
 *       it stops accepting and drains, so load balancers stop sending first</td></tr>
 *   <tr><td>{@code shutdownOnSignal}</td><td>true</td><td>close gracefully on SIGTERM/SIGINT (JVM shutdown)</td></tr>
 *   <tr><td>{@code tls}</td><td>none (plain HTTP)</td><td>serve HTTPS with this certificate and key, see {@link Tls};
 *       the TLS handshake must finish within {@code requestHeadTimeout}, then the head deadline starts afresh</td></tr>
 *   <tr><td>{@code http2}</td><td>true</td><td>serve HTTP/2: on a plain port by prior knowledge and
 *       {@code Upgrade: h2c} (else the HTTP/2 preface is answered 505); with {@code tls}, when the client
 *       chooses {@code h2} by ALPN (else ALPN offers only {@code http/1.1})</td></tr>
 *   <tr><td>{@code http2MaxConcurrentStreams}</td><td>128</td><td>{@code SETTINGS_MAX_CONCURRENT_STREAMS}: streams
 *       a client may have open on one connection; more are refused with {@code RST_STREAM(REFUSED_STREAM)}</td></tr>
 *   <tr><td>{@code http2InitialWindowBytes}</td><td>65535</td><td>{@code SETTINGS_INITIAL_WINDOW_SIZE}: request
 *       body bytes a client may send on a stream ahead of the handler; the connection window is 16 times it</td></tr>
 *   <tr><td>{@code trustedProxies}</td><td>none</td><td>networks or addresses of the proxies in front of the server;
 *       from them, forwarding headers say who the client is ({@code Request.client()})</td></tr>
 *   <tr><td>{@code forwardedHeaders}</td><td>{@code X_FORWARDED}</td><td>which forwarding headers those proxies
 *       write: {@code X-Forwarded-For/-Proto/-Host}, or RFC 7239 {@code Forwarded}</td></tr>
 *   <tr><td>{@code proxyProtocol}</td><td>false</td><td>every connection opens with a PROXY protocol v1/v2
 *       header naming the client; without one (or, with {@code trustedProxies}, from another peer) it is closed</td></tr>
 *   <tr><td>{@code halfClose}</td><td>false</td><td>an HTTP/1.1 client that ends its sending side while its
 *       handlers run is taken to have left: they are interrupted (true: they run on and are answered)</td></tr>
 *   <tr><td>{@code http2MaxFrameBytes}</td><td>16384</td><td>{@code SETTINGS_MAX_FRAME_SIZE}: largest frame
 *       payload the server accepts (16384 to 16777215)</td></tr>
 * </table>
 *
 * <p>On HTTP/2, {@code SETTINGS_MAX_HEADER_LIST_SIZE} is {@code maxHeaderBytes} (counted as RFC 9113
 * counts it: name + value + 32 per field); a larger header list is answered {@code 431} on its
 * stream. Every other option applies per stream as it applies per request on HTTP/1.1
 * ({@code maxInFlight}, {@code requestTimeout}, {@code bodyTimeout}, body limits), and
 * {@code idleTimeout} closes an HTTP/2 connection (with {@code GOAWAY}) that has had no open
 * stream for that long. At shutdown HTTP/2 connections get {@code GOAWAY}, so clients open no new
 * streams, and close once their streams are done.
 *
 * <p>The request body limit is a routing concern: see {@code Router.Builder.bodyLimit} and
 * {@code Handler.bodyLimit} (2 MiB by default).
 */
public final class Server {
    private final ServerConfig config;

    private Server(ServerConfig config) {
        this.config = config;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Binds the socket and starts serving {@code router}. Returns once the server accepts
     * connections; logs the bound address once.
     *
     * @throws dev.weft.WeftException if the address cannot be bound (the message names it)
     * @throws InvalidConfigException if TLS is on and its files are no longer usable (they are read
     *     again here)
     */
    public RunningServer serve(Router router) {
        return NettyServer.start(config, Objects.requireNonNull(router, "router"));
    }

    /** Collects options; {@link #build()} reports every invalid one at once. */
    public static final class Builder {
        private String host = "0.0.0.0";
        private int port = 8080;
        private int ioThreads = Runtime.getRuntime().availableProcessors();
        private Transport transport = Transport.AUTO;
        private int maxRequestLineBytes = 8192;
        private int maxHeaderBytes = 16384;
        private Duration requestHeadTimeout = Duration.ofSeconds(10);
        private Duration idleTimeout = Duration.ofSeconds(60);
        private Duration bodyTimeout = Duration.ofSeconds(30);
        private int maxHeaderCount = 100;
        private int minBodyBytesPerSecond = 240;
        private Duration bodyRateGrace = Duration.ofSeconds(5);
        private Duration bodyDeadline = Duration.ofMinutes(5);
        private Duration writeTimeout = Duration.ofSeconds(30);
        private Duration requestTimeout = Duration.ZERO;
        private int maxConnections = 10_000;
        private int maxInFlight = 4096;
        private Duration shutdownTimeout = Duration.ofSeconds(10);
        private Duration shutdownDelay = Duration.ZERO;
        private boolean shutdownOnSignal = true;
        private Tls tls;
        private boolean tlsSet;
        private boolean http2 = true;
        private int http2MaxConcurrentStreams = 128;
        private int http2InitialWindowBytes = 65_535;
        private int http2MaxFrameBytes = 16_384;
        private List<String> trustedProxies = List.of();
        private ForwardedHeaders forwardedHeaders = ForwardedHeaders.X_FORWARDED;
        private boolean proxyProtocol;
        private boolean halfClose;

        private Builder() {}

        public Builder host(String value) { this.host = value; return this; }
        public Builder port(int value) { this.port = value; return this; }
        public Builder ioThreads(int value) { this.ioThreads = value; return this; }
        public Builder transport(Transport value) { this.transport = value; return this; }
        public Builder maxRequestLineBytes(int value) { this.maxRequestLineBytes = value; return this; }
        public Builder maxHeaderBytes(int value) { this.maxHeaderBytes = value; return this; }
        public Builder requestHeadTimeout(Duration value) { this.requestHeadTimeout = value; return this; }
        public Builder idleTimeout(Duration value) { this.idleTimeout = value; return this; }
        public Builder bodyTimeout(Duration value) { this.bodyTimeout = value; return this; }
        /** Header fields one request may carry (at least 1); default 100. More are answered {@code 431}. */
        public Builder maxHeaderCount(int value) { this.maxHeaderCount = value; return this; }
        /**
         * The slowest average rate, in bytes per second, at which a request body may arrive once
         * {@link #bodyRateGrace} has passed; slower bodies are answered {@code 408} and the connection
         * closes. Default 240 (Kestrel's); 0 turns the check off.
         */
        public Builder minBodyBytesPerSecond(int value) { this.minBodyBytesPerSecond = value; return this; }
        /** How long a request body may arrive before {@link #minBodyBytesPerSecond} applies; default 5 s. */
        public Builder bodyRateGrace(Duration value) { this.bodyRateGrace = value; return this; }
        /**
         * The longest time a whole request body may take to arrive, from its head; default 5 minutes,
         * {@code Duration.ZERO} for none. Past it the request is answered {@code 408} and the connection closes.
         */
        public Builder bodyDeadline(Duration value) { this.bodyDeadline = value; return this; }
        public Builder writeTimeout(Duration value) { this.writeTimeout = value; return this; }
        /** The handler deadline; {@code Duration.ZERO} (the default) means none. */
        public Builder requestTimeout(Duration value) { this.requestTimeout = value; return this; }
        public Builder maxConnections(int value) { this.maxConnections = value; return this; }
        public Builder maxInFlight(int value) { this.maxInFlight = value; return this; }
        public Builder shutdownTimeout(Duration value) { this.shutdownTimeout = value; return this; }
        public Builder shutdownOnSignal(boolean value) { this.shutdownOnSignal = value; return this; }
        /**
         * How long shutdown goes on serving normally after it told its listeners
         * ({@link RunningServer#onShutdownStarted}, e.g. readiness failing) and before it stops
         * accepting and drains: the time load balancers need to see the failing readiness probe and
         * stop sending. Default zero; in production about 5 s (longer than the probe period times
         * its failure threshold, if the balancer probes). It adds to {@link #shutdownTimeout}: keep
         * the two below the orchestrator's grace period (Kubernetes: 30 s).
         */
        public Builder shutdownDelay(Duration value) { this.shutdownDelay = value; return this; }
        /**
         * Serves HTTPS (TLS 1.3 and 1.2) instead of plain HTTP. {@link #build()} reads both files and
         * reports a missing or unreadable file, a file that is not PEM, a key that does not belong to
         * the certificate or an unavailable provider.
         */
        public Builder tls(Tls value) { this.tls = value; this.tlsSet = true; return this; }
        /**
         * Whether HTTP/2 is served (prior knowledge and {@code Upgrade: h2c} on a plain port, ALPN
         * {@code h2} with TLS); default true.
         */
        public Builder http2(boolean value) { this.http2 = value; return this; }
        /** Streams one HTTP/2 connection may have open at once (at least 1); default 128. */
        public Builder http2MaxConcurrentStreams(int value) { this.http2MaxConcurrentStreams = value; return this; }
        /** The initial flow-control window of an HTTP/2 stream, in bytes (at least 1); default 65535. */
        public Builder http2InitialWindowBytes(int value) { this.http2InitialWindowBytes = value; return this; }
        /**
         * The proxies in front of this server, as networks ({@code 10.0.0.0/8}, {@code fd00::/8}) or
         * single addresses: when the peer is one of them, {@code Request.client()} comes from the
         * headers named by {@link #forwardedHeaders}, read from the right and believed only as far
         * as each hop is trusted. Default none: the connection is the client.
         */
        public Builder trustedProxies(String... networks) {
            this.trustedProxies = List.of(networks);
            return this;
        }

        /**
         * Whether every connection opens with a PROXY protocol header (v1 or v2, as HAProxy and
         * cloud load balancers send it), which names the client: that client is then the
         * connection's peer ({@code Request.remoteAddress()}, {@code Request.client()}). A
         * connection without a valid header is closed; with {@link #trustedProxies} set, so is
         * one whose peer is not a trusted proxy. Default false.
         */
        public Builder proxyProtocol(boolean value) {
            this.proxyProtocol = value;
            return this;
        }

        /**
         * Whether an HTTP/1.1 client that ends its sending side (a TCP half-close, {@code
         * shutdown(SHUT_WR)}) while its requests are handled still waits for their answers.
         *
         * <p>A client that closes its connection and one that only half-closes it look the same
         * to the server until it writes. By default (false) the server takes the end of input as
         * the client leaving, as nginx, Go's {@code net/http} and hyper do: the handlers of its
         * requests that still run are interrupted, so a transaction rolls back and no work is
         * done for nobody. Answers that are ready, or that an interrupted handler still returns,
         * are written; a handler that fails because it was interrupted gets no answer (never a
         * 500), and the connection closes. With true, handlers run to their end and every
         * request received is answered, then the connection closes. A client that closes or
         * resets the connection outright interrupts its handlers either way, and so does an
         * HTTP/2 stream reset.
         */
        public Builder halfClose(boolean value) {
            this.halfClose = value;
            return this;
        }

        /** Which headers trusted proxies write (default {@link ForwardedHeaders#X_FORWARDED}). */
        public Builder forwardedHeaders(ForwardedHeaders value) {
            this.forwardedHeaders = value;
            return this;
        }

        /** The largest HTTP/2 frame payload accepted, 16384 to 16777215 bytes; default 16384. */
        public Builder http2MaxFrameBytes(int value) { this.http2MaxFrameBytes = value; return this; }

        /**
         * Validates every option.
         *
         * @throws InvalidConfigException listing every invalid option, not just the first
         */
        public Server build() {
            List<String> problems = new ArrayList<>();
            if (host == null || host.isBlank()) {
                problems.add("host must be an address or host name, got '" + host + "'");
            }
            if (port < 0 || port > 65535) {
                problems.add("port must be 0..65535, got " + port);
            }
            if (ioThreads < 1) {
                problems.add("ioThreads must be at least 1, got " + ioThreads);
            }
            if (transport == null) {
                problems.add("transport must be set");
            }
            if (maxRequestLineBytes < 256) {
                problems.add("maxRequestLineBytes must be at least 256, got " + maxRequestLineBytes);
            }
            if (maxHeaderBytes < 1024) {
                problems.add("maxHeaderBytes must be at least 1024, got " + maxHeaderBytes);
            }
            positive(problems, "requestHeadTimeout", requestHeadTimeout);
            positive(problems, "idleTimeout", idleTimeout);
            positive(problems, "bodyTimeout", bodyTimeout);
            if (maxHeaderCount < 1) {
                problems.add("maxHeaderCount must be at least 1, got " + maxHeaderCount);
            }
            if (minBodyBytesPerSecond < 0) {
                problems.add("minBodyBytesPerSecond must be zero (none) or positive, got " + minBodyBytesPerSecond);
            }
            if (bodyRateGrace == null || bodyRateGrace.isNegative()) {
                problems.add("bodyRateGrace must be zero or positive, got " + bodyRateGrace);
            }
            if (bodyDeadline == null || bodyDeadline.isNegative()) {
                problems.add("bodyDeadline must be zero (none) or positive, got " + bodyDeadline);
            }
            positive(problems, "writeTimeout", writeTimeout);
            if (requestTimeout == null || requestTimeout.isNegative()) {
                problems.add("requestTimeout must be zero (none) or positive, got " + requestTimeout);
            }
            if (maxConnections < 1) {
                problems.add("maxConnections must be at least 1, got " + maxConnections);
            }
            if (maxInFlight < 1) {
                problems.add("maxInFlight must be at least 1, got " + maxInFlight);
            }
            if (shutdownTimeout == null || shutdownTimeout.isNegative()) {
                problems.add("shutdownTimeout must be zero or positive, got " + shutdownTimeout);
            }
            if (shutdownDelay == null || shutdownDelay.isNegative()) {
                problems.add("shutdownDelay must be zero or positive, got " + shutdownDelay);
            }
            if (tlsSet && tls == null) {
                problems.add("tls must not be null; leave it unset to serve plain HTTP");
            } else if (tls != null) {
                problems.addAll(TlsContexts.problems(tls));
            }
            if (http2MaxConcurrentStreams < 1) {
                problems.add("http2MaxConcurrentStreams must be at least 1, got " + http2MaxConcurrentStreams);
            }
            if (http2InitialWindowBytes < 1) {
                problems.add("http2InitialWindowBytes must be 1..2147483647, got " + http2InitialWindowBytes);
            }
            if (http2MaxFrameBytes < 16_384 || http2MaxFrameBytes > 16_777_215) {
                problems.add("http2MaxFrameBytes must be 16384..16777215 (RFC 9113), got " + http2MaxFrameBytes);
            }
            if (forwardedHeaders == null) {
                problems.add("forwardedHeaders must be set");
            }
            dev.weft.internal.http.TrustedProxies proxies = trustedProxies.isEmpty() ? null
                    : dev.weft.internal.http.TrustedProxies.parse(trustedProxies, forwardedHeaders, problems);
            if (!problems.isEmpty()) {
                throw new InvalidConfigException(problems);
            }
            return new Server(new ServerConfig(host, port, ioThreads, transport, maxRequestLineBytes, maxHeaderBytes,
                    maxHeaderCount, requestHeadTimeout, idleTimeout, bodyTimeout, minBodyBytesPerSecond,
                    bodyRateGrace, bodyDeadline, writeTimeout, requestTimeout, maxConnections, maxInFlight,
                    shutdownTimeout, shutdownOnSignal, Optional.ofNullable(tls),
                    new ServerConfig.Http2(http2, http2MaxConcurrentStreams,
                            http2InitialWindowBytes, http2MaxFrameBytes), proxies, proxyProtocol, shutdownDelay,
                    halfClose));
        }

        private static void positive(List<String> problems, String option, Duration value) {
            if (value == null || value.isNegative() || value.isZero()) {
                problems.add(option + " must be positive, got " + value);
            }
        }
    }
}
