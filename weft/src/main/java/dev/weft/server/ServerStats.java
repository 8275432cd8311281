package dev.weft.server;

/**
 * A read-only view of a running server's engine counters, for metrics and health checks
 * ({@code weft-metrics} binds them as gauges and counters). Every read is a cheap, lock-free
 * snapshot of one counter; two reads need not be consistent with each other.
 */
public interface ServerStats {

    /** Why the engine answered a request itself instead of running the router. */
    enum Refusal {
        /** {@code 503}: more than {@code maxInFlight} requests in flight (load shedding). */
        OVERLOAD,
        /** {@code 431}: the request head was larger than {@code maxHeaderBytes} or had too many fields. */
        HEADER_TOO_LARGE,
        /** {@code 408}: the request head did not arrive within {@code requestHeadTimeout}. */
        HEAD_TIMEOUT,
        /** {@code 408}: the request body paused too long or arrived too slowly. */
        BODY_TIMEOUT,
        /** The connection was closed at once: {@code maxConnections} were open. */
        CONNECTION_LIMIT
    }

    /** TCP connections open now, whatever they speak. */
    int openConnections();

    /** Connections speaking HTTP/1.1 now (open connections that are neither HTTP/2 nor WebSocket). */
    default int http1Connections() {
        return Math.max(0, openConnections() - http2Connections() - webSocketSessions());
    }

    /** Connections speaking HTTP/2 now (ALPN {@code h2}, {@code h2c} upgrade or prior knowledge). */
    int http2Connections();

    /** WebSocket sessions open now (each on a connection upgraded from HTTP/1.1). */
    int webSocketSessions();

    /** Server-sent event streams open now. */
    int eventStreams();

    /** Requests being handled now, including those the engine answers itself. */
    int requestsInFlight();

    /** How many requests (or, for {@link Refusal#CONNECTION_LIMIT}, connections) were refused for {@code reason} since start. */
    long refused(Refusal reason);
}
