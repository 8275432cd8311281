package dev.weft.internal.http;

import dev.weft.http.BodyTooLargeException;
import dev.weft.internal.compress.Coding;
import dev.weft.internal.compress.Decoders;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * The content codings a request body was sent with, to be undone as it is read, and the two
 * limits that apply then (set by {@code RequestDecompression}).
 *
 * @param codings in the order the sender applied them (the last is undone first)
 * @param maxWireBytes the most bytes read as sent, or -1 for the route's body limit
 * @param maxDecodedBytes the most bytes once decoded, or -1 for the route's body limit
 */
public record Decoding(List<Coding> codings, long maxWireBytes, long maxDecodedBytes) {
    public static final String WIRE = "maxWireBytes";
    public static final String DECODED = "maxDecodedBytes";

    public Decoding {
        codings = List.copyOf(codings);
    }

    String names() {
        return String.join(", ", codings.stream().map(Coding::token).toList());
    }

    /**
     * The decoded body over {@code raw} (already bounded by the wire limit). Opened on the first
     * read (gzip reads its header when opened, and a read is where failures belong). Failures of
     * the decoder become {@link MalformedBodyException}; failures of {@code raw} (the wire limit,
     * the client leaving) pass as they are. Reaching the end or closing releases the decoders'
     * native state.
     */
    InputStream open(InputStream raw) {
        return new DecodingStream(new Tagged(raw), this);
    }

    /** Remembers the last failure of the raw body, to tell it from a decoder's. */
    private static final class Tagged extends java.io.FilterInputStream {
        IOException failure;

        Tagged(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                return in.read();
            } catch (IOException e) {
                failure = e;
                throw e;
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return in.read(b, off, len);
            } catch (IOException e) {
                failure = e;
                throw e;
            }
        }
    }

    private static final class DecodingStream extends InputStream {
        private final Tagged raw;
        private final Decoding decoding;
        private InputStream decoded;
        private boolean closed;

        DecodingStream(Tagged raw, Decoding decoding) {
            this.raw = raw;
            this.decoding = decoding;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (closed) {
                return -1;
            }
            try {
                if (decoded == null) {
                    InputStream in = raw;
                    for (int i = decoding.codings().size() - 1; i >= 0; i--) {
                        in = Decoders.open(decoding.codings().get(i), in);
                    }
                    decoded = in;
                }
                int n = decoded.read(b, off, len);
                if (n < 0) {
                    close(); // release the native state as soon as the body is done
                }
                return n;
            } catch (IOException | RuntimeException e) {
                close();
                if (e instanceof IOException io && (io == raw.failure || io instanceof BodyTooLargeException)) {
                    throw io;
                }
                throw new MalformedBodyException("is not valid " + decoding.names()
                        + " data (truncated or corrupt)", e);
            }
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            try {
                (decoded != null ? decoded : raw).close();
            } catch (IOException | RuntimeException e) {
                // the body is done with either way; what mattered was releasing the decoders
            }
        }
    }
}
