package dev.weft.internal.netty;

import dev.weft.routing.Router;
import dev.weft.server.Server;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/** What every connection of one server shares: the router, the options, and the in-flight count. */
final class ServerState {
    private final Router router;
    private final Server.Config config;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition idle = lock.newCondition();
    private volatile boolean draining;
    private int inFlight;

    ServerState(Router router, Server.Config config) {
        this.router = router;
        this.config = config;
    }

    Router router() {
        return router;
    }

    Server.Config config() {
        return config;
    }

    boolean draining() {
        return draining;
    }

    void startDraining() {
        draining = true;
    }

    void requestStarted() {
        lock.lock();
        try {
            inFlight++;
        } finally {
            lock.unlock();
        }
    }

    void requestFinished() {
        lock.lock();
        try {
            if (--inFlight == 0) {
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
