package dev.weft.internal.http;

import dev.weft.extract.RejectedException;
import dev.weft.extract.Rejection;
import dev.weft.http.BodyTooLargeException;
import dev.weft.http.RequestBody;
import java.io.IOException;
import java.io.InputStream;
import java.util.OptionalLong;

/**
 * Limit enforcement shared by the in-memory and the network body. Confined to the request's
 * virtual thread.
 */
public abstract class AbstractBody implements RequestBody {
    /** The default body limit: 2 MiB. */
    public static final long DEFAULT_LIMIT = 2L * 1024 * 1024;

    private final OptionalLong declaredLength;
    private long limit = DEFAULT_LIMIT;
    private boolean consumed;
    /** Reading started and has not reached the end: volatile, as a deadline reads it from another thread. */
    private volatile boolean reading;

    protected AbstractBody(OptionalLong declaredLength) {
        this.declaredLength = declaredLength;
    }

    /** Set by the router once the route, and so its limit, is known. */
    public final void limit(long limitBytes) {
        this.limit = limitBytes;
    }

    @Override
    public final long limit() {
        return limit;
    }

    @Override
    public final OptionalLong declaredLength() {
        return declaredLength;
    }

    /**
     * Whether a handler or extractor is reading the body and has not reached its end: a deadline
     * passing now finds the request still arriving (408), not the server slow (503). Any thread.
     */
    public final boolean readingUnfinished() {
        return reading;
    }

    /** Whether a handler or extractor started reading the body. */
    public final boolean consumed() {
        return consumed;
    }

    @Override
    public final byte[] bytes() {
        // stream() already refuses a declared length over the limit (on the first read).
        try (InputStream in = stream()) {
            if (declaredLength.isPresent() && declaredLength.getAsLong() <= Math.min(limit, Integer.MAX_VALUE - 8)) {
                // Exactly the declared size (already checked against the limit); no copy buffer.
                int length = (int) declaredLength.getAsLong();
                byte[] body = in.readNBytes(length);
                if (body.length < length) {
                    throw new java.io.EOFException("body ended after " + body.length + " of " + length + " bytes");
                }
                reading = false;
                return body;
            }
            byte[] all = in.readAllBytes(); // the stream enforces the limit
            reading = false;
            return all;
        } catch (BodyTooLargeException e) {
            throw new RejectedException(new Rejection.PayloadTooLarge(limit));
        } catch (IOException e) {
            throw new RejectedException(new Rejection.InvalidBody("ended before it was complete"));
        }
    }

    @Override
    public final InputStream stream() {
        if (consumed) {
            throw new IllegalStateException("the request body was already read");
        }
        consumed = true;
        reading = true;
        if (declaredLength.isPresent() && declaredLength.getAsLong() > limit) {
            // Fail before reading a byte (and before a 100 Continue is sent).
            return new InputStream() {
                @Override
                public int read() throws IOException {
                    throw new BodyTooLargeException(limit);
                }
            };
        }
        return new LimitedStream(open(), limit);
    }

    /** The reader saw the end of the body. */
    private void ended() {
        reading = false;
    }

    /** Opens the raw body. Called at most once. */
    protected abstract InputStream open();

    private final class LimitedStream extends InputStream {
        private final InputStream in;
        private final long limit;
        private long read;

        LimitedStream(InputStream in, long limit) {
            this.in = in;
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b < 0) {
                ended();
            } else if (++read > limit) {
                throw new BodyTooLargeException(limit);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n < 0) {
                ended();
            } else if (n > 0) {
                read += n;
                if (read > limit) {
                    throw new BodyTooLargeException(limit);
                }
            }
            return n;
        }

        @Override
        public int available() throws IOException {
            return in.available();
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
