package dev.weft.extract;

import dev.weft.http.Request;
import dev.weft.internal.extract.Converter;
import dev.weft.internal.extract.RecordBinder;
import dev.weft.internal.extract.Requests;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Extracts query-string parameters ({@code application/x-www-form-urlencoded} rules: {@code +}
 * is a space, escapes are UTF-8).
 *
 * <p>A query string that is not valid percent-encoded UTF-8 is rejected with
 * {@link Rejection.MalformedQuery}; a required parameter that is absent with
 * {@link Rejection.MissingQueryParam}; a value that does not convert with
 * {@link Rejection.InvalidQueryParam}; more than 1000 name=value pairs with
 * {@link Rejection.TooManyParameters}. All answer 400.
 *
 * <p>Repeated names keep every value: {@link #all} and {@code List<T>} record components bind
 * them all (an empty list when absent), {@code Optional<List<T>>} components are empty when
 * absent, and {@link #map()} is the whole multimap.
 *
 * {@snippet class=dev.weft.extract.QueryExamples region=as-record}
 *
 * {@snippet class=dev.weft.extract.QueryExamples region=by-name}
 */
public final class Query {
    private Query() {}

    /** Required parameter {@code name} as a string. */
    public static Extractor<String> string(String name) {
        return of(name, String.class);
    }

    /** Required parameter {@code name} converted to {@code type}. */
    public static <T> Extractor<T> of(String name, Class<T> type) {
        Converter<T> converter = Converter.forType(type);
        return request -> optional(request, name, converter)
                .orElseThrow(() -> new RejectedException(new Rejection.MissingQueryParam(name)));
    }

    /** Parameter {@code name} converted to {@code type}; empty when absent, 400 when invalid. */
    public static <T> Extractor<Optional<T>> optional(String name, Class<T> type) {
        Converter<T> converter = Converter.forType(type);
        return request -> optional(request, name, converter);
    }

    /** Parameter {@code name} converted to {@code type}, or {@code fallback} when absent. */
    public static <T> Extractor<T> orDefault(String name, Class<T> type, T fallback) {
        Converter<T> converter = Converter.forType(type);
        return request -> optional(request, name, converter).orElse(fallback);
    }

    /**
     * Every value of a repeated parameter ({@code ?tag=a&tag=b}) converted to {@code type}
     * (numbers, enums, anything {@link #of} converts); empty list when absent, 400 if one does not
     * convert.
     */
    public static <T> Extractor<List<T>> all(String name, Class<T> type) {
        Converter<T> converter = Converter.forType(type);
        return request -> {
            List<T> values = new ArrayList<>();
            for (String text : Requests.query(request).all(name)) {
                values.add(convert(name, text, converter));
            }
            return List.copyOf(values);
        };
    }

    /** The whole query string bound to the components of {@code record}. */
    public static <R> Extractor<R> as(Class<R> record) {
        RecordBinder<R> binder = RecordBinder.of(record,
                new RecordBinder.Rejections("query parameter", Rejection.MissingQueryParam::new, Rejection.InvalidQueryParam::new));
        return request -> binder.bind(Requests.query(request)::all);
    }

    /** Every parameter with all its values, in order of first appearance. */
    public static Extractor<Map<String, List<String>>> map() {
        return request -> Requests.query(request).asMap();
    }

    private static <T> Optional<T> optional(Request request, String name, Converter<T> converter) {
        String text = Requests.query(request).first(name);
        return text == null ? Optional.empty() : Optional.of(convert(name, text, converter));
    }

    private static <T> T convert(String name, String text, Converter<T> converter) {
        T value = converter.convertOrNull(text);
        if (value == null) {
            throw new RejectedException(new Rejection.InvalidQueryParam(name, converter.expected()));
        }
        return value;
    }
}
