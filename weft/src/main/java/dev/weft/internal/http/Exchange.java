package dev.weft.internal.http;

import dev.weft.http.Headers;
import dev.weft.http.Method;
import dev.weft.internal.json.JacksonCodec;
import dev.weft.internal.routing.RouterHooks;
import dev.weft.json.JsonCodec;
import dev.weft.response.BodyOutput;
import dev.weft.response.BodyWriter;
import dev.weft.response.Problem;
import dev.weft.response.Response;
import dev.weft.response.ResponseBody;
import dev.weft.response.Status;
import dev.weft.routing.Router;
import io.netty.util.concurrent.FastThreadLocalThread;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one request through a router and prepares the response for the wire: JSON encoding,
 * {@code content-length}, HEAD and bodiless statuses, {@code date}. The network server and the
 * in-memory test client both go through here, so they answer identically.
 */
public final class Exchange {
    private static final Logger LOG = LoggerFactory.getLogger(Exchange.class);
    private static final byte[] EMPTY = new byte[0];
    private static final DateTimeFormatter HTTP_DATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    /** The cached {@code date} value, refreshed at most once a second. */
    private record CachedDate(long second, String value) {}

    private static volatile CachedDate date = new CachedDate(-1, "");

    private Exchange() {}

    /**
     * A response ready to be written: the response's own headers (untouched unless they had to
     * be corrected) plus the framing headers the exchange adds, so nothing is copied twice.
     *
     * @param contentLength the {@code content-length} value, or {@code null} for none (a
     *     streamed body of unknown length)
     * @param date the {@code date} value, or {@code null} if the response had its own
     * @param body the body, or empty when it is streamed
     * @param stream the streamed body, or {@code null}
     * @param upgrade the accepted WebSocket handshake of a {@code 101}, or {@code null}
     */
    public record Finished(Status status, Headers own, String contentLength, String date, byte[] body,
            Stream stream, ResponseBody.Upgrade upgrade) {

        public Finished(Status status, Headers own, String contentLength, String date, byte[] body, Stream stream) {
            this(status, own, contentLength, date, body, stream, null);
        }

        /** Whether this is a {@code 101} that switches the connection to WebSocket. */
        public boolean upgrades() {
            return upgrade != null;
        }

        /** Whether the body is produced while it is sent. */
        public boolean streams() {
            return stream != null;
        }

        /** Every header in order: the response's own, then content-length and date. */
        public void forEachHeader(java.util.function.BiConsumer<String, String> action) {
            own.forEach(action);
            if (contentLength != null) {
                action.accept("content-length", contentLength);
            }
            if (date != null) {
                action.accept("date", date);
            }
        }

        /** All headers as one {@link Headers} (for clients that want a value, not a stream). */
        public Headers headers() {
            Headers.Builder all = Headers.builder();
            forEachHeader(all::add);
            return all.build();
        }
    }

    /** A body to be written while it is sent, and the codec for its JSON values. */
    public record Stream(BodyWriter writer, long length, JsonCodec codec) {}

    /**
     * Routes {@code request} and finishes the response. Never throws. Runs on the request's
     * virtual thread, or inline on the event loop for a route declared {@code nonBlocking()}.
     */
    public static Finished run(Router router, ServerRequest request) {
        Response response;
        try {
            response = router.handle(request);
        } catch (RuntimeException e) {
            LOG.error("router failed on {} {}", request.method(), request.path(), e);
            response = Problem.of(Status.INTERNAL_SERVER_ERROR, "the server failed to handle this request").toResponse();
        }
        return finish(response, request.method(), RouterHooks.jsonCodec(router));
    }

