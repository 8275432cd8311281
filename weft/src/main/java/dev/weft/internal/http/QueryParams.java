package dev.weft.internal.http;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A decoded {@code application/x-www-form-urlencoded} string: query strings and form bodies. */
public final class QueryParams {
    public static final QueryParams EMPTY = new QueryParams(Map.of());
    /**
     * The most name=value pairs parsed (Jetty's and Tomcat's default too): a 2 MiB form of
     * {@code a&a&a…} would otherwise become a million-entry list.
     */
    public static final int MAX_PAIRS = 1000;

    /** More than {@link #MAX_PAIRS} pairs. */
    public static final class TooManyPairs extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        TooManyPairs() {
            super("more than " + MAX_PAIRS + " parameters");
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this; // a client's input, not a bug: no stack trace to build
        }
    }

    private final Map<String, List<String>> values;

    private QueryParams(Map<String, List<String>> values) {
        this.values = values;
    }

    /**
     * Parses {@code raw}. Pairs are separated by {@code &}; a pair without {@code =} has an
     * empty value; empty pairs are skipped.
     *
     * @throws TooManyPairs if there are more than {@link #MAX_PAIRS} pairs
     * @throws IllegalArgumentException if a name or value is not valid percent-encoded UTF-8
     */
    public static QueryParams parse(String raw) {
        if (raw == null || raw.isEmpty()) {
            return EMPTY;
        }
        Map<String, List<String>> values = new LinkedHashMap<>();
        int pairs = 0;
        int start = 0;
        while (start <= raw.length()) {
            int end = raw.indexOf('&', start);
            if (end < 0) {
                end = raw.length();
            }
            if (end > start) {
                if (++pairs > MAX_PAIRS) {
                    throw new TooManyPairs();
                }
                int eq = raw.indexOf('=', start);
                String name;
                String value;
                if (eq < 0 || eq > end) {
                    name = PercentDecoder.decode(raw.substring(start, end), true);
                    value = "";
                } else {
                    name = PercentDecoder.decode(raw.substring(start, eq), true);
                    value = PercentDecoder.decode(raw.substring(eq + 1, end), true);
                }
                values.computeIfAbsent(name, k -> new ArrayList<>(1)).add(value);
            }
            start = end + 1;
        }
        return new QueryParams(values);
    }

    /** The first value of {@code name}, or {@code null}. */
    public String first(String name) {
        List<String> list = values.get(name);
        return list == null ? null : list.getFirst();
    }

    /** Every value of {@code name}; empty if absent. */
    public List<String> all(String name) {
        return values.getOrDefault(name, List.of());
    }

    /** A read-only view of every parameter. */
    public Map<String, List<String>> asMap() {
        return Collections.unmodifiableMap(values);
    }
}
