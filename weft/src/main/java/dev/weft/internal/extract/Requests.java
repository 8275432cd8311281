package dev.weft.internal.extract;

import dev.weft.extract.RejectedException;
import dev.weft.extract.Rejection;
import dev.weft.http.Request;
import dev.weft.http.RequestBody;
import dev.weft.internal.http.QueryParams;
import dev.weft.internal.http.ServerRequest;
import dev.weft.json.JsonCodec;
import java.util.Locale;

/** What the built-in extractors share. */
public final class Requests {
    private Requests() {}

    public static QueryParams query(Request request) {
        return ((ServerRequest) request).query(); // Request is sealed
    }

    /** The codec of the router that routed the request; the default before routing. */
    public static JsonCodec json(Request request) {
        JsonCodec codec = ((ServerRequest) request).json();
        return codec != null ? codec : JsonCodec.jackson();
    }

    /**
     * The body, if it is sent without a content coding: Weft decodes none, so a body with a
     * {@code content-encoding} other than {@code identity} is refused with 415 and
     * {@code accept-encoding: identity} (RFC 9110 §15.5.16) instead of being read as if it were plain.
     */
    public static RequestBody body(Request request) {
        for (String value : request.headers().all("content-encoding")) {
            for (String coding : value.split(",")) {
                String c = coding.trim();
                if (!c.isEmpty() && !c.equalsIgnoreCase("identity")) {
                    throw new RejectedException(new Rejection.UnsupportedContentEncoding(c.toLowerCase(Locale.ROOT)));
                }
            }
        }
        return request.body();
    }

    /** The media type of the body, lower-cased, without parameters; empty if absent. */
    public static String mediaType(Request request) {
        String value = request.header("content-type").orElse("");
        int semi = value.indexOf(';');
        return (semi < 0 ? value : value.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    }

    /** The {@code charset} parameter of the content type, or {@code null}. */
    public static String charset(Request request) {
        String value = request.header("content-type").orElse("");
        for (String param : value.split(";")) {
            String p = param.trim();
            if (p.regionMatches(true, 0, "charset=", 0, 8)) {
                return p.substring(8).replace("\"", "").trim();
            }
        }
        return null;
    }
}
