package dev.weft.cookie;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the {@code Cookie} request headers leniently but safely. Every header line counts (HTTP/2
 * clients may split one cookie header into many, RFC 9113 §8.2.3); pairs are separated by
 * {@code ;}; the first pair of a name wins; a pair whose name is not a token or whose value holds a
 * control character, a non-ASCII character or a stray quote is skipped, not the whole header; at
 * most {@link #MAX_COOKIES} cookies and {@link #MAX_PAIRS} pairs are read, the rest ignored.
 */
final class CookieParser {
    /** Most distinct cookies kept from one request. */
    static final int MAX_COOKIES = 256;
    /** Most {@code name=value} pairs looked at in one request, kept or skipped. */
    static final int MAX_PAIRS = 1024;

    private CookieParser() {}

    static Map<String, String> parse(List<String> headerValues) {
        Map<String, String> cookies = new LinkedHashMap<>();
        int pairs = 0;
        for (String header : headerValues) {
            int i = 0;
            int n = header.length();
            while (i < n) {
                if (++pairs > MAX_PAIRS || cookies.size() >= MAX_COOKIES) {
                    return cookies;
                }
                int end = header.indexOf(';', i);
                if (end < 0) {
                    end = n;
                }
                pair(header, i, end, cookies);
                i = end + 1;
            }
        }
        return cookies;
    }

    private static void pair(String header, int from, int to, Map<String, String> cookies) {
        int start = skipSpace(header, from, to);
        int end = trimSpace(header, start, to);
        if (start >= end) {
            return; // an empty pair: "a=1;;b=2"
        }
        int eq = header.indexOf('=', start);
        if (eq < 0 || eq >= end) {
            return; // no '=': not a cookie (some clients send bare names; they carry nothing)
        }
        String name = header.substring(start, trimSpace(header, start, eq));
        if (!Cookie.isToken(name) || cookies.containsKey(name)) {
            return;
        }
        int valueStart = skipSpace(header, eq + 1, end);
        String value = header.substring(valueStart, end);
        if (value.length() >= 2 && value.charAt(0) == '"' && value.charAt(value.length() - 1) == '"') {
            value = value.substring(1, value.length() - 1);
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            // Lenient: spaces, commas and backslashes inside a value occur in the wild and are
            // harmless; controls, non-ASCII (header bytes are Latin-1 here, so UTF-8 would be
            // garbled) and quotes are not.
            if (c < 0x20 || c >= 0x7f || c == '"') {
                return;
            }
        }
        cookies.put(name, value);
    }

    private static int skipSpace(String s, int from, int to) {
        while (from < to && (s.charAt(from) == ' ' || s.charAt(from) == '\t')) {
            from++;
        }
        return from;
    }

    private static int trimSpace(String s, int from, int to) {
        while (to > from && (s.charAt(to - 1) == ' ' || s.charAt(to - 1) == '\t')) {
            to--;
        }
        return to;
    }
}
