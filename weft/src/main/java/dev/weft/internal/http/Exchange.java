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

    /** A response ready to be written. */
    public record Finished(Status status, Headers headers, byte[] body) {}

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
        Headers.Builder headers = Headers.builder().addAll(response.headers())
                .remove("content-length").remove("transfer-encoding");
        if (status.forbidsBody()) {
            body = EMPTY;
            headers.remove("content-type");
        } else {
            headers.add("content-length", Integer.toString(body.length));
        }
        if (method.equals(Method.HEAD)) {
            body = EMPTY;
        }
        if (!response.headers().contains("date")) {
            headers.add("date", now());
        }
        return new Finished(status, headers.build(), body);
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
