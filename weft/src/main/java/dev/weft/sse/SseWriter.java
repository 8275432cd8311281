package dev.weft.sse;

import dev.weft.internal.http.Exchange;
import dev.weft.internal.http.LiveOutput;
import dev.weft.internal.json.JacksonCodec;
import dev.weft.json.JsonCodec;
import dev.weft.response.BodyOutput;
import dev.weft.response.BodyWriter;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes an event stream: runs the producer on a virtual thread of its own and sends what it
 * hands over, each event flushed, with a keep-alive comment after {@code keepAlive} without one.
 *
 * <p>Runs on the response's virtual thread (the writer). It waits on the {@link Handoff} for at
 * most {@link #POLL_NANOS} at a time, and is poked by the server when the client leaves or
 * shutdown starts (see {@link LiveOutput}), so it notices either while nothing is produced. When
 * the stream ends for any reason other than the producer finishing, the hand-off is closed (an
 * emitter's {@code send} throws) and the producer is interrupted; the writer then waits up to
 * {@link #PRODUCER_GRACE_MILLIS} for it before the response ends.
 */
final class SseWriter implements BodyWriter {
    private static final Logger LOG = LoggerFactory.getLogger(SseWriter.class);
    /** The longest wait without looking at the stream's state: bounds a missed wake-up. */
    static final long POLL_NANOS = TimeUnit.SECONDS.toNanos(1);
    static final long PRODUCER_GRACE_MILLIS = 2_000;
    private static final byte[] KEEP_ALIVE = ":\n\n".getBytes(StandardCharsets.US_ASCII);

    /** Where events come from; {@link #run} runs on the producer's thread. */
    interface Source {
        /** Produces every event into {@code sink}; returns at the end. */
        void run(Sink sink) throws Exception;

        /** The stream will not be sent (HEAD): releases what the source holds. */
        void discard();
    }

    /** Where a source puts its events: encodes them and queues them for the writer. */
    static final class Sink implements Emitter {
        private final Handoff handoff;
        private final JsonCodec codec;

        Sink(Handoff handoff, JsonCodec codec) {
            this.handoff = handoff;
            this.codec = codec;
        }

        @Override
        public void send(Event event) throws IOException {
            byte[] bytes = java.util.Objects.requireNonNull(event, "event").encode(codec);
            handoff.put(bytes);
        }

        @Override
        public boolean open() {
            return handoff.open();
        }
    }

    private final Source source;
    private final long keepAliveNanos;
    private final long lifetimeNanos;

    SseWriter(Source source, Sse.Options options) {
        this.source = source;
        this.keepAliveNanos = options.keepAlive().toNanos();
        this.lifetimeNanos = options.maxLifetime().toNanos();
    }

    @Override
    public void writeTo(BodyOutput out) throws IOException {
        LiveOutput live = out instanceof LiveOutput l ? l : null;
        // The head goes out now: a client (an EventSource) counts the stream open once it has it.
        out.flush();
        Handoff handoff = new Handoff();
        JsonCodec codec = live != null ? live.codec() : JacksonCodec.DEFAULT;
        if (live != null) {
            live.watch(handoff::poke);
        }
        Thread producer = null;
        String ending = "the producer finished";
        try {
            Sink sink = new Sink(handoff, codec);
            producer = Thread.ofVirtual().name("weft-sse-producer").start(() -> produce(sink, handoff));
            ending = pump(out, live, handoff);
        } catch (IOException | RuntimeException | Error e) {
            ending = e instanceof IOException && !(e instanceof Exchange.StreamLengthException)
                    ? "the client left" : "the stream failed";
            throw e;
        } finally {
            handoff.close(ending);
            if (live != null) {
                live.unwatch();
            }
            if (producer != null) {
                stop(producer, handoff);
            }
        }
    }

    private void produce(Sink sink, Handoff handoff) {
        Throwable failure = null;
        try {
            source.run(sink);
        } catch (Throwable t) {
            failure = t;
        } finally {
            handoff.end(failure);
        }
    }

    /** Sends events until the stream ends; returns why it ended, or throws if it must be cut off. */
    private String pump(BodyOutput out, LiveOutput live, Handoff handoff) throws IOException {
        long now = System.nanoTime();
        long endOfLife = lifetimeNanos > 0 ? now + lifetimeNanos : Long.MAX_VALUE;
        long nextKeepAlive = keepAliveNanos > 0 ? now + keepAliveNanos : Long.MAX_VALUE;
        while (true) {
            if (live != null) {
                if (!live.clientConnected()) {
                    throw new Exchange.ClientGoneException("the client left the event stream");
                }
                if (live.goingAway()) {
                    return "the server is shutting down";
                }
            }
            now = System.nanoTime();
            if (now - endOfLife >= 0) {
                return "the stream reached its maximum lifetime";
            }
            long wait = Math.min(POLL_NANOS, Math.min(endOfLife - now, nextKeepAlive - now));
            Object next = handoff.take(Math.max(0, wait));
            switch (next) {
                case byte[] event -> {
                    out.write(event);
                    out.flush();
                    nextKeepAlive = keepAliveNanos > 0 ? System.nanoTime() + keepAliveNanos : Long.MAX_VALUE;
                }
                case Handoff.Failed failed -> throw failure(failed.cause());
                case null -> {
                    if (System.nanoTime() - nextKeepAlive >= 0) {
                        out.write(KEEP_ALIVE);
                        out.flush();
                        nextKeepAlive = System.nanoTime() + keepAliveNanos;
                    }
                }
                default -> {
                    return "the producer finished"; // Handoff.END
                }
            }
        }
    }

    private static IOException failure(Throwable cause) {
        return switch (cause) {
            case IOException io -> new IOException("the event producer failed: " + io.getMessage(), io);
            case RuntimeException runtime -> throw runtime;
            case Error error -> throw error;
            default -> new IOException("the event producer failed: " + cause, cause);
        };
    }

    /** Interrupts a producer that has not finished and waits a little for it. */
    private static void stop(Thread producer, Handoff handoff) {
        if (!handoff.ended()) {
            producer.interrupt();
        }
        boolean interrupted = false;
        try {
            if (!producer.join(java.time.Duration.ofMillis(PRODUCER_GRACE_MILLIS))) {
                LOG.warn("an event stream's producer did not finish within {} ms of being interrupted;"
                        + " it goes on unobserved", PRODUCER_GRACE_MILLIS);
            }
        } catch (InterruptedException e) {
            interrupted = true;
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void discard() {
        source.discard();
    }
}
