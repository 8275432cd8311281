package dev.weft.config;

import dev.weft.internal.http.TrustedProxies;
import dev.weft.server.ForwardedHeaders;
import dev.weft.server.Server;
import dev.weft.server.Transport;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the {@link Server}'s options from {@code WEFT_*} environment variables. Unset variables
 * leave the builder's value (the defaults in {@link Server}'s table); problems join the
 * application's in the same {@link Config} table.
 *
 * {@snippet class=dev.weft.config.ConfigExamples region=server}
 *
 * <table class="striped">
 * <caption>Server variables</caption>
 * <thead><tr><th>variable</th><th>option</th><th>form</th></tr></thead>
 * <tbody>
 * <tr><td>{@code WEFT_HOST}</td><td>{@code host}</td><td>address or host name</td></tr>
 * <tr><td>{@code WEFT_PORT}</td><td>{@code port}</td><td>0..65535 (0: any free port)</td></tr>
 * <tr><td>{@code WEFT_IO_THREADS}</td><td>{@code ioThreads}</td><td>1..4096</td></tr>
 * <tr><td>{@code WEFT_TRANSPORT}</td><td>{@code transport}</td><td>auto, io_uring, epoll, nio</td></tr>
 * <tr><td>{@code WEFT_MAX_REQUEST_LINE_BYTES}</td><td>{@code maxRequestLineBytes}</td><td>integer &gt;= 256</td></tr>
 * <tr><td>{@code WEFT_MAX_HEADER_BYTES}</td><td>{@code maxHeaderBytes}</td><td>integer &gt;= 1024</td></tr>
 * <tr><td>{@code WEFT_MAX_HEADER_COUNT}</td><td>{@code maxHeaderCount}</td><td>integer &gt;= 1</td></tr>
 * <tr><td>{@code WEFT_REQUEST_HEAD_TIMEOUT}</td><td>{@code requestHeadTimeout}</td><td>duration &gt; 0</td></tr>
 * <tr><td>{@code WEFT_IDLE_TIMEOUT}</td><td>{@code idleTimeout}</td><td>duration &gt; 0</td></tr>
 * <tr><td>{@code WEFT_BODY_TIMEOUT}</td><td>{@code bodyTimeout}</td><td>duration &gt; 0</td></tr>
 * <tr><td>{@code WEFT_MIN_BODY_BYTES_PER_SECOND}</td><td>{@code minBodyBytesPerSecond}</td><td>integer &gt;= 0 (0: off)</td></tr>
 * <tr><td>{@code WEFT_BODY_RATE_GRACE}</td><td>{@code bodyRateGrace}</td><td>duration</td></tr>
 * <tr><td>{@code WEFT_BODY_DEADLINE}</td><td>{@code bodyDeadline}</td><td>duration (0: none)</td></tr>
 * <tr><td>{@code WEFT_WRITE_TIMEOUT}</td><td>{@code writeTimeout}</td><td>duration &gt; 0</td></tr>
 * <tr><td>{@code WEFT_REQUEST_TIMEOUT}</td><td>{@code requestTimeout}</td><td>duration (0: off)</td></tr>
 * <tr><td>{@code WEFT_MAX_CONNECTIONS}</td><td>{@code maxConnections}</td><td>integer &gt;= 1</td></tr>
 * <tr><td>{@code WEFT_MAX_IN_FLIGHT}</td><td>{@code maxInFlight}</td><td>integer &gt;= 1</td></tr>
 * <tr><td>{@code WEFT_SHUTDOWN_TIMEOUT}</td><td>{@code shutdownTimeout}</td><td>duration</td></tr>
 * <tr><td>{@code WEFT_HTTP2}</td><td>{@code http2}</td><td>true or false</td></tr>
 * <tr><td>{@code WEFT_HTTP2_MAX_CONCURRENT_STREAMS}</td><td>{@code http2MaxConcurrentStreams}</td><td>integer &gt;= 1</td></tr>
 * <tr><td>{@code WEFT_HTTP2_INITIAL_WINDOW_BYTES}</td><td>{@code http2InitialWindowBytes}</td><td>integer &gt;= 1</td></tr>
 * <tr><td>{@code WEFT_HTTP2_MAX_FRAME_BYTES}</td><td>{@code http2MaxFrameBytes}</td><td>16384..16777215</td></tr>
 * <tr><td>{@code WEFT_TRUSTED_PROXIES}</td><td>{@code trustedProxies}</td><td>comma-separated addresses or networks</td></tr>
 * <tr><td>{@code WEFT_FORWARDED_HEADERS}</td><td>{@code forwardedHeaders}</td><td>x_forwarded or forwarded</td></tr>
 * <tr><td>{@code WEFT_PROXY_PROTOCOL}</td><td>{@code proxyProtocol}</td><td>true or false</td></tr>
 * <tr><td>{@code WEFT_HALF_CLOSE}</td><td>{@code halfClose}</td><td>true or false</td></tr>
 * </tbody>
 * </table>
 *
 * <p>TLS and {@code shutdownOnSignal} are set in code: certificate paths are the application's
 * business (read them with {@link Config} and pass a {@code Tls}).
 */
