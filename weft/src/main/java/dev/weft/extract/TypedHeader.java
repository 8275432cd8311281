package dev.weft.extract;

import dev.weft.http.Request;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Extractors that parse common request headers into values: {@code authorization},
 * {@code accept}, {@code if-none-match}, {@code range} and {@code content-type}.
 *
 * {@snippet class=dev.weft.extract.TypedHeaderExamples region=typed}
 *
 * <p>Each header has a required extractor (an absent header is rejected with
 * {@link Rejection.MissingHeader}, 400) and an optional one (absent: empty). A header that does
 * not parse is rejected with {@link Rejection.InvalidHeader} (400, naming the header), in both:
 * a client that sent something is told it was wrong, except for {@code range}, which RFC 9110
 * §14.2 says to ignore when it is invalid: {@link #optionalRange()} is then empty (the whole
 * representation is sent), while {@link #range()} rejects it.
 *
 * <p>Hostile input is bounded: a value longer than {@value #MAX_LENGTH} characters, a list of
 * more than {@value #MAX_ELEMENTS} elements (media ranges, entity tags), more than
 * {@value #MAX_RANGES} byte ranges, or a singleton header ({@code authorization},
 * {@code content-type}, {@code range}) sent more than once is rejected, never parsed at length.
 * List headers sent on several lines are combined, as RFC 9110 §5.3 says.
 */
public final class TypedHeader {
    /** The longest header value parsed, in characters. */
    public static final int MAX_LENGTH = 8192;
    /** The most elements of a list header ({@code accept}, {@code if-none-match}). */
    public static final int MAX_ELEMENTS = 64;
    /** The most byte ranges in a {@code range} header. */
    public static final int MAX_RANGES = 16;

    private TypedHeader() {}

    // ---------------------------------------------------------------- extractors

    /** The {@code authorization} header; 400 if absent or malformed. */
    public static Extractor<Authorization> authorization() {
        return required("authorization", HeaderValues::parseAuthorization, AUTH_EXPECTED, true);
    }

    /** The {@code authorization} header; empty if absent, 400 if malformed. */
    public static Extractor<Optional<Authorization>> optionalAuthorization() {
        return optional("authorization", HeaderValues::parseAuthorization, AUTH_EXPECTED, true, false);
    }

    /** The {@code accept} header, media ranges sorted by preference; 400 if absent or malformed. */
    public static Extractor<Accept> accept() {
        return required("accept", HeaderValues::parseAccept, ACCEPT_EXPECTED, false);
    }

    /** The {@code accept} header; empty if absent (the client accepts anything), 400 if malformed. */
    public static Extractor<Optional<Accept>> optionalAccept() {
        return optional("accept", HeaderValues::parseAccept, ACCEPT_EXPECTED, false, false);
    }

    /** The {@code if-none-match} header; 400 if absent or malformed. */
    public static Extractor<IfNoneMatch> ifNoneMatch() {
        return required("if-none-match", HeaderValues::parseIfNoneMatch, ETAG_EXPECTED, false);
    }

    /** The {@code if-none-match} header; empty if absent, 400 if malformed. */
    public static Extractor<Optional<IfNoneMatch>> optionalIfNoneMatch() {
        return optional("if-none-match", HeaderValues::parseIfNoneMatch, ETAG_EXPECTED, false, false);
    }

    /** The {@code range} header; 400 if absent, malformed or not in bytes. */
    public static Extractor<Range> range() {
        return required("range", HeaderValues::parseRange, RANGE_EXPECTED, true);
    }

    /**
     * The {@code range} header; empty if absent, malformed, over {@value #MAX_RANGES} ranges or
     * in a unit other than bytes: RFC 9110 §14.2 has a server ignore such a header and send the
     * whole representation.
     */
    public static Extractor<Optional<Range>> optionalRange() {
        return optional("range", HeaderValues::parseRange, RANGE_EXPECTED, true, true);
    }

    /** The {@code content-type} header; 400 if absent or malformed. */
    public static Extractor<MediaType> contentType() {
        return required("content-type", HeaderValues::parseMediaType, MEDIA_EXPECTED, true);
    }

    /** The {@code content-type} header; empty if absent, 400 if malformed. */
    public static Extractor<Optional<MediaType>> optionalContentType() {
        return optional("content-type", HeaderValues::parseMediaType, MEDIA_EXPECTED, true, false);
    }

    // ---------------------------------------------------------------- values

    /** Credentials from {@code authorization}; {@code toString()} never shows the secret. */
    public sealed interface Authorization {
        /** The scheme as sent, e.g. {@code Basic}. */
        String scheme();
    }

    /** {@code Basic} credentials (RFC 7617), decoded from base64 as UTF-8. */
    public record Basic(String user, String password) implements Authorization {
        @Override
        public String scheme() {
            return "Basic";
        }

        @Override
        public String toString() {
            return "Basic[user=" + user + ", password=<redacted>]";
        }
    }

    /** A {@code Bearer} token (RFC 6750 §2.1, {@code token68} syntax). */
    public record Bearer(String token) implements Authorization {
        @Override
        public String scheme() {
            return "Bearer";
        }

        @Override
        public String toString() {
            return "Bearer[<redacted>]";
        }
    }

    /** Any other scheme, its credentials as sent (may be empty). */
    public record Other(String scheme, String credentials) implements Authorization {
        @Override
        public String toString() {
            return "Other[" + scheme + ", <redacted>]";
        }
    }

    /**
     * A media type with its parameters: {@code type} and {@code subtype} in lower case (either
     * may be {@code *} in an {@code accept} range), parameter names in lower case, values
     * unquoted.
     */
    public record MediaType(String type, String subtype, Map<String, String> parameters) {
        public MediaType {
            parameters = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        }

        /** {@code type/subtype}, without parameters. */
        public String essence() {
            return type + "/" + subtype;
        }

        /** The {@code charset} parameter, in lower case. */
        public Optional<String> charset() {
            return Optional.ofNullable(parameters.get("charset")).map(c -> c.toLowerCase(Locale.ROOT));
        }

        /** Whether this (a range such as {@code text/*}) covers {@code type/subtype}. */
        public boolean covers(String type, String subtype) {
            return (this.type.equals("*") || this.type.equalsIgnoreCase(type))
                    && (this.subtype.equals("*") || this.subtype.equalsIgnoreCase(subtype));
        }
    }

    /** One element of {@code accept}: a media range and its weight ({@code q}, 0 to 1). */
    public record MediaRange(MediaType range, double q) {}

    /**
     * The {@code accept} header: media ranges by preference (highest {@code q} first; at equal
     * {@code q}, more specific first; otherwise in the order sent).
     */
    public record Accept(List<MediaRange> ranges) {
        public Accept {
            ranges = List.copyOf(ranges);
        }

        /** Whether {@code mediaType} ({@code type/subtype}) is acceptable: covered by a range with q above 0. */
        public boolean accepts(String mediaType) {
            return weight(mediaType) > 0;
        }

        /** Of {@code offered} media types, the one the client prefers; empty if it accepts none. */
        public Optional<String> preferred(String... offered) {
            String best = null;
            double bestQ = 0;
            for (String candidate : offered) {
                double q = weight(candidate);
                if (q > bestQ) {
                    best = candidate;
                    bestQ = q;
                }
            }
            return Optional.ofNullable(best);
        }

        /** The q of the most specific range covering {@code mediaType}, 0 if none does. */
        private double weight(String mediaType) {
            int slash = mediaType.indexOf('/');
            if (slash < 0) {
                return 0;
            }
            String type = mediaType.substring(0, slash).trim();
            String subtype = mediaType.substring(slash + 1).trim();
            int semi = subtype.indexOf(';');
            if (semi >= 0) {
                subtype = subtype.substring(0, semi).trim();
            }
            int bestSpecificity = -1;
            double q = 0;
            for (MediaRange r : ranges) {
                if (r.range().covers(type, subtype)) {
                    int specificity = HeaderValues.specificity(r.range());
                    if (specificity > bestSpecificity) {
                        bestSpecificity = specificity;
                        q = r.q();
                    }
                }
            }
            return q;
        }
    }

    /** An entity tag: its opaque value (without quotes) and whether it is weak ({@code W/}). */
    public record EntityTag(String opaque, boolean weak) {
        /** As sent on the wire, e.g. {@code W/"v1"}. */
        @Override
        public String toString() {
            return (weak ? "W/\"" : "\"") + opaque + "\"";
        }
    }

    /** The {@code if-none-match} header: {@code *} ({@code any}) or a list of entity tags. */
    public record IfNoneMatch(boolean any, List<EntityTag> tags) {
        public IfNoneMatch {
            tags = List.copyOf(tags);
        }

        /**
         * Whether {@code current} (the resource's tag as sent in {@code etag}, e.g. {@code "v1"} or
         * {@code W/"v1"}) matches, by the weak comparison RFC 9110 §13.1.2 asks for: then a GET is
         * answered 304. With {@code *}, any current representation matches.
         */
        public boolean matches(String current) {
            if (any) {
                return true;
            }
            EntityTag tag;
            try {
                tag = HeaderValues.entityTag(current.trim());
            } catch (IllegalArgumentException e) {
                return false;
            }
            for (EntityTag t : tags) {
                if (t.opaque().equals(tag.opaque())) {
                    return true;
                }
            }
            return false;
        }
    }

    /** One byte range of a {@code range} header. */
    public sealed interface ByteRange {
        /**
         * The inclusive first and last byte of this range in a representation of {@code size}
         * bytes; empty if it is not satisfiable there (RFC 9110 §14.1.1).
         */
        Optional<Span> within(long size);
    }

    /** {@code first-last}, both inclusive. */
    public record Bounded(long first, long last) implements ByteRange {
        @Override
        public Optional<Span> within(long size) {
            return first < size ? Optional.of(new Span(first, Math.min(last, size - 1))) : Optional.empty();
        }
    }

    /** {@code first-}: from {@code first} to the end. */
    public record From(long first) implements ByteRange {
        @Override
        public Optional<Span> within(long size) {
            return first < size ? Optional.of(new Span(first, size - 1)) : Optional.empty();
        }
    }

    /** {@code -length}: the last {@code length} bytes. */
    public record Suffix(long length) implements ByteRange {
        @Override
        public Optional<Span> within(long size) {
            return length > 0 && size > 0 ? Optional.of(new Span(Math.max(0, size - length), size - 1)) : Optional.empty();
        }
    }

    /** Resolved byte positions, both inclusive. */
    public record Span(long first, long last) {
        public long length() {
            return last - first + 1;
        }
    }

    /** A {@code range: bytes=…} header. */
    public record Range(List<ByteRange> ranges) {
        public Range {
            ranges = List.copyOf(ranges);
        }

        /** The satisfiable ranges in a representation of {@code size} bytes; empty: answer 416. */
        public List<Span> within(long size) {
            List<Span> spans = new ArrayList<>(ranges.size());
            for (ByteRange r : ranges) {
                r.within(size).ifPresent(spans::add);
            }
            return List.copyOf(spans);
        }
    }

    // ---------------------------------------------------------------- plumbing

    private static final String AUTH_EXPECTED =
            "a scheme and credentials: 'Basic' with base64 of user:password in UTF-8, 'Bearer' with a token68";
    private static final String ACCEPT_EXPECTED = "a list of media ranges (type/subtype;q=0.5) of at most "
            + MAX_ELEMENTS;
    private static final String ETAG_EXPECTED = "'*' or a list of at most " + MAX_ELEMENTS
            + " entity tags (\"x\" or W/\"x\")";
    private static final String RANGE_EXPECTED = "bytes=first-last, first- or -suffix, at most " + MAX_RANGES
            + " ranges";
    private static final String MEDIA_EXPECTED = "one media type (type/subtype; name=value)";

    private static <T> Extractor<T> required(String name, Function<String, T> parser, String expected,
            boolean singleton) {
        Extractor<Optional<T>> optional = optional(name, parser, expected, singleton, false);
        return request -> optional.extract(request)
                .orElseThrow(() -> new RejectedException(new Rejection.MissingHeader(name)));
    }

    private static <T> Extractor<Optional<T>> optional(String name, Function<String, T> parser, String expected,
            boolean singleton, boolean ignoreInvalid) {
        return request -> {
            String value = value(request, name, singleton, expected, ignoreInvalid);
            if (value == null) {
                return Optional.empty();
            }
            try {
                return Optional.of(parser.apply(value));
            } catch (IllegalArgumentException e) {
                if (ignoreInvalid) {
                    return Optional.empty();
                }
                throw new RejectedException(new Rejection.InvalidHeader(name, expected));
            }
        };
    }

    /** The header's value (list headers' lines joined), null if absent or ignored. */
    private static String value(Request request, String name, boolean singleton, String expected,
            boolean ignoreInvalid) {
        List<String> lines = request.headers().all(name);
        if (lines.isEmpty()) {
            return null;
        }
        String value;
        if (lines.size() == 1) {
            value = lines.getFirst();
        } else if (singleton) {
            if (ignoreInvalid) {
                return null;
            }
            throw new RejectedException(new Rejection.InvalidHeader(name, "sent once, not " + lines.size() + " times"));
        } else {
            value = String.join(",", lines);
        }
        if (value.length() > MAX_LENGTH) {
            if (ignoreInvalid) {
                return null;
            }
            throw new RejectedException(new Rejection.InvalidHeader(name, "at most " + MAX_LENGTH + " characters"));
        }
        return value;
    }
}
