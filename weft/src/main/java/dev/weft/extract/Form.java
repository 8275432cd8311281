package dev.weft.extract;

import dev.weft.http.Request;
import dev.weft.internal.extract.Converter;
import dev.weft.internal.extract.RecordBinder;
import dev.weft.internal.extract.Requests;
import dev.weft.internal.http.QueryParams;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Extracts an {@code application/x-www-form-urlencoded} body (an HTML form post).
 *
 * <p>Another content type is rejected with {@link Rejection.UnsupportedMediaType} (415), a body
 * over the limit with 413, a body that is not valid percent-encoded UTF-8 with
 * {@link Rejection.MalformedForm} (400), a body of more than 1000 name=value pairs with
 * {@link Rejection.TooManyParameters} (400), and a field that is missing or does not convert with
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

    /** Every field with all its values, in order of first appearance (repeated names keep every value). */
    public static Extractor<Map<String, List<String>>> map() {
        return request -> read(request).asMap();
    }

    /**
     * Every value of a repeated field ({@code tag=a&tag=b}, checkboxes, multi-selects) converted to
     * {@code type}; an empty list when absent, 422 ({@link Rejection.InvalidFormField}) when one
     * does not convert.
     */
    public static <T> Extractor<List<T>> all(String name, Class<T> type) {
        Converter<T> converter = Converter.forType(type);
        return request -> {
            List<String> texts = read(request).all(name);
            List<T> values = new ArrayList<>(texts.size());
            for (String text : texts) {
                T value = converter.convertOrNull(text);
                if (value == null) {
                    throw new RejectedException(new Rejection.InvalidFormField(name, converter.expected()));
                }
                values.add(value);
            }
            return List.copyOf(values);
        };
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
        } catch (QueryParams.TooManyPairs e) {
            throw new RejectedException(new Rejection.TooManyParameters("form body", QueryParams.MAX_PAIRS));
        } catch (IllegalArgumentException e) {
            throw new RejectedException(new Rejection.MalformedForm());
        }
    }
}
