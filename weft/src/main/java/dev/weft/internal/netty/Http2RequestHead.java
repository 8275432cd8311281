package dev.weft.internal.netty;

import dev.weft.http.Headers;
import dev.weft.http.Method;
import dev.weft.internal.http.ContentLength;
import dev.weft.internal.http.PercentDecoder;
import dev.weft.response.Status;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.AsciiString;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The request head of an HTTP/2 stream as handlers see it, mapped from its decoded header list
 * by {@link #from}, a pure function (no socket, no state), so it is unit-tested and fuzzed alone.
 *
 * <p>What handlers see: {@code method} is {@code :method}; {@code target} is {@code :path} (raw
 * bytes above 0x7F decoded as UTF-8, as on HTTP/1.1). Pseudo-header fields are not among the
 * headers, except that {@code :authority} appears as {@code host} (first); {@code cookie} fields,
 * which HTTP/2 may split, are joined with {@code "; "} (RFC 9113 §8.2.3) and count as one field.
 * {@code :scheme} is checked but is not a header: the request's scheme comes from the connection
 * (TLS or not), as on HTTP/1.1.
 *
 * <p>It checks everything RFC 9113 §8.2 and §8.3.1 make malformed itself, although Netty's
 * decoder (with header validation on) already resets most of it, so the mapping holds for any
 * {@link Http2Headers} it is given. The outcomes:
 *
 * <table>
 *   <caption>Outcomes of mapping an HTTP/2 request head</caption>
 *   <tr><th>the header list</th><th>outcome</th></tr>
 *   <tr><td>no or empty {@code :method}, {@code :scheme} or {@code :path} (not CONNECT), a repeated
 *       pseudo-header, one other than {@code :method :scheme :path :authority}, an invalid method
 *       token, a {@code :path} neither origin-form nor {@code *} (for OPTIONS), a name that is
 *       empty or upper-case, a value with leading or trailing white space, a connection-specific field ({@code connection}, {@code keep-alive},
 *       {@code proxy-connection}, {@code transfer-encoding}, {@code upgrade}, {@code te} other
 *       than {@code trailers})</td><td>{@link Malformed}: {@code RST_STREAM(PROTOCOL_ERROR)}</td></tr>
 *   <tr><td>more than {@code maxHeaderCount} fields as handlers see them ({@code :authority} as
 *       {@code host} counts, the joined cookie counts once)</td><td>{@link Refused} 431</td></tr>
 *   <tr><td>{@code CONNECT}</td><td>{@link Refused} 501</td></tr>
 *   <tr><td>a field Weft's {@link Headers} refuses (a name that is not a token, a value with a
 *       control character), a target that is not UTF-8, an {@code :authority} that is empty or not
 *       {@code host[:port]} (userinfo, a path, a list), a {@code host} that differs from it, two
 *       {@code host} fields</td><td>{@link Refused} 400</td></tr>
 * </table>
 */
final class Http2RequestHead {

    /** What {@link #from} made of a header list. */
    sealed interface Outcome permits Accepted, Refused, Malformed {}

    /**
     * A well-formed request head.
     *
     * @param method  the request method
     * @param target  the request target ({@code :path}), decoded
     * @param headers the request fields (see the class comment)
     * @param declared the declared {@code content-length}, if any
     * @param expectContinue whether the client waits for {@code 100 Continue}
     */
    record Accepted(Method method, String target, Headers headers, OptionalLong declared, boolean expectContinue)
            implements Outcome {}

    /** A request that is well-formed but not accepted: answered with a problem of {@code status}. */
    record Refused(Status status, String detail) implements Outcome {}

    /** A malformed request (RFC 9113 §8.1.1): its stream is reset with {@code PROTOCOL_ERROR}. */
    record Malformed(String reason) implements Outcome {}

    private Http2RequestHead() {}

