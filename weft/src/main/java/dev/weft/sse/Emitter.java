package dev.weft.sse;

import java.io.IOException;

/**
 * Sends events on an event stream from blocking code (see {@link Sse#emit}). Used by the
 * producer's virtual thread; not meant to be shared between threads.
 */
public interface Emitter {

    /**
     * Sends {@code event}: queues it for the client, blocking while the client is behind (a small
     * bounded queue), so a fast producer is held back instead of buffered without limit.
     *
     * @throws IOException once the stream has ended: the client left, the server is shutting down
     *     or the stream's maximum lifetime passed (the producer should then return); an
     *     {@link java.io.InterruptedIOException} if the thread is interrupted (which is how the
     *     stream ending reaches a producer blocked elsewhere)
     */
    void send(Event event) throws IOException;

    /** Sends {@code Event.data(data)}. */
    default void send(String data) throws IOException {
        send(Event.data(data));
    }

    /** Whether events can still be sent: false once the stream has ended. */
    boolean open();
}
