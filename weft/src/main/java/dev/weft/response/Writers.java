package dev.weft.response;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Objects;
import java.util.stream.Stream;

/** The {@link BodyWriter}s behind {@link Response}'s streaming factories. */
final class Writers {
    private Writers() {}

    /** Copies {@code in}, then closes it; closes it unread when discarded. */
    static BodyWriter copying(InputStream in) {
        Objects.requireNonNull(in, "in");
        return new BodyWriter() {
            @Override
            public void writeTo(BodyOutput out) throws IOException {
                try (in) {
                    in.transferTo(out);
                }
            }

            @Override
            public void discard() {
                closeQuietly(in);
            }
        };
    }

    /** Each element as it comes, flushed: a chunk each. */
    static BodyWriter chunks(Iterator<byte[]> chunks, AutoCloseable resource) {
        return items(chunks, resource, Framing.RAW, true, ItemWriter.BYTES);
    }

    /** Each element as one line of JSON; what waits longer than {@link Pacer#DELAY_MILLIS} ms is sent. */
    static BodyWriter jsonLines(Iterator<?> items, AutoCloseable resource) {
        return items(items, resource, Framing.LINES, false, ItemWriter.JSON);
    }

    /** The elements as one JSON array, written element by element, paced like {@link #jsonLines}. */
    static BodyWriter jsonArray(Iterator<?> items, AutoCloseable resource) {
        return items(items, resource, Framing.ARRAY, false, ItemWriter.JSON);
    }

    /** What goes around and between the elements. */
    private record Framing(byte[] prefix, byte[] separator, byte[] terminator, byte[] suffix) {
        static final byte[] NONE = {};
        static final Framing RAW = new Framing(NONE, NONE, NONE, NONE);
        static final Framing LINES = new Framing(NONE, NONE, new byte[] {'\n'}, NONE);
        static final Framing ARRAY = new Framing(new byte[] {'['}, new byte[] {','}, NONE, new byte[] {']'});
    }

    static AutoCloseable resourceOf(Iterator<?> iterator) {
        return iterator instanceof AutoCloseable closeable ? closeable : null;
    }

    private interface ItemWriter {
        ItemWriter BYTES = (out, item) -> out.write((byte[]) Objects.requireNonNull(item, "a chunk was null"));
        ItemWriter JSON = BodyOutput::writeJson;

        void write(BodyOutput out, Object item) throws IOException;
    }

    private static <T> BodyWriter items(Iterator<T> items, AutoCloseable resource, Framing framing,
            boolean flushEach, ItemWriter writer) {
        Objects.requireNonNull(items, "items");
        return new BodyWriter() {
            @Override
            public void writeTo(BodyOutput out) throws IOException {
                Pacer pacer = flushEach ? null : new Pacer(out);
                try {
                    out.write(framing.prefix());
                    boolean first = true;
                    while (items.hasNext()) { // may block: the pacer sends what waits meanwhile
                        T item = items.next();
                        boolean separate = !first;
                        Pacer.Write write = () -> {
                            if (separate) {
                                out.write(framing.separator());
                            }
                            writer.write(out, item);
                            out.write(framing.terminator());
                        };
                        if (pacer == null) {
                            write.run();
                            out.flush();
                        } else {
                            pacer.write(write);
                        }
                        first = false;
                    }
                    if (pacer != null) {
                        pacer.stop();
                    }
                    out.write(framing.suffix());
                } catch (UncheckedIOException e) {
                    throw e.getCause();
                } finally {
                    if (pacer != null) {
                        pacer.close();
                    }
                    discard();
                }
            }

            @Override
            public void discard() {
                closeQuietly(resource);
            }
        };
    }

    private static void closeQuietly(AutoCloseable resource) {
        if (resource == null) {
            return;
        }
        try {
            resource.close();
        } catch (Exception e) {
            // the body is done with it either way; a failing close is not the client's problem
        }
    }
}
