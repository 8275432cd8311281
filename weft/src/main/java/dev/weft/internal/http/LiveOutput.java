package dev.weft.internal.http;

import dev.weft.json.JsonCodec;

/**
 * What a long-lived streamed body (an event stream) needs from the output it writes to beyond
 * {@link dev.weft.response.BodyOutput}: to learn, while it writes nothing, that the client left
 * or that the server is shutting down. The server's response streams implement it, and so does
 * the test kit's in-memory stream; a body that finds its output does not (a HEAD length probe, a
 * buffering client) simply runs without these signals.
 *
 * <p>{@link #watch} and {@link #unwatch} are called by the writing thread; the other methods may
 * be called from any thread.
 */
public interface LiveOutput {

    /**
     * Starts watching: from now until {@link #unwatch}, {@code wake} runs (on any thread, possibly
     * an event loop, so it must not block) whenever the client may have gone or shutdown starts.
     * Registers the stream with the server's shutdown; if shutdown has already started,
     * {@link #goingAway()} is true at once.
     */
    void watch(Runnable wake);

    /** Stops watching and leaves the server's shutdown registry. */
    void unwatch();

    /** Whether the client can still receive the body. */
    boolean clientConnected();

    /** Whether the server is shutting down and wants the stream ended now. */
    boolean goingAway();

    /** The application's JSON codec. */
    JsonCodec codec();
}