    private static final AsciiString METHOD = AsciiString.cached(":method");
    private static final AsciiString SCHEME = AsciiString.cached(":scheme");
    private static final AsciiString PATH = AsciiString.cached(":path");
    private static final AsciiString AUTHORITY = AsciiString.cached(":authority");

    /**
     * Maps {@code h2} (see the class comment).
     *
     * @param maxHeaderCount most fields accepted, pseudo-headers not counted
     */
    static Outcome from(Http2Headers h2, int maxHeaderCount) {
        CharSequence methodName = null;
        CharSequence scheme = null;
        CharSequence path = null;
        CharSequence authority = null;
        for (Map.Entry<CharSequence, CharSequence> field : h2) {
            CharSequence name = field.getKey();
            if (name.isEmpty() || name.charAt(0) != ':') {
                continue;
            }
            CharSequence value = field.getValue();
            if (AsciiString.contentEquals(name, METHOD)) {
                if (methodName != null) {
                    return new Malformed(":method repeated");
                }
                methodName = value;
            } else if (AsciiString.contentEquals(name, SCHEME)) {
                if (scheme != null) {
                    return new Malformed(":scheme repeated");
                }
                scheme = value;
            } else if (AsciiString.contentEquals(name, PATH)) {
                if (path != null) {
                    return new Malformed(":path repeated");
                }
                path = value;
            } else if (AsciiString.contentEquals(name, AUTHORITY)) {
                if (authority != null) {
                    return new Malformed(":authority repeated");
                }
                authority = value;
            } else {
                return new Malformed("pseudo-header " + name + " is not a request pseudo-header");
            }
        }
        if (methodName == null || methodName.isEmpty()) {
            return new Malformed("no :method");
        }
        Method method;
        try {
            method = Method.of(methodName.toString());
        } catch (IllegalArgumentException e) {
            return new Malformed(":method is not a token");
        }
        if (Method.CONNECT.equals(method)) {
            return new Refused(Status.NOT_IMPLEMENTED, "CONNECT is not supported");
        }
        if (scheme == null || scheme.isEmpty() || !isScheme(scheme)) {
            return new Malformed("no valid :scheme");
        }
        if (path == null || !(startsWith(path, '/')
                || (AsciiString.contentEquals(path, "*") && Method.OPTIONS.equals(method)))) {
            return new Malformed(":path is neither origin-form nor * for OPTIONS");
        }
        String target = PercentDecoder.latin1Target(path);
        if (target == null) {
            return new Refused(Status.BAD_REQUEST, "the request target is not valid UTF-8");
        }
        if (authority != null && !Authority.isValid(authority)) {
            return new Refused(Status.BAD_REQUEST, ":authority is not host[:port]");
        }
        Headers headers;
        try {
            headers = headers(h2, authority, maxHeaderCount);
        } catch (Rejected rejected) {
            return rejected.outcome;
        }
        HandlerStart.Expectation expect = HandlerStart.Expectation.of(headers.first("expect").orElse(null));
        if (expect == HandlerStart.Expectation.UNSUPPORTED) {
            return new Refused(Status.EXPECTATION_FAILED, HandlerStart.Expectation.REFUSAL);
        }
        // The codec resets streams whose content-length is not matched by the DATA.
        OptionalLong declared = OptionalLong.empty();
        String length = headers.first("content-length").orElse(null);
        if (length != null) {
            try {
                declared = OptionalLong.of(ContentLength.parse(length));
            } catch (NumberFormatException e) {
                return new Refused(Status.BAD_REQUEST, ContentLength.REFUSAL);
            }
        }
        return new Accepted(method, target, headers, declared, expect == HandlerStart.Expectation.CONTINUE);
    }

