package dev.weft.server;

import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * A server that is accepting connections. Closing it is graceful: it tells the
 * {@link #onShutdownStarted shutdown listeners} (readiness fails), goes on serving for the
 * {@code shutdownDelay} (zero by default) so load balancers stop sending, then stops accepting, closes
 * idle keep-alive connections, lets requests already being handled finish within the shutdown
 * timeout (pipelined ones on a connection too, the last answered with {@code Connection: close}),
 * sends HTTP/2 connections {@code GOAWAY}, then closes every connection and logs how many
 * requests were cut. Requests a connection receives after that are not started.
 */
public interface RunningServer extends AutoCloseable {

    /** The bound address (with the real port when configured with port 0). */
    InetSocketAddress address();

    /** The bound port. */
    default int port() {
        return address().getPort();
    }

    /** The engine's counters: open connections by protocol, live sessions, refusals by reason. */
    ServerStats stats();

    /** Blocks until the server has closed (after {@link #close()} or a JVM shutdown signal). */
    void awaitShutdown() throws InterruptedException;

    /** Shuts down gracefully with the configured timeout; returns once done. Idempotent. */
    @Override
    void close();

    /** Shuts down gracefully, giving in-flight requests at most {@code timeout}. */
    void close(Duration timeout);

    /**
     * Runs {@code listener} when shutdown starts (on {@link #close()} or a JVM shutdown signal),
     * first of all: before the {@code shutdownDelay} during which the server still serves
     * normally, and before the drain. {@code Health.attach} uses it to fail readiness first.
     * Listeners run once, in order, on the thread that closes; one that throws is logged and the
     * others still run. Added after shutdown started, it runs at once.
     */
    void onShutdownStarted(Runnable listener);
}
