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
    /** Set by RequestDecompression: the body is read through these decoders. */
    private Decoding decoding;
    /** The decoded stream handed out, closed by {@link #release()} if its reader did not. */
    private InputStream opened;

    protected AbstractBody(OptionalLong declaredLength) {
        this.declaredLength = declaredLength;
    }

    /** Set by the router once the route, and so its limit, is known. */
    public final void limit(long limitBytes) {
        this.limit = limitBytes;
    }

    /** The route's limit, or with a decoding its limit on decoded bytes. */
    @Override
    public final long limit() {
        return decoding != null && decoding.maxDecodedBytes() >= 0 ? decoding.maxDecodedBytes() : limit;
    }

    /** Empty once the body is decoded: the length of the decoded body is not known beforehand. */
    @Override
    public final OptionalLong declaredLength() {
        return decoding != null ? OptionalLong.empty() : declaredLength;
    }

    /**
     * Reads the body through {@code decoding} from now on. The limits are resolved when the body
     * is read, so a decoding set by a root layer (before routing) still gets the route's limit.
     *
     * @throws IllegalStateException if the body was already read
     */
    public final void decode(Decoding decoding) {
        if (consumed) {
            throw new IllegalStateException("the request body was already read");
        }
        this.decoding = decoding;
    }

    /** Releases a decoding stream its reader left open (native decoder state). Idempotent. */
    public final void release() {
        InputStream in = opened;
        opened = null;
        if (in != null) {
            try {
                in.close();
            } catch (IOException e) {
                // nothing more to release
            }
        }
    }

    /** The rejection for a read past a limit: the route's body limit, or one of RequestDecompression's. */
    public static Rejection rejection(BodyTooLargeException e) {
        return e.limitName().equals(BodyTooLargeException.BODY_LIMIT)
                ? new Rejection.PayloadTooLarge(e.limitBytes())
                : new Rejection.CompressedPayloadTooLarge(e.limitName(), e.limitBytes());
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
            if (decoding == null && declaredLength.isPresent()
                    && declaredLength.getAsLong() <= Math.min(limit, Integer.MAX_VALUE - 8)) {
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
            throw new RejectedException(rejection(e));
        } catch (MalformedBodyException e) {
            throw new RejectedException(new Rejection.InvalidBody(e.getMessage()));
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
        if (decoding != null) {
            return decodedStream();
        }
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

    private InputStream decodedStream() {
        long wire = decoding.maxWireBytes() >= 0 ? decoding.maxWireBytes() : limit;
        long decoded = decoding.maxDecodedBytes() >= 0 ? decoding.maxDecodedBytes() : limit;
        if (declaredLength.isPresent() && declaredLength.getAsLong() > wire) {
            return new InputStream() {
                @Override
                public int read() throws IOException {
                    throw new BodyTooLargeException(wire, Decoding.WIRE);
                }
            };
        }
        InputStream in = new LimitedStream(decoding.open(new LimitedStream(open(), wire, Decoding.WIRE)), decoded,
                Decoding.DECODED);
        opened = in;
        return in;
    }

    /** Opens the raw body. Called at most once. */
    protected abstract InputStream open();

    private final class LimitedStream extends InputStream {
        private final InputStream in;
        private final long limit;
        private final String name;
        private long read;

        LimitedStream(InputStream in, long limit) {
            this(in, limit, BodyTooLargeException.BODY_LIMIT);
        }

        LimitedStream(InputStream in, long limit, String name) {
            this.in = in;
            this.limit = limit;
            this.name = name;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b < 0) {
                ended();
            } else if (++read > limit) {
                throw new BodyTooLargeException(limit, name);
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
                    throw new BodyTooLargeException(limit, name);
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
