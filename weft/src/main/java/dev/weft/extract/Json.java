package dev.weft.extract;

import dev.weft.http.Request;
import dev.weft.internal.extract.Requests;
import dev.weft.internal.http.Utf8;
import dev.weft.json.JsonReadException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.List;
import java.util.Optional;
import tools.jackson.core.JacksonException;

/**
 * Extracts a JSON request body, decoded with the application's {@link dev.weft.json.JsonCodec}.
 *
 * <p>Checks happen in this order, the first failure answering:
 *
 * <ol>
 *   <li>{@code content-type} must be {@code application/json} or {@code application/*+json}
 *       (a {@code charset}, if given, must be UTF-8): else {@link Rejection.UnsupportedMediaType}, 415;</li>
 *   <li>the body must fit the route's limit: else {@link Rejection.PayloadTooLarge}, 413;</li>
 *   <li>{@code content-encoding}, if any, must be {@code identity}: else
 *       {@link Rejection.UnsupportedContentEncoding}, 415 with {@code accept-encoding};</li>
 *   <li>the body must be UTF-8 JSON (RFC 8259 §8.1; no UTF-16 or UTF-32, no invalid sequence,
 *       even in a field the type ignores): else {@link Rejection.MalformedJson}, 400 with line
 *       and column;</li>
 *   <li>the JSON must be within the parser's limits: else {@link Rejection.JsonTooComplex}, 400
 *       naming the limit;</li>
 *   <li>the JSON must fit the type: else {@link Rejection.JsonDataError}, 422 with the JSON
 *       pointer of the field at fault.</li>
 * </ol>
 *
 * <p>A JSON {@code null} document is a 422 for {@link #of} and {@link #listOf}, and empty for
 * {@link #optional}.
 *
 * {@snippet class=dev.weft.extract.JsonExamples region=new-todo}
 */
public final class Json {
    private Json() {}

    /** The body decoded as {@code type}. */
    public static <T> Extractor<T> of(Class<T> type) {
        return request -> read(request, type, false);
    }

    /** The body decoded as a JSON array of {@code elementType}. */
    public static <T> Extractor<List<T>> listOf(Class<T> elementType) {
        Type listType = new ListType(elementType);
        return request -> read(request, listType, false);
    }

    /** Like {@link #of}, but a request with no body (and no content type) yields empty. */
    public static <T> Extractor<Optional<T>> optional(Class<T> type) {
        return request -> {
            boolean noBody = request.body().declaredLength().orElse(-1) == 0
                    || (request.body().declaredLength().isEmpty() && !request.headers().contains("transfer-encoding"));
            if (noBody && request.header("content-type").isEmpty()) {
                return Optional.empty();
            }
            return Optional.ofNullable(read(request, type, true));
        };
    }

    /** Reads the body; a JSON {@code null} document is empty when {@code nullable}, else 422. */
    private static <T> T read(Request request, Type type, boolean nullable) {
        String media = Requests.mediaType(request);
        boolean json = media.equals("application/json") || (media.startsWith("application/") && media.endsWith("+json"));
        String charset = Requests.charset(request);
        if (!json || (charset != null && !charset.equalsIgnoreCase("utf-8"))) {
            throw new RejectedException(new Rejection.UnsupportedMediaType("application/json"));
        }
        byte[] bytes = Requests.body(request).bytes();
        if (isBlank(bytes)) {
            throw new RejectedException(new Rejection.MalformedJson(1, 1));
        }
        int invalid = notUtf8(bytes);
        if (invalid >= 0) {
            throw new RejectedException(position(bytes, invalid));
        }
        T value;
        try {
            value = Requests.json(request).read(bytes, type);
        } catch (JsonReadException e) {
            Rejection rejection = switch (e.kind()) {
                case SYNTAX -> new Rejection.MalformedJson(e.line(), e.column());
                case LIMIT -> new Rejection.JsonTooComplex(e.limit());
                case DATA -> e.reason().isEmpty()
                        ? new Rejection.JsonDataError(e.pointer())
                        : new Rejection.InvalidValue("JSON field", e.pointer(), e.reason());
            };
            // An application exception from a record's constructor may be the router's to map.
            Throwable cause = e.getCause();
            boolean own = cause != null && !(cause instanceof JacksonException)
                    && !(cause instanceof InvalidValueException);
            throw new RejectedException(rejection, own ? cause : null);
        }
        if (value == null && !nullable) {
            throw new RejectedException(new Rejection.JsonDataError(""));
        }
        return value;
    }

    /**
     * The index of the first byte that keeps the body from being UTF-8 JSON (RFC 8259 §8.1), or -1:
     * an invalid sequence anywhere (a parser may skip unknown fields unchecked), or a NUL among the
     * first four bytes, which is how UTF-16 and UTF-32 text begins.
     */
    private static int notUtf8(byte[] bytes) {
        for (int i = 0; i < Math.min(4, bytes.length); i++) {
            if (bytes[i] == 0) {
                return i;
            }
        }
        return Utf8.firstInvalid(bytes);
    }

    /** A syntax rejection at byte {@code at}, with its line and column (in bytes) counted as a parser does. */
    private static Rejection.MalformedJson position(byte[] bytes, int at) {
        long line = 1;
        long column = 1;
        for (int i = 0; i < at; i++) {
            if (bytes[i] == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        return new Rejection.MalformedJson(line, column);
    }

    private static boolean isBlank(byte[] bytes) {
        for (byte b : bytes) {
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return false;
            }
        }
        return true;
    }

    private record ListType(Type element) implements ParameterizedType {
        @Override public Type[] getActualTypeArguments() { return new Type[] {element}; }
        @Override public Type getRawType() { return List.class; }
        @Override public Type getOwnerType() { return null; }
    }
}
