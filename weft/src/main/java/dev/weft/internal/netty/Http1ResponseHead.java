package dev.weft.internal.netty;

import dev.weft.internal.http.Exchange;
import dev.weft.response.Status;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.FastThreadLocal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.BiConsumer;

/** How a finished response becomes HTTP/1.x: the bytes of a complete response, or a streamed head and chunks. */
final class Http1ResponseHead {
    /** Response headers were validated when the {@code Response} was built; no second check. */
    private static final DefaultHttpHeadersFactory UNVALIDATED_HEADERS =
            DefaultHttpHeadersFactory.headersFactory().withValidation(false);

    private Http1ResponseHead() {}

    private static final FastThreadLocal<HeadWriter> WRITERS = new FastThreadLocal<>() {
        @Override
        protected HeadWriter initialValue() {
            return new HeadWriter();
        }
    };

    /**
     * A complete response, head and body, as the bytes of one buffer for the wire, in
     * {@code version}. Written past Netty's encoder: the head is laid out in a reused array and
     * copied in one go, instead of through a {@code HttpHeaders} map and a byte-at-a-time
     * encoding. Header values were validated when the {@code Response} was built; each
     * character is written as its Latin-1 byte, as Netty's encoder does.
     *
     * @param connection the {@code connection} value the server decided on, replacing any the
     *     handler set; null keeps the handler's
     * @param bodiless whether the response answers a HEAD request: the body is left out, its
     *     {@code content-length} kept
     */
    static ByteBuf encode(ByteBufAllocator alloc, Exchange.Finished finished, HttpVersion version, String connection,
            boolean bodiless) {
        return WRITERS.get().write(alloc, finished, version, connection, bodiless);
    }

    /** Lays out response heads; one per event loop thread, reused. */
    private static final class HeadWriter implements BiConsumer<String, String> {
        private static final int INITIAL = 512;
        /** A head larger than this is not kept for the next response. */
        private static final int KEPT = 16 * 1024;
        private static final byte[] EMPTY = new byte[0];
        /** {@code HTTP/1.1 <code> <reason>\r\n} of the standard statuses, by code; filled as met. */
        private static final StatusLine[] LINES = new StatusLine[600];

        private record StatusLine(String reason, byte[] bytes) {}

        private byte[] bytes = new byte[INITIAL];
        private int length;
        /** Whether the handler's own {@code connection} headers are replaced. */
        private boolean replaceConnection;

        ByteBuf write(ByteBufAllocator alloc, Exchange.Finished finished, HttpVersion version, String connection,
                boolean bodiless) {
            length = 0;
            statusLine(version, finished.status());
            replaceConnection = connection != null;
            finished.forEachHeader(this);
            if (connection != null) {
                accept0("connection", connection);
            }
            ensure(2);
            bytes[length++] = '\r';
            bytes[length++] = '\n';
            byte[] body = bodiless ? EMPTY : finished.body();
            ByteBuf out = alloc.directBuffer(length + body.length);
            out.writeBytes(bytes, 0, length).writeBytes(body);
            if (bytes.length > KEPT) {
                bytes = new byte[INITIAL];
            }
            return out;
        }

        @Override
        public void accept(String name, String value) {
            if (!(replaceConnection && name.equalsIgnoreCase("connection"))) {
                accept0(name, value);
            }
        }

        private void accept0(String name, String value) {
            ensure(name.length() + value.length() + 4);
            ascii(name);
            bytes[length++] = ':';
            bytes[length++] = ' ';
            ascii(value);
            bytes[length++] = '\r';
            bytes[length++] = '\n';
        }

        private void statusLine(HttpVersion version, Status status) {
            int code = status.code();
            boolean cacheable = version == HttpVersion.HTTP_1_1 && code >= 100 && code < LINES.length;
            StatusLine line = cacheable ? LINES[code] : null;
            if (line == null || !line.reason().equals(status.reason())) {
                line = new StatusLine(status.reason(), (version.text() + " " + code + " " + status.reason() + "\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                if (cacheable) {
                    LINES[code] = line; // immutable, so a racing writer at worst builds it twice
                }
            }
            ensure(line.bytes().length);
            System.arraycopy(line.bytes(), 0, bytes, length, line.bytes().length);
            length += line.bytes().length;
        }

        /**
         * Writes {@code s}'s characters, each as its low byte: all are Latin-1 (checked when the
         * header was set). {@code String.getBytes(int, int, byte[], int)} does exactly that, as
         * one array copy for a Latin-1 string; it is deprecated only because it ignores charsets.
         */
        @SuppressWarnings("deprecation")
        private void ascii(String s) {
            int n = s.length();
            s.getBytes(0, n, bytes, length);
            length += n;
        }

        private void ensure(int more) {
            if (length + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
            }
        }
    }

    /**
     * A streamed response's framing: a head with {@code content-length} when the length is known
     * by the end of the first write, else chunked (HTTP/1.1) or delimited by the close (HTTP/1.0).
     */
    static final class Framing implements ResponseStream.Framing {
        private final Exchange.Finished finished;
        private final HttpVersion version;
        private final boolean keep;

        /** @param keep whether the connection stays open after this response */
        Framing(Exchange.Finished finished, HttpVersion version, boolean keep) {
            this.finished = finished;
            this.version = version;
            this.keep = keep;
        }

        @Override
        public Object head(long length) {
            HttpHeaders headers = UNVALIDATED_HEADERS.newHeaders();
            finished.forEachHeader(headers::add);
            if (finished.contentLength() == null) {
                if (length >= 0) {
                    headers.set(HttpHeaderNames.CONTENT_LENGTH, length);
                } else if (!version.equals(HttpVersion.HTTP_1_0)) {
                    headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
                }
            }
            if (!keep) {
                headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            } else if (version.equals(HttpVersion.HTTP_1_0)) {
                headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            }
            Status status = finished.status();
            return new DefaultHttpResponse(version, HttpResponseStatus.valueOf(status.code(), status.reason()), headers);
        }

        @Override
        public Object content(ByteBuf data) {
            return new DefaultHttpContent(data);
        }

        @Override
        public Object last(ByteBuf data) {
            return new DefaultLastHttpContent(data);
        }
    }
}
