package dev.weft.internal.netty;

import dev.weft.routing.Router;
import dev.weft.server.ServerStats;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What every connection of one server shares: the router, the options, the in-flight count, and
 * the long-lived exchanges (WebSocket sessions, event streams) that shutdown must end.
 */
final class ServerState {

    /**
     * A long-lived exchange that outlives a request's turn: a WebSocket session or an event
     * stream. Registered while open; told once when shutdown starts.
     */
    interface Live {
        /** Shutdown started: end the exchange (close 1001, end the stream) within the drain deadline. Any thread. */
        void goingAway();
    }

    private final Router router;
    private final ServerConfig config;
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    /** Taken only to wake {@link #awaitIdle}: counting requests in and out is lock-free. */
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition idle = lock.newCondition();
    /** Someone waits for the server to be idle (set once, at shutdown): the last request wakes them. */
    private volatile boolean awaited;
    private volatile boolean draining;
    private final Set<Live> live = ConcurrentHashMap.newKeySet();
    /** Counters for {@link #stats()}: bumped where the engine already takes a decision, never locked. */
    private final AtomicInteger http2Connections = new AtomicInteger();
    private final AtomicInteger webSockets = new AtomicInteger();
    private final AtomicInteger eventStreams = new AtomicInteger();
    private final LongAdder[] refusals = new LongAdder[ServerStats.Refusal.values().length];
    private final ServerStats stats = new Stats();

    ServerState(Router router, ServerConfig config) {
        this.router = router;
        this.config = config;
        for (int i = 0; i < refusals.length; i++) {
            refusals[i] = new LongAdder();
        }
    }

    /** The read-only view of this server's counters. */
    ServerStats stats() {
        return stats;
    }

    /** The engine answered a request (or closed a connection) itself, for {@code reason}. */
    void refused(ServerStats.Refusal reason) {
        refusals[reason.ordinal()].increment();
    }

    /** A connection now speaks HTTP/2; {@link #http2Closed} when it closes. */
    void http2Opened() {
        http2Connections.incrementAndGet();
    }

    void http2Closed() {
        http2Connections.decrementAndGet();
    }

    private AtomicInteger counterOf(Live exchange) {
        return exchange instanceof WebSocketSession ? webSockets : eventStreams;
    }

    Router router() {
        return router;
    }

    ServerConfig config() {
        return config;
    }

    boolean draining() {
        return draining;
    }

    void startDraining() {
        draining = true;
    }

    /**
     * Registers {@code exchange} until {@link #unregister}; returns false (registering nothing) if
     * shutdown has started, so the caller refuses or ends it at once.
     */
    boolean register(Live exchange) {
        if (live.add(exchange)) {
            counterOf(exchange).incrementAndGet();
        }
        if (draining) {
            unregister(exchange);
            return false;
        }
        return true;
    }

    void unregister(Live exchange) {
        if (live.remove(exchange)) { // counted down once, however often an exchange ends
            counterOf(exchange).decrementAndGet();
        }
    }

    /** How many long-lived exchanges are open. */
    int liveCount() {
        return live.size();
    }

    /** Waits until no long-lived exchange is open or {@code nanos} pass; returns how many are still open. */
    int awaitLive(long nanos) throws InterruptedException {
        long end = System.nanoTime() + nanos;
        while (!live.isEmpty() && end - System.nanoTime() > 0) {
            Thread.sleep(10); // shutdown only: a poll is simpler than a second condition
        }
        return live.size();
    }

    /** Shutdown: tells every long-lived exchange to end. Call after {@link #startDraining}. */
    void endLive() {
        for (Live exchange : live) {
            exchange.goingAway();
        }
    }

    /** Whether {@code maxInFlight} requests are in flight (a racy read is fine: it only delays). */
    boolean atInFlightLimit() {
        return inFlight.get() >= config.maxInFlight();
    }

    /** Counts a request in if fewer than {@code maxInFlight} are in flight. */
    boolean tryStartRequest() {
        int max = config.maxInFlight();
        while (true) {
            int n = inFlight.get();
            if (n >= max) {
                return false;
            }
            if (inFlight.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    /** Counts a connection in if fewer than {@code maxConnections} are open. */
    boolean tryOpenConnection() {
        while (true) {
            int open = connections.get();
            if (open >= config.maxConnections()) {
                return false;
            }
            if (connections.compareAndSet(open, open + 1)) {
                return true;
            }
        }
    }

    void connectionClosed() {
        connections.decrementAndGet();
    }

    /** Counts a request in unconditionally (a request answered by the server itself). */
    void requestStarted() {
        inFlight.incrementAndGet();
    }

    void requestFinished() {
        // A waiter sets awaited before it reads the count, this side decrements before it reads
        // awaited: one of the two sees the other's write, so the last request is never missed.
        if (inFlight.decrementAndGet() == 0 && awaited) {
            lock.lock();
            try {
                idle.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /** Waits until no request is in flight or {@code nanos} pass; returns how many are still in flight. */
    int awaitIdle(long nanos) throws InterruptedException {
        lock.lock();
        try {
            awaited = true;
            while (inFlight.get() > 0 && nanos > 0) {
                nanos = idle.awaitNanos(nanos);
            }
            return inFlight.get();
        } finally {
            lock.unlock();
        }
    }

    private final class Stats implements ServerStats {
        @Override public int openConnections() { return Math.max(0, connections.get()); }
        @Override public int http2Connections() { return Math.max(0, http2Connections.get()); }
        @Override public int webSocketSessions() { return Math.max(0, webSockets.get()); }
        @Override public int eventStreams() { return Math.max(0, eventStreams.get()); }
        @Override public int requestsInFlight() { return Math.max(0, inFlight.get()); }
        @Override public long refused(Refusal reason) { return refusals[reason.ordinal()].sum(); }
        @Override public String toString() {
            return "ServerStats[connections=" + openConnections() + ", h2=" + http2Connections()
                    + ", ws=" + webSocketSessions() + ", sse=" + eventStreams() + ", inFlight=" + requestsInFlight() + "]";
        }
    }
}
