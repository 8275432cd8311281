package dev.weft.sse;

import java.util.Iterator;
import java.util.Objects;

/** The {@link SseWriter.Source}s behind {@link Sse}'s factories. */
final class Sources {
    private Sources() {}

    /** Each element of an iterator, then the resource behind it is closed (on the producer's thread). */
    record OfIterator(Iterator<Event> events, AutoCloseable resource) implements SseWriter.Source {
        @Override
        public void run(SseWriter.Sink sink) throws Exception {
            try {
                while (events.hasNext()) {
                    sink.send(Objects.requireNonNull(events.next(), "an event was null"));
                }
            } finally {
                discard();
            }
        }

        @Override
        public void discard() {
            if (resource != null) {
                try {
                    resource.close();
                } catch (Exception e) {
                    // the stream is over either way; a failing close is not the client's problem
                }
            }
        }
    }

    /** A producer writing to an emitter. */
    record OfProducer(Sse.Producer producer) implements SseWriter.Source {
        @Override
        public void run(SseWriter.Sink sink) throws Exception {
            producer.produce(sink);
        }

        @Override
        public void discard() {}
    }
}
