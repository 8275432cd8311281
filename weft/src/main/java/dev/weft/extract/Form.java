package dev.weft.extract;

import dev.weft.http.Request;
import dev.weft.internal.extract.RecordBinder;
import dev.weft.internal.extract.Requests;
import dev.weft.internal.http.QueryParams;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Extracts an {@code application/x-www-form-urlencoded} body (an HTML form post).
 *
 * <p>Another content type is rejected with {@link Rejection.UnsupportedMediaType} (415), a body
 * over the limit with 413, a body that is not valid percent-encoded UTF-8 with
 * {@link Rejection.MalformedForm} (400), and a field that is missing or does not convert with
 * {@link Rejection.InvalidFormField} (422).
 *
 * {@snippet class=dev.weft.extract.FormExamples region=login}
 */
public final class Form {
    private static final String MEDIA = "application/x-www-form-urlencoded";

    private Form() {}

    /** The fields bound by name to the components of {@code record}. */
    public static <R> Extractor<R> of(Class<R> record) {
        RecordBinder<R> binder = RecordBinder.of(record, new RecordBinder.Rejections("form field",
                name -> new Rejection.InvalidFormField(name, "present"), Rejection.InvalidFormField::new));
        return request -> binder.bind(read(request)::all);
    }

    /** Every field with all its values, in order of first appearance. */
    public static Extractor<Map<String, List<String>>> map() {
        return request -> read(request).asMap();
    }

    private static QueryParams read(Request request) {
        if (!Requests.mediaType(request).equals(MEDIA)) {
            throw new RejectedException(new Rejection.UnsupportedMediaType(MEDIA));
        }
        byte[] bytes = Requests.body(request).bytes();
        try {
            String text = new String(bytes, StandardCharsets.US_ASCII);
            for (byte b : bytes) {
                if (b < 0) {
                    throw new IllegalArgumentException("raw non-ASCII byte in a urlencoded body");
                }
            }
            return QueryParams.parse(text);
        } catch (IllegalArgumentException e) {
            throw new RejectedException(new Rejection.MalformedForm());
        }
    }
}