    /** Prepares {@code response} to a request of {@code method} for the wire. */
    public static Finished finish(Response response, Method method, JsonCodec codec) {
        byte[] body;
        Stream stream = null;
        ResponseBody.Upgrade upgrade = null;
        try {
            body = switch (response.body()) {
                case ResponseBody.Upgrade u -> {
                    upgrade = u;
                    yield EMPTY;
                }
                case ResponseBody.Empty e -> EMPTY;
                case ResponseBody.Bytes b -> b.bytes();
                case ResponseBody.Json j -> codec.write(j.value());
                case ResponseBody.Streaming s -> {
                    stream = new Stream(s.writer(), s.length(), codec != null ? codec : JacksonCodec.DEFAULT);
                    yield EMPTY;
                }
            };
        } catch (RuntimeException e) {
            LOG.error("could not encode the JSON response to {} ", method, e);
            response = Problem.of(Status.INTERNAL_SERVER_ERROR, "the server failed to encode its response").toResponse();
            body = ((ResponseBody.Bytes) response.body()).bytes();
        }
        if (response.status().code() < 200 && upgrade == null) {
            // 1xx is never a final answer; 101 only comes from an accepted WebSocket handshake.
            LOG.error("a handler answered {} with the interim status {}", method, response.status());
            response = Problem.of(Status.INTERNAL_SERVER_ERROR, "the server failed to produce its response").toResponse();
            body = ((ResponseBody.Bytes) response.body()).bytes();
            if (stream != null) {
                stream.writer().discard();
                stream = null;
            }
        }
        Status status = response.status();
        Headers own = response.headers();
        boolean forbidsBody = status.forbidsBody();
        if (own.contains("content-length") || own.contains("transfer-encoding")
                || (forbidsBody && own.contains("content-type"))) {
            // Framing is the server's business: whatever the handler said is replaced.
            Headers.Builder fixed = Headers.builder().addAll(own).remove("content-length").remove("transfer-encoding");
            if (forbidsBody) {
                fixed.remove("content-type");
            }
            own = fixed.build();
        }
        String contentLength = null;
        if (forbidsBody) {
            body = EMPTY;
        } else if (stream == null) {
            contentLength = Integer.toString(body.length);
        } else if (stream.length() >= 0) {
            contentLength = Long.toString(stream.length());
        }
        if (stream != null && method.equals(Method.HEAD) && !forbidsBody && contentLength == null
                && !(Thread.currentThread() instanceof FastThreadLocalThread)) {
            // GET sends a content-length for a body that ends within its first chunk; so does HEAD
            // (RFC 9110 §9.3.2), by running the writer into a counter (never on an event loop).
            contentLength = lengthWithinFirstChunk(stream);
        }
        if (stream != null && (forbidsBody || method.equals(Method.HEAD))) {
            stream.writer().discard();
            stream = null;
        }
        if (method.equals(Method.HEAD)) {
            body = EMPTY;
        }
        String dateValue = response.headers().contains("date") ? null : now();
        if (upgrade != null && status.code() != 101) {
            // A middleware replaced the status of an accepted handshake: it is an ordinary response now.
            upgrade = null;
        }
        return new Finished(status, own, contentLength, dateValue, body, stream, upgrade);
    }

    /**
     * The length of {@code stream}'s body if it ends within {@link #STREAM_CHUNK} bytes without
     * a flush (as GET would then send it with a length), else null.
     */
    private static String lengthWithinFirstChunk(Stream stream) {
        final class Counter extends BodyOutput {
            long bytes;

            Counter(JsonCodec codec) {
                super(codec);
            }

            @Override
            public void write(byte[] data, int offset, int length) throws IOException {
                bytes += length;
                if (bytes > STREAM_CHUNK) {
                    throw new IOException("longer than the first chunk");
                }
            }

            @Override
            public void flush() throws IOException {
                throw new IOException("flushed: GET sends its head now, without a length");
            }
        }
        Counter counter = new Counter(stream.codec());
        try {
            stream.writer().writeTo(counter);
            return Long.toString(counter.bytes);
        } catch (Exception longerOrFailed) {
            return null; // GET would send it chunked, or fail: no length to promise
        }
    }

    /** Bytes of a streamed body collected before they are sent; a failure before that can still answer 500. */
    public static final int STREAM_CHUNK = 16 * 1024;

    /**
     * The answer when a streamed body failed before any of it was sent: logged (at debug if the
     * client left: nobody will read the answer), then a 500 problem (the handler's status and
     * headers are not used).
     */
    public static Finished streamFailed(ServerRequest request, Throwable cause) {
        if (clientGone(cause)) {
            LOG.debug("the client of {} {} left before its response: {}", request.method(), request.path(),
                    String.valueOf(cause));
        } else {
            LOG.error("the response body of {} {} failed before it was sent", request.method(), request.path(), cause);
        }
        Response problem = Problem.of(Status.INTERNAL_SERVER_ERROR, "the server failed to produce its response")
                .toResponse();
        return finish(problem, request.method(), null);
    }

