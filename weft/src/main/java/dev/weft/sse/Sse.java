package dev.weft.sse;

import dev.weft.extract.Extractor;
import dev.weft.http.Headers;
import dev.weft.response.Response;
import dev.weft.response.ResponseBody;
import dev.weft.response.Status;
import java.time.Duration;
import java.util.Iterator;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Server-sent event streams ({@code text/event-stream}): responses fed from a {@link Stream} or
 * {@link Iterator} of {@link Event}s, or from a blocking {@link Emitter}.
 *
 * {@snippet class=dev.weft.sse.SseExamples region=emit}
 *
 * <p>The producer runs on a virtual thread of its own and may block; each event is flushed as
 * it is sent. See the package documentation for the headers sent, keep-alive comments, what
 * happens when the client leaves or the server shuts down, and the options' defaults.
 */
public final class Sse {
    /** The media type of an event stream. */
    public static final String CONTENT_TYPE = "text/event-stream";

    private static final Headers HEADERS = Headers.of(
            "content-type", CONTENT_TYPE,
            "cache-control", "no-cache",
            "x-accel-buffering", "no");
    private static final Options DEFAULTS = new Options(Duration.ofSeconds(15), Duration.ZERO);

    private Sse() {}

    /**
     * Produces events by blocking calls to an {@link Emitter}, on a virtual thread of its own.
     * Return to end the stream; throw to cut it off (logged).
     */
    @FunctionalInterface
    public interface Producer {
        /** Sends the stream's events with {@code emitter}; the stream ends when this returns. */
        void produce(Emitter emitter) throws Exception;
    }

    /** An event stream of {@code events}, with the default options; the stream is closed at the end. */
    public static Response stream(Stream<Event> events) {
        return DEFAULTS.stream(events);
    }

    /** An event stream of {@code events}, with the default options; closed at the end if {@link AutoCloseable}. */
    public static Response stream(Iterator<Event> events) {
        return DEFAULTS.stream(events);
    }

    /** An event stream that {@code producer} feeds through an {@link Emitter}, with the default options. */
    public static Response emit(Producer producer) {
        return DEFAULTS.emit(producer);
    }

    /** The default options (keep-alive every 15 s, no maximum lifetime), to change some. */
    public static Options options() {
        return DEFAULTS;
    }

    /**
     * The {@code Last-Event-ID} request header a reconnecting client sends: the id of the last
     * event it received. Empty when absent or empty.
     *
     * {@snippet class=dev.weft.sse.SseExamples region=resume}
     */
    public static Extractor<Optional<String>> lastEventId() {
        return request -> request.header("last-event-id").filter(id -> !id.isEmpty());
    }

    /**
     * How an event stream behaves; immutable, each setter returns a copy.
     *
     * <table>
     *   <caption>Event stream options</caption>
     *   <tr><th>option</th><th>default</th><th>meaning</th></tr>
     *   <tr><td>{@link #keepAlive(Duration) keepAlive}</td><td>15 s</td><td>a comment line ({@code :})
     *       is sent after this long without an event, so proxies and load balancers keep the
     *       connection open; each event restarts the wait; zero disables</td></tr>
     *   <tr><td>{@link #maxLifetime(Duration) maxLifetime}</td><td>zero (none)</td><td>the stream
     *       ends cleanly after this long; the client reconnects with {@code Last-Event-ID}</td></tr>
     * </table>
     */
    public static final class Options {
        private final Duration keepAlive;
        private final Duration maxLifetime;

        private Options(Duration keepAlive, Duration maxLifetime) {
            this.keepAlive = keepAlive;
            this.maxLifetime = maxLifetime;
        }

        /**
         * A copy sending a keep-alive comment after {@code interval} without an event;
         * {@link Duration#ZERO} disables them.
         *
         * @throws IllegalArgumentException if {@code interval} is negative
         */
        public Options keepAlive(Duration interval) {
            return new Options(nonNegative(interval, "keepAlive"), maxLifetime);
        }

        /**
         * A copy whose streams end cleanly after {@code lifetime}; {@link Duration#ZERO} for no limit.
         *
         * @throws IllegalArgumentException if {@code lifetime} is negative
         */
        public Options maxLifetime(Duration lifetime) {
            return new Options(keepAlive, nonNegative(lifetime, "maxLifetime"));
        }

        /** The keep-alive interval; zero when disabled. */
        public Duration keepAlive() {
            return keepAlive;
        }

        /** The maximum lifetime of a stream; zero when unlimited. */
        public Duration maxLifetime() {
            return maxLifetime;
        }

        /** An event stream of {@code events} with these options; the stream is closed at the end. */
        public Response stream(Stream<Event> events) {
            Objects.requireNonNull(events, "events");
            return response(new Sources.OfIterator(events.iterator(), events));
        }

        /** An event stream of {@code events} with these options; closed at the end if {@link AutoCloseable}. */
        public Response stream(Iterator<Event> events) {
            Objects.requireNonNull(events, "events");
            return response(new Sources.OfIterator(events, events instanceof AutoCloseable c ? c : null));
        }

        /** An event stream that {@code producer} feeds through an {@link Emitter}, with these options. */
        public Response emit(Producer producer) {
            Objects.requireNonNull(producer, "producer");
            return response(new Sources.OfProducer(producer));
        }

        private Response response(SseWriter.Source source) {
            return Response.of(Status.OK, HEADERS, new ResponseBody.Streaming(new SseWriter(source, this), -1));
        }

        private static Duration nonNegative(Duration value, String name) {
            Objects.requireNonNull(value, name);
            if (value.isNegative()) {
                throw new IllegalArgumentException(name + " must not be negative, got " + value);
            }
            return value;
        }

        @Override
        public String toString() {
            return "Sse.Options[keepAlive=" + keepAlive + ", maxLifetime=" + maxLifetime + "]";
        }
    }
}