    /**
     * The regular fields as {@link Headers}.
     *
     * @throws Rejected with the outcome that refuses them
     */
    private static Headers headers(Http2Headers h2, CharSequence authority, int maxHeaderCount) {
        Headers.Builder headers = Headers.builder();
        int count = 0;
        if (authority != null) {
            headers.add("host", authority.toString());
            count++; // a field as handlers see it, as Host is on HTTP/1.1
        }
        int hosts = 0;
        StringBuilder cookies = null;
        for (Map.Entry<CharSequence, CharSequence> field : h2) {
            CharSequence name = field.getKey();
            if (startsWith(name, ':')) {
                continue;
            }
            CharSequence rawValue = field.getValue();
            String problem = fieldProblem(name, rawValue);
            if (problem != null) {
                throw new Rejected(new Malformed(problem));
            }
            String value = rawValue.toString();
            if (AsciiString.contentEquals(name, "cookie")) {
                if (cookies == null) {
                    count++;
                    cookies = new StringBuilder(value);
                } else {
                    cookies.append("; ").append(value);
                }
                continue;
            }
            if (++count > maxHeaderCount) {
                throw tooMany(maxHeaderCount);
            }
            if (AsciiString.contentEquals(name, "host")) {
                hosts++;
                if (authority != null) {
                    if (!AsciiString.contentEqualsIgnoreCase(authority, value)) {
                        throw new Rejected(new Refused(Status.BAD_REQUEST, "the host header differs from :authority"));
                    }
                    continue; // already there, as :authority
                }
            }
            try {
                headers.add(name.toString(), value);
            } catch (IllegalArgumentException e) {
                throw new Rejected(new Refused(Status.BAD_REQUEST, "a header field is not valid"));
            }
        }
        if (count > maxHeaderCount) {
            throw tooMany(maxHeaderCount); // the cookie field, counted once, was the one too many
        }
        if (hosts > 1) {
            throw new Rejected(new Refused(Status.BAD_REQUEST, "a request needs at most one host header"));
        }
        if (cookies != null) {
            headers.add("cookie", cookies.toString());
        }
        return headers.build();
    }

    private static Rejected tooMany(int maxHeaderCount) {
        return new Rejected(new Refused(Status.REQUEST_HEADER_FIELDS_TOO_LARGE,
                "a request may have at most " + maxHeaderCount + " header fields"));
    }

    /** Carries a refusal out of {@link #headers}; no stack trace, it is a result. */
    private static final class Rejected extends RuntimeException {
        private final transient Outcome outcome;

        Rejected(Outcome outcome) {
            super(null, null, false, false);
            this.outcome = outcome;
        }
    }

    /** Why a regular field makes the request malformed (RFC 9113 §8.2), or null if it does not. */
    private static String fieldProblem(CharSequence name, CharSequence value) {
        if (name.isEmpty()) {
            return "an empty field name";
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                return "an upper-case field name";
            }
        }
        if (isConnectionSpecific(name, value)) {
            return "a connection-specific field: " + name;
        }
        int last = value.length() - 1;
        if (last >= 0 && (isWhite(value.charAt(0)) || isWhite(value.charAt(last)))) {
            return "a field value with leading or trailing white space";
        }
        return null; // the token and control-character checks are Headers.Builder's
    }

    private static boolean isConnectionSpecific(CharSequence name, CharSequence value) {
        return switch (name.length()) {
            case 2 -> AsciiString.contentEquals(name, "te") && !AsciiString.contentEqualsIgnoreCase(value, "trailers");
            case 7 -> AsciiString.contentEquals(name, "upgrade");
            case 10 -> AsciiString.contentEquals(name, "connection") || AsciiString.contentEquals(name, "keep-alive");
            case 16 -> AsciiString.contentEquals(name, "proxy-connection");
            case 17 -> AsciiString.contentEquals(name, "transfer-encoding");
            default -> false;
        };
    }

    private static boolean isWhite(char c) {
        return c == ' ' || c == '\t';
    }

    /** RFC 3986 scheme: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ). */
    private static boolean isScheme(CharSequence s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
            if (!alpha && (i == 0 || !((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.'))) {
                return false;
            }
        }
        return true;
    }

    private static boolean startsWith(CharSequence s, char c) {
        return !s.isEmpty() && s.charAt(0) == c;
    }
}
