package dev.weft.files;

import dev.weft.http.Headers;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;

/**
 * The conditional request headers (RFC 9110 §13) against one representation's validators, in the
 * order §13.2.2 prescribes. Pure; thread-safe.
 */
final class Preconditions {
    private Preconditions() {}

    /** What the preconditions decide. */
    enum Verdict {
        /** Go on and serve (ranges may apply). */
        PROCEED,
        /** 304 Not Modified, with the validators. */
        NOT_MODIFIED,
        /** 412 Precondition Failed. */
        FAILED
    }

    private static final DateTimeFormatter IMF = DateTimeFormatter.RFC_1123_DATE_TIME;
    private static final DateTimeFormatter FIXDATE = DateTimeFormatter
            .ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(java.time.ZoneOffset.UTC);

    /**
     * Evaluates {@code If-Match}, {@code If-Unmodified-Since}, {@code If-None-Match} and
     * {@code If-Modified-Since} for a GET or HEAD of a representation with strong {@code etag} and
     * {@code modifiedSeconds} (-1: no Last-Modified). An unparsable date is ignored (§13.1.3/4).
     */
    static Verdict evaluate(Headers headers, String etag, long modifiedSeconds) {
        List<String> ifMatch = headers.all("if-match");
        if (!ifMatch.isEmpty()) {
            if (!matches(ifMatch, etag, false)) {
                return Verdict.FAILED;
            }
        } else {
            long since = date(headers.first("if-unmodified-since").orElse(null));
            if (since >= 0 && modifiedSeconds >= 0 && modifiedSeconds > since) {
                return Verdict.FAILED;
            }
        }
        List<String> ifNoneMatch = headers.all("if-none-match");
        if (!ifNoneMatch.isEmpty()) {
            return matches(ifNoneMatch, etag, true) ? Verdict.NOT_MODIFIED : Verdict.PROCEED;
        }
        long since = date(headers.first("if-modified-since").orElse(null));
        if (since >= 0 && modifiedSeconds >= 0 && modifiedSeconds <= since) {
            return Verdict.NOT_MODIFIED;
        }
        return Verdict.PROCEED;
    }

    /**
     * Whether {@code If-Range} (if any) lets the Range header apply (§13.1.5): an entity-tag must
     * match strongly (a weak one never does); a date must equal Last-Modified exactly.
     */
    static boolean rangeApplies(Headers headers, String etag, long modifiedSeconds) {
        String ifRange = headers.first("if-range").map(String::strip).orElse(null);
        if (ifRange == null) {
            return true;
        }
        if (ifRange.startsWith("\"") || ifRange.startsWith("W/")) {
            return ifRange.equals(etag);
        }
        long date = date(ifRange);
        return date >= 0 && date == modifiedSeconds;
    }

    /**
     * Whether one of the entity-tags listed in {@code values} (comma-separated, or {@code *})
     * matches {@code etag}; weak comparison ignores the {@code W/} prefix on either side.
     */
    static boolean matches(List<String> values, String etag, boolean weak) {
        String opaque = opaque(etag);
        for (String value : values) {
            int i = 0;
            int n = value.length();
            while (i < n) {
                char c = value.charAt(i);
                if (c == ' ' || c == '\t' || c == ',') {
                    i++;
                    continue;
                }
                if (c == '*') {
                    return true; // a current representation exists
                }
                boolean isWeak = value.startsWith("W/", i);
                int open = isWeak ? i + 2 : i;
                if (open >= n || value.charAt(open) != '"') {
                    return false; // malformed list: no match
                }
                int close = value.indexOf('"', open + 1);
                if (close < 0) {
                    return false;
                }
                String tag = value.substring(open, close + 1);
                if (tag.equals(opaque) && (weak || !isWeak)) {
                    return true;
                }
                i = close + 1;
            }
        }
        return false;
    }

    private static String opaque(String etag) {
        return etag.startsWith("W/") ? etag.substring(2) : etag;
    }

    /** An HTTP-date (IMF-fixdate; the obsolete forms are accepted by the RFC 1123 parser where they fit) in epoch seconds, or -1. */
    static long date(String text) {
        if (text == null || text.length() > 64) {
            return -1;
        }
        try {
            return ZonedDateTime.parse(text.strip(), IMF).toEpochSecond();
        } catch (DateTimeParseException e) {
            return -1;
        }
    }

    /** {@code seconds} as an IMF-fixdate. */
    static String format(long seconds) {
        return FIXDATE.format(java.time.Instant.ofEpochSecond(seconds));
    }
}
