package dev.weft.extract;

import dev.weft.http.Request;
import dev.weft.internal.extract.Converter;
import java.util.Optional;

/**
 * Extracts a request header by name (case-insensitive); the first value when repeated.
 *
 * <p>An absent required header is rejected with {@link Rejection.MissingHeader}, a value that
 * does not convert with {@link Rejection.InvalidHeader}; both answer 400.
 *
 * {@snippet class=dev.weft.extract.HeaderExamples region=me}
 */
public final class Header {
    private Header() {}

    /** Required header {@code name}. */
    public static Extractor<String> string(String name) {
        return of(name, String.class);
    }

    /** Required header {@code name} converted to {@code type}. */
    public static <T> Extractor<T> of(String name, Class<T> type) {
        Converter<T> converter = Converter.forType(type);
        return request -> optional(request, name, converter)
                .orElseThrow(() -> new RejectedException(new Rejection.MissingHeader(name)));
    }

    /** Header {@code name}, empty when absent. */
    public static Extractor<Optional<String>> optional(String name) {
        return optional(name, String.class);
    }

    /** Header {@code name} converted to {@code type}; empty when absent, 400 when invalid. */
    public static <T> Extractor<Optional<T>> optional(String name, Class<T> type) {
        Converter<T> converter = Converter.forType(type);
        return request -> optional(request, name, converter);
    }

    private static <T> Optional<T> optional(Request request, String name, Converter<T> converter) {
        Optional<String> text = request.header(name);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        T value = converter.convertOrNull(text.get().strip());
        if (value == null) {
            throw new RejectedException(new Rejection.InvalidHeader(name, converter.expected()));
        }
        return Optional.of(value);
    }
}
