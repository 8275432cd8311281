package dev.weft.http;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A read-only, case-insensitive multimap of HTTP header fields, in the order they were given.
 *
 * <p>Request headers are a view over what the server decoded (no copy is made); response
 * headers are built with {@link #builder()} or with the {@code with…} methods of
 * {@link dev.weft.response.Response}.
 */
public interface Headers {

    /** The first value of {@code name}, compared case-insensitively. */
    Optional<String> first(String name);

    /** Every value of {@code name} in order; empty if there is none. */
    List<String> all(String name);

    /** Whether at least one field is called {@code name}. */
    default boolean contains(String name) {
        return first(name).isPresent();
    }

    /** The distinct field names, lower-cased. */
    Set<String> names();

    /** The number of fields (a name given twice counts twice). */
    int size();

    /** Calls {@code action} for every field in order. */
    void forEach(java.util.function.BiConsumer<String, String> action);

    /** An empty header map. */
    static Headers empty() {
        return ArrayHeaders.EMPTY;
    }

    /** Headers from alternating names and values: {@code Headers.of("accept", "text/plain")}. */
    static Headers of(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("Headers.of takes name, value pairs");
        }
        Builder builder = builder();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            builder.add(namesAndValues[i], namesAndValues[i + 1]);
        }
        return builder.build();
    }

    /** A builder that validates names and values as they are added. */
    static Builder builder() {
        return new ArrayHeaders.ArrayBuilder();
    }

    /** Builds {@link Headers}. Not thread-safe. */
    interface Builder {
        /**
         * Appends a field.
         *
         * @throws IllegalArgumentException if the name is not a token or the value holds CR, LF
         *     or another control character (header injection is refused here, not on the wire)
         */
        Builder add(String name, String value);

        /** Replaces every field called {@code name} by one with {@code value}. */
        Builder set(String name, String value);

        /** Removes every field called {@code name}. */
        Builder remove(String name);

        /** Appends every field of {@code headers}. */
        Builder addAll(Headers headers);

        Headers build();
    }
}
