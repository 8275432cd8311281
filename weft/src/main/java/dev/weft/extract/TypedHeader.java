package dev.weft.extract;

import dev.weft.http.Request;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
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
        return required("authorization", TypedHeader::parseAuthorization, AUTH_EXPECTED, true);
    }

    /** The {@code authorization} header; empty if absent, 400 if malformed. */
    public static Extractor<Optional<Authorization>> optionalAuthorization() {
        return optional("authorization", TypedHeader::parseAuthorization, AUTH_EXPECTED, true, false);
    }

    /** The {@code accept} header, media ranges sorted by preference; 400 if absent or malformed. */
    public static Extractor<Accept> accept() {
        return required("accept", TypedHeader::parseAccept, ACCEPT_EXPECTED, false);
    }

    /** The {@code accept} header; empty if absent (the client accepts anything), 400 if malformed. */
    public static Extractor<Optional<Accept>> optionalAccept() {
        return optional("accept", TypedHeader::parseAccept, ACCEPT_EXPECTED, false, false);
    }

    /** The {@code if-none-match} header; 400 if absent or malformed. */
    public static Extractor<IfNoneMatch> ifNoneMatch() {
        return required("if-none-match", TypedHeader::parseIfNoneMatch, ETAG_EXPECTED, false);
    }

    /** The {@code if-none-match} header; empty if absent, 400 if malformed. */
    public static Extractor<Optional<IfNoneMatch>> optionalIfNoneMatch() {
        return optional("if-none-match", TypedHeader::parseIfNoneMatch, ETAG_EXPECTED, false, false);
    }

    /** The {@code range} header; 400 if absent, malformed or not in bytes. */
    public static Extractor<Range> range() {
        return required("range", TypedHeader::parseRange, RANGE_EXPECTED, true);
    }

    /**
     * The {@code range} header; empty if absent, malformed, over {@value #MAX_RANGES} ranges or
     * in a unit other than bytes: RFC 9110 §14.2 has a server ignore such a header and send the
     * whole representation.
     */
    public static Extractor<Optional<Range>> optionalRange() {
        return optional("range", TypedHeader::parseRange, RANGE_EXPECTED, true, true);
    }

    /** The {@code content-type} header; 400 if absent or malformed. */
    public static Extractor<MediaType> contentType() {
        return required("content-type", TypedHeader::parseMediaType, MEDIA_EXPECTED, true);
    }

    /** The {@code content-type} header; empty if absent, 400 if malformed. */
    public static Extractor<Optional<MediaType>> optionalContentType() {
        return optional("content-type", TypedHeader::parseMediaType, MEDIA_EXPECTED, true, false);
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
                    int specificity = specificity(r.range());
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
                tag = entityTag(current.trim());
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

    static Authorization parseAuthorization(String value) {
        String text = value.strip();
        int space = indexOfWhitespace(text);
        String scheme = space < 0 ? text : text.substring(0, space);
        String credentials = space < 0 ? "" : text.substring(space).strip();
        requireToken(scheme);
        if (scheme.equalsIgnoreCase("Basic")) {
            return basic(credentials);
        }
        if (scheme.equalsIgnoreCase("Bearer")) {
            if (!isToken68(credentials)) {
                throw new IllegalArgumentException("a bearer token is token68");
            }
            return new Bearer(credentials);
        }
        for (int i = 0; i < credentials.length(); i++) {
            char c = credentials.charAt(i);
            if (c < 0x20 && c != '\t' || c == 0x7f) {
                throw new IllegalArgumentException("control character in credentials");
            }
        }
        return new Other(scheme, credentials);
    }

    private static Basic basic(String credentials) {
        if (!isToken68(credentials)) {
            throw new IllegalArgumentException("basic credentials are token68");
        }
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(credentials);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not base64", e);
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(decoded)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("not UTF-8", e);
        }
        int colon = text.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("no ':' between user and password");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw new IllegalArgumentException("control character in basic credentials"); // RFC 7617 §2
            }
        }
        return new Basic(text.substring(0, colon), text.substring(colon + 1));
    }

    static Accept parseAccept(String value) {
        List<String> elements = elements(value);
        List<MediaRange> ranges = new ArrayList<>(elements.size());
        for (String element : elements) {
            MediaType parsed = mediaType(element, true);
            double q = 1;
            Map<String, String> params = new LinkedHashMap<>();
            boolean afterQ = false;
            for (var p : parsed.parameters().entrySet()) {
                if (p.getKey().equals("q") && !afterQ) {
                    q = qvalue(p.getValue());
                    afterQ = true; // what follows q is an accept-ext, not a media type parameter
                } else if (!afterQ) {
                    params.put(p.getKey(), p.getValue());
                }
            }
            if (parsed.type().equals("*") && !parsed.subtype().equals("*")) {
                throw new IllegalArgumentException("*/subtype is not a media range");
            }
            ranges.add(new MediaRange(new MediaType(parsed.type(), parsed.subtype(), params), q));
        }
        List<MediaRange> sorted = new ArrayList<>(ranges);
        // Stable: equal preference keeps the order sent.
        sorted.sort(Comparator.comparingDouble(MediaRange::q).reversed()
                .thenComparing(Comparator.comparingInt((MediaRange r) -> specificity(r.range())).reversed()));
        return new Accept(sorted);
    }

    private static int specificity(MediaType range) {
        if (range.type().equals("*")) {
            return 0;
        }
        if (range.subtype().equals("*")) {
            return 1;
        }
        return range.parameters().isEmpty() ? 2 : 3;
    }

    /** {@code qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )} (RFC 9110 §12.4.2). */
    private static double qvalue(String text) {
        if (!text.matches("0(\\.[0-9]{0,3})?|1(\\.0{0,3})?")) {
            throw new IllegalArgumentException("bad qvalue");
        }
        return Double.parseDouble(text);
    }

    static IfNoneMatch parseIfNoneMatch(String value) {
        String text = value.strip();
        if (text.equals("*")) {
            return new IfNoneMatch(true, List.of());
        }
        List<String> elements = elements(text);
        List<EntityTag> tags = new ArrayList<>(elements.size());
        for (String element : elements) {
            tags.add(entityTag(element));
        }
        return new IfNoneMatch(false, tags);
    }

    /** {@code entity-tag = [ "W/" ] DQUOTE *etagc DQUOTE}; etagc is %x21 / %x23-7E / obs-text. */
    private static EntityTag entityTag(String text) {
        boolean weak = text.startsWith("W/");
        String quoted = weak ? text.substring(2) : text;
        if (quoted.length() < 2 || quoted.charAt(0) != '"' || quoted.charAt(quoted.length() - 1) != '"') {
            throw new IllegalArgumentException("an entity tag is quoted");
        }
        String opaque = quoted.substring(1, quoted.length() - 1);
        for (int i = 0; i < opaque.length(); i++) {
            char c = opaque.charAt(i);
            if (!(c == 0x21 || (c >= 0x23 && c <= 0x7e) || (c >= 0x80 && c <= 0xff))) {
                throw new IllegalArgumentException("bad entity tag character");
            }
        }
        return new EntityTag(opaque, weak);
    }

    static Range parseRange(String value) {
        String text = value.strip();
        int eq = text.indexOf('=');
        if (eq < 0 || !text.substring(0, eq).strip().equalsIgnoreCase("bytes")) {
            throw new IllegalArgumentException("only byte ranges are understood");
        }
        List<ByteRange> ranges = new ArrayList<>();
        for (String spec : text.substring(eq + 1).split(",", -1)) {
            String s = spec.strip();
            if (s.isEmpty()) {
                continue; // empty list elements are allowed (RFC 9110 §5.6.1)
            }
            if (ranges.size() == MAX_RANGES) {
                throw new IllegalArgumentException("too many ranges");
            }
            int dash = s.indexOf('-');
            if (dash < 0) {
                throw new IllegalArgumentException("a range has a '-'");
            }
            String first = s.substring(0, dash);
            String last = s.substring(dash + 1);
            if (first.isEmpty()) {
                ranges.add(new Suffix(digits(last)));
            } else if (last.isEmpty()) {
                ranges.add(new From(digits(first)));
            } else {
                long f = digits(first);
                long l = digits(last);
                if (l < f) {
                    throw new IllegalArgumentException("last before first");
                }
                ranges.add(new Bounded(f, l));
            }
        }
        if (ranges.isEmpty()) {
            throw new IllegalArgumentException("no range");
        }
        return new Range(ranges);
    }

    /** 1 to 18 ASCII digits (so the value fits a long). */
    private static long digits(String text) {
        if (text.isEmpty() || text.length() > 18) {
            throw new IllegalArgumentException("a position is 1 to 18 digits");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw new IllegalArgumentException("a position is digits");
            }
        }
        return Long.parseLong(text);
    }

    static MediaType parseMediaType(String value) {
        return mediaType(value, false);
    }

    /** {@code type "/" subtype *( OWS ";" OWS parameter )}; {@code *} allowed only in ranges. */
    private static MediaType mediaType(String text, boolean range) {
        List<String> parts = split(text, ';');
        String essence = parts.getFirst().strip();
        int slash = essence.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("type/subtype");
        }
        String type = essence.substring(0, slash).toLowerCase(Locale.ROOT);
        String subtype = essence.substring(slash + 1).toLowerCase(Locale.ROOT);
        requireToken(type);
        requireToken(subtype);
        if (!range && (type.equals("*") || subtype.equals("*"))) {
            throw new IllegalArgumentException("a media type has no wildcard");
        }
        if (parts.size() - 1 > MAX_ELEMENTS) {
            throw new IllegalArgumentException("too many parameters");
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        for (int i = 1; i < parts.size(); i++) {
            String p = parts.get(i).strip();
            if (p.isEmpty()) {
                continue; // "text/plain;" is seen in the wild
            }
            int eq = p.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("parameter name=value");
            }
            String name = p.substring(0, eq).toLowerCase(Locale.ROOT);
            requireToken(name);
            String raw = p.substring(eq + 1);
            String v;
            if (raw.startsWith("\"")) {
                v = unquote(raw);
            } else {
                requireToken(raw);
                v = raw;
            }
            parameters.putIfAbsent(name, v);
        }
        return new MediaType(type, subtype, parameters);
    }

    /** The elements of a list header, split on commas outside quoted strings; empty elements skipped. */
    private static List<String> elements(String value) {
        List<String> elements = new ArrayList<>();
        for (String element : split(value, ',')) {
            String e = element.strip();
            if (!e.isEmpty()) {
                if (elements.size() == MAX_ELEMENTS) {
                    throw new IllegalArgumentException("too many elements");
                }
                elements.add(e);
            }
        }
        if (elements.isEmpty()) {
            throw new IllegalArgumentException("an empty list");
        }
        return elements;
    }

    /** Splits on {@code separator} outside quoted strings; an unterminated quote is malformed. */
    private static List<String> split(String text, char separator) {
        List<String> parts = new ArrayList<>();
        int start = 0;
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    quoted = false;
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == separator) {
                parts.add(text.substring(start, i));
                start = i + 1;
            }
        }
        if (quoted) {
            throw new IllegalArgumentException("unterminated quoted string");
        }
        parts.add(text.substring(start));
        return parts;
    }

    /** A quoted-string's content, escapes resolved; the whole of {@code raw} must be the string. */
    private static String unquote(String raw) {
        StringBuilder out = new StringBuilder(raw.length());
        for (int i = 1; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '\\' && i + 1 < raw.length()) {
                out.append(raw.charAt(++i));
            } else if (c == '"') {
                if (i != raw.length() - 1) {
                    throw new IllegalArgumentException("text after a quoted string");
                }
                return out.toString();
            } else if (c < 0x20 && c != '\t' || c == 0x7f) {
                throw new IllegalArgumentException("control character in a quoted string");
            } else {
                out.append(c);
            }
        }
        throw new IllegalArgumentException("unterminated quoted string");
    }

    private static void requireToken(String text) {
        if (text.isEmpty()) {
            throw new IllegalArgumentException("empty token");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!ok) {
                throw new IllegalArgumentException("not a token");
            }
        }
    }

    /** {@code token68 = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="}. */
    private static boolean isToken68(String text) {
        int n = text.length();
        int end = n;
        while (end > 0 && text.charAt(end - 1) == '=') {
            end--;
        }
        if (end == 0) {
            return false;
        }
        for (int i = 0; i < end; i++) {
            char c = text.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "-._~+/".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static int indexOfWhitespace(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == ' ' || text.charAt(i) == '\t') {
                return i;
            }
        }
        return -1;
    }
}