    /**
     * Logs a streamed body that failed after part of it was sent (the body is cut off): at debug
     * if the client went away (routine), as an error otherwise (the writer or its source failed).
     */
    public static void streamCut(ServerRequest request, long sent, Throwable cause) {
        if (clientGone(cause)) {
            LOG.debug("the response body of {} {} was cut off after {} bytes: {}", request.method(), request.path(),
                    sent, String.valueOf(cause));
        } else {
            LOG.error("the response body of {} {} failed after {} bytes; the client sees it cut off",
                    request.method(), request.path(), sent, cause);
        }
    }

    private static boolean clientGone(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof ClientGoneException
                    || (t instanceof InterruptedIOException && !(t instanceof java.net.SocketTimeoutException))) {
                return true; // the server interrupts a writer only when its client reset or left
            }
        }
        return false;
    }

    /** A streamed body that did not match its declared length: a server bug, not a client that left. */
    public static final class StreamLengthException extends IOException {
        private StreamLengthException(String message) {
            super(message);
        }

        /** Throws if writing {@code more} bytes after {@code written} would pass {@code declared} (-1: none). */
        public static void checkRoom(long declared, long written, long more) throws StreamLengthException {
            if (declared >= 0 && written + more > declared) {
                throw new StreamLengthException("the body is longer than its declared content-length of "
                        + declared + " bytes");
            }
        }

        /** Throws if a body that ended after {@code written} bytes fell short of {@code declared} (-1: none). */
        public static void checkComplete(long declared, long written) throws StreamLengthException {
            if (declared >= 0 && written != declared) {
                throw new StreamLengthException("the body ended after " + written + " of its declared "
                        + declared + " bytes");
            }
        }
    }

    /** Thrown to a body writer when its client closed the connection, reset the stream or stopped reading. */
    public static final class ClientGoneException extends IOException {
        public ClientGoneException(String message) {
            super(message);
        }

        public ClientGoneException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Runs a streamed body into memory with the network's rules (for the in-memory client): a
     * failure before {@link #STREAM_CHUNK} bytes or a flush answers 500; a later one throws.
     *
     * @throws UncheckedIOException if the body failed after it would have been sent in part
     */
    public static Finished buffered(Finished finished, ServerRequest request) {
        if (!finished.streams()) {
            return finished;
        }
        Stream stream = finished.stream();
        var out = new ByteArrayOutputStream();
        boolean[] committed = {false};
        BodyOutput sink = new BodyOutput(stream.codec()) {
            @Override
            public void write(byte[] bytes, int offset, int length) throws IOException {
                StreamLengthException.checkRoom(stream.length(), out.size(), length);
                out.write(bytes, offset, length);
                committed[0] |= out.size() >= STREAM_CHUNK;
            }

            @Override
            public void flush() {
                committed[0] = true;
            }
        };
        try {
            stream.writer().writeTo(sink);
            StreamLengthException.checkComplete(stream.length(), out.size());
        } catch (IOException | RuntimeException e) {
            if (!committed[0]) {
                return streamFailed(request, e);
            }
            streamCut(request, out.size(), e);
            throw new UncheckedIOException(new IOException(
                    "the response body was cut off after " + out.size() + " bytes", e));
        }
        byte[] body = out.toByteArray();
        if (finished.contentLength() != null || !committed[0]) {
            String length = finished.contentLength() != null ? finished.contentLength() : Integer.toString(body.length);
            return new Finished(finished.status(), finished.own(), length, finished.date(), body, null);
        }
        // Sent in chunks over HTTP/1.1, as the network would have.
        Headers chunked = Headers.builder().addAll(finished.own()).add("transfer-encoding", "chunked").build();
        return new Finished(finished.status(), chunked, null, finished.date(), body, null);
    }

    /** The current time as an HTTP-date (RFC 9110 §5.6.7). */
    public static String now() {
        long second = System.currentTimeMillis() / 1000;
        CachedDate cached = date;
        if (cached.second() != second) {
            cached = new CachedDate(second, HTTP_DATE.format(ZonedDateTime.now(ZoneOffset.UTC)));
            date = cached;
        }
        return cached.value();
    }
}
