package dev.weft.internal.ws;

import dev.weft.ws.WebSocket;

/**
 * What a broadcast hub needs of a session beyond {@link WebSocket}: a send that never blocks,
 * a call when room frees up, and a call when the session ends. Implemented by every
 * {@link WebSocket} Weft hands out (on a socket and in memory).
 */
public interface Port {

    /**
     * Queues {@code message} for sending unless the bytes not yet written would pass the
     * session's bound; never blocks. Returns false (queueing nothing) when there is no room or
     * the session is closed.
     */
    boolean offer(SharedFrame message);

    /**
     * Calls {@code listener} (on an I/O thread; it must not block) each time bytes pending on the
     * socket drop to half the bound or less after having been over it.
     */
    void onRoom(Runnable listener);

    /** Calls {@code listener} once when the session ends (at once if it has). */
    void onEnd(Runnable listener);

    /** Ends the session as a slow consumer: Close 1008 with {@code reason}, then the connection closes. */
    void closeSlow(String reason);

    /** Whether the session has ended or is closing. */
    boolean ended();
}
