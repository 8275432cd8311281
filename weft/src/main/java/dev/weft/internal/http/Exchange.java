package dev.weft.internal.http;

import dev.weft.http.Headers;
import dev.weft.http.Method;
import dev.weft.json.JsonCodec;
import dev.weft.response.Problem;
import dev.weft.response.Response;
import dev.weft.response.ResponseBody;
import dev.weft.response.Status;
import dev.weft.routing.Router;
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
     * @param contentLength the {@code content-length} value, or {@code null} for none
     * @param date the {@code date} value, or {@code null} if the response had its own
     */
    public record Finished(Status status, Headers own, String contentLength, String date, byte[] body) {

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

    /** Routes {@code request} and finishes the response. Never throws. Runs on the request's virtual thread. */
    public static Finished run(Router router, ServerRequest request) {
        Response response;
        try {
            response = router.handle(request);
        } catch (RuntimeException e) {
            LOG.error("router failed on {} {}", request.method(), request.path(), e);
            response = Problem.of(Status.INTERNAL_SERVER_ERROR, "the server failed to handle this request").toResponse();
        }
        return finish(response, request.method(), router.jsonCodec());
    }

    /** Prepares {@code response} to a request of {@code method} for the wire. */
    public static Finished finish(Response response, Method method, JsonCodec codec) {
        byte[] body;
        try {
            body = switch (response.body()) {
                case ResponseBody.Empty e -> EMPTY;
                case ResponseBody.Bytes b -> b.bytes();
                case ResponseBody.Json j -> codec.write(j.value());
            };
        } catch (RuntimeException e) {
            LOG.error("could not encode the JSON response to {} ", method, e);
            response = Problem.of(Status.INTERNAL_SERVER_ERROR, "the server failed to encode its response").toResponse();
            body = ((ResponseBody.Bytes) response.body()).bytes();
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
        } else {
            contentLength = Integer.toString(body.length);
        }
        if (method.equals(Method.HEAD)) {
            body = EMPTY;
        }
        String dateValue = response.headers().contains("date") ? null : now();
        return new Finished(status, own, contentLength, dateValue, body);
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
