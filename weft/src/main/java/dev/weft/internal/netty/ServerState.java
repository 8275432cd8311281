package dev.weft.internal.netty;

import dev.weft.routing.Router;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/** What every connection of one server shares: the router, the options, and the in-flight count. */
final class ServerState {
    private final Router router;
    private final ServerConfig config;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition idle = lock.newCondition();
    private final java.util.concurrent.atomic.AtomicInteger connections = new java.util.concurrent.atomic.AtomicInteger();
    private volatile boolean draining;
    private int inFlight;
    /** {@link #inFlight} published for lock-free reads. */
    private volatile int inFlightCount;

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
        return inFlightCount >= config.maxInFlight();
    }

    /** Counts a request in if fewer than {@code maxInFlight} are in flight. */
    boolean tryStartRequest() {
        lock.lock();
        try {
            if (inFlight >= config.maxInFlight()) {
                return false;
            }
            inFlightCount = ++inFlight;
            return true;
        } finally {
            lock.unlock();
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
        lock.lock();
        try {
            inFlightCount = ++inFlight;
        } finally {
            lock.unlock();
        }
    }

    void requestFinished() {
        lock.lock();
        try {
            inFlightCount = --inFlight;
            if (inFlight == 0) {
                idle.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Waits until no request is in flight or {@code nanos} pass; returns how many are still in flight. */
    int awaitIdle(long nanos) throws InterruptedException {
        lock.lock();
        try {
            while (inFlight > 0 && nanos > 0) {
                nanos = idle.awaitNanos(nanos);
            }
            return inFlight;
        } finally {
            lock.unlock();
        }
    }
}
