package dev.weft.internal.netty;

import dev.weft.routing.Router;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/** What every connection of one server shares: the router, the options, and the in-flight count. */
final class ServerState {
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

    ServerState(Router router, ServerConfig config) {
        this.router = router;
        this.config = config;
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
}
