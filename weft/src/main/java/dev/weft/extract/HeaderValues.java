package dev.weft.extract;

import dev.weft.extract.TypedHeader.Accept;
import dev.weft.extract.TypedHeader.Authorization;
import dev.weft.extract.TypedHeader.Basic;
import dev.weft.extract.TypedHeader.Bearer;
import dev.weft.extract.TypedHeader.Bounded;
import dev.weft.extract.TypedHeader.ByteRange;
import dev.weft.extract.TypedHeader.EntityTag;
import dev.weft.extract.TypedHeader.From;
import dev.weft.extract.TypedHeader.IfNoneMatch;
import dev.weft.extract.TypedHeader.MediaRange;
import dev.weft.extract.TypedHeader.MediaType;
import dev.weft.extract.TypedHeader.Other;
import dev.weft.extract.TypedHeader.Range;
import dev.weft.extract.TypedHeader.Suffix;
import dev.weft.internal.http.HttpTokens;
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

/**
 * The header grammars of RFC 9110 (and RFC 7617, RFC 6750) behind {@link TypedHeader}: each parser
 * throws {@link IllegalArgumentException} for anything it does not accept, and bounds what it
 * builds ({@link TypedHeader#MAX_ELEMENTS}, {@link TypedHeader#MAX_RANGES}). Stateless.
 */
final class HeaderValues {
    private static final int MAX_ELEMENTS = TypedHeader.MAX_ELEMENTS;
    private static final int MAX_RANGES = TypedHeader.MAX_RANGES;

    private HeaderValues() {}

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

    static int specificity(MediaType range) {
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
    static EntityTag entityTag(String text) {
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
        if (!HttpTokens.isToken(text)) {
            throw new IllegalArgumentException("not a token");
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