public final class ServerEnv {
    private ServerEnv() {}

    /** A {@link Server.Builder} with every {@code WEFT_*} server variable that is set applied. */
    public static Server.Builder read(Config config) {
        return apply(config, Server.builder());
    }

    /** Applies every {@code WEFT_*} server variable that is set to {@code builder}; returns it. */
    public static Server.Builder apply(Config config, Server.Builder builder) {
        config.optional("WEFT_HOST", Parsers.of("address or host name", "", ServerEnv::host)).ifPresent(builder::host);
        config.optional("WEFT_PORT", Parsers.portOrZero()).ifPresent(builder::port);
        config.optional("WEFT_IO_THREADS", Parsers.integer(1, 4096)).ifPresent(builder::ioThreads);
        config.optional("WEFT_TRANSPORT", Parsers.enumOf(Transport.class)).ifPresent(builder::transport);
        config.optional("WEFT_MAX_REQUEST_LINE_BYTES", atLeast(256)).ifPresent(builder::maxRequestLineBytes);
        config.optional("WEFT_MAX_HEADER_BYTES", atLeast(1024)).ifPresent(builder::maxHeaderBytes);
        config.optional("WEFT_MAX_HEADER_COUNT", atLeast(1)).ifPresent(builder::maxHeaderCount);
        config.optional("WEFT_REQUEST_HEAD_TIMEOUT", Parsers.positiveDuration()).ifPresent(builder::requestHeadTimeout);
        config.optional("WEFT_IDLE_TIMEOUT", Parsers.positiveDuration()).ifPresent(builder::idleTimeout);
        config.optional("WEFT_BODY_TIMEOUT", Parsers.positiveDuration()).ifPresent(builder::bodyTimeout);
        config.optional("WEFT_MIN_BODY_BYTES_PER_SECOND", atLeast(0)).ifPresent(builder::minBodyBytesPerSecond);
        config.optional("WEFT_BODY_RATE_GRACE", Parsers.duration()).ifPresent(builder::bodyRateGrace);
        config.optional("WEFT_BODY_DEADLINE", Parsers.duration()).ifPresent(builder::bodyDeadline);
        config.optional("WEFT_WRITE_TIMEOUT", Parsers.positiveDuration()).ifPresent(builder::writeTimeout);
        config.optional("WEFT_REQUEST_TIMEOUT", Parsers.duration()).ifPresent(builder::requestTimeout);
        config.optional("WEFT_MAX_CONNECTIONS", atLeast(1)).ifPresent(builder::maxConnections);
        config.optional("WEFT_MAX_IN_FLIGHT", atLeast(1)).ifPresent(builder::maxInFlight);
        config.optional("WEFT_SHUTDOWN_TIMEOUT", Parsers.duration()).ifPresent(builder::shutdownTimeout);
        config.optional("WEFT_HTTP2", Parsers.bool()).ifPresent(builder::http2);
        config.optional("WEFT_HTTP2_MAX_CONCURRENT_STREAMS", atLeast(1)).ifPresent(builder::http2MaxConcurrentStreams);
        config.optional("WEFT_HTTP2_INITIAL_WINDOW_BYTES", atLeast(1)).ifPresent(builder::http2InitialWindowBytes);
        config.optional("WEFT_HTTP2_MAX_FRAME_BYTES", Parsers.integer(16_384, 16_777_215))
                .ifPresent(builder::http2MaxFrameBytes);
        config.optional("WEFT_TRUSTED_PROXIES", Parsers.list(Parsers.of("address or network (10.0.0.0/8)", "",
                ServerEnv::network))).ifPresent(list -> builder.trustedProxies(list.toArray(String[]::new)));
        config.optional("WEFT_FORWARDED_HEADERS", Parsers.enumOf(ForwardedHeaders.class)).ifPresent(builder::forwardedHeaders);
        config.optional("WEFT_PROXY_PROTOCOL", Parsers.bool()).ifPresent(builder::proxyProtocol);
        config.optional("WEFT_HALF_CLOSE", Parsers.bool()).ifPresent(builder::halfClose);
        return builder;
    }

    private static ValueParser<Integer> atLeast(int min) {
        return Parsers.integer(min, Integer.MAX_VALUE);
    }

    private static String host(String text) {
        String s = text.strip();
        if (s.length() > 253 || !s.matches("[A-Za-z0-9.:\\-\\[\\]%]+")) {
            throw new IllegalArgumentException("not an address or host name");
        }
        return s;
    }

    private static String network(String text) {
        List<String> problems = new ArrayList<>();
        TrustedProxies.parse(List.of(text), ForwardedHeaders.X_FORWARDED, problems);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(problems.getFirst().replaceFirst("^trustedProxies: ", ""));
        }
        return text;
    }
}
