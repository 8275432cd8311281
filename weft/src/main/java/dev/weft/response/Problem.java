package dev.weft.response;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An RFC 9457 problem detail, sent as {@code application/problem+json}.
 *
 * <p>Weft answers every rejection and every unexpected error with one of these. The body never
 * holds a stack trace or a class name; {@code detail} is meant for the client and must not carry
 * internal data.
 *
 * <pre>{@code
 * Problem.of(Status.CONFLICT, "a todo with this title exists").with("title_field", "title")
 * }</pre>
 *
 * @param status the status, also written as the {@code status} member
 * @param detail a human-readable explanation specific to this occurrence
 * @param extensions extra members (for example {@code parameter} or {@code pointer}), in order;
 *     values must be strings, numbers, booleans or lists of those
 * @param type the problem type URI, {@code about:blank} unless a registered or documented type
 *     fits (for example {@code https://iana.org/assignments/http-problem-types#quota-exceeded})
 */
public record Problem(Status status, String detail, Map<String, Object> extensions, String type)
        implements IntoResponse {
    private static final String BLANK = "about:blank";

    public Problem {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(type, "type");
        extensions = Map.copyOf(extensions);
        if (type.isEmpty() || type.chars().anyMatch(c -> c <= 0x20 || c >= 0x7f || c == '"' || c == '\\')) {
            throw new IllegalArgumentException("a problem type is a URI reference, got '" + type + "'");
        }
    }

    /** A problem of type {@code about:blank}. */
    public Problem(Status status, String detail, Map<String, Object> extensions) {
        this(status, detail, extensions, BLANK);
    }

    /** A problem without extension members. */
    public static Problem of(Status status, String detail) {
        return new Problem(status, detail, Map.of());
    }

    /**
     * A copy with problem type {@code uri} (RFC 9457 §3.1.1), for a client that switches on the
     * kind of problem rather than on the status.
     *
     * @throws IllegalArgumentException if {@code uri} is empty or holds spaces, quotes or
     *     non-ASCII characters
     */
    public Problem withType(String uri) {
        return new Problem(status, detail, extensions, uri);
    }

    /**
     * A copy with one more extension member. The value is written as JSON: {@code null}, a
     * number (a non-finite one as a string), a boolean, an {@code Iterable} as an array, a
     * {@code Map} as an object (its keys as strings), anything else as the string of its
     * {@code toString()}.
     */
    public Problem with(String member, Object value) {
        Map<String, Object> more = new LinkedHashMap<>(extensions);
        more.put(member, value);
        return new Problem(status, detail, more, type);
    }

    /** The JSON document: {@code type}, {@code title}, {@code status}, {@code detail}, then extensions sorted by name. */
    public String toJson() {
        StringBuilder out = new StringBuilder(128);
        out.append("{\"type\":");
        quote(out, type);
        out.append(",\"title\":");
        quote(out, status.reason().isEmpty() ? Integer.toString(status.code()) : status.reason());
        out.append(",\"status\":").append(status.code()).append(",\"detail\":");
        quote(out, detail);
        extensions.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            out.append(',');
            quote(out, e.getKey());
            out.append(':');
            value(out, e.getValue());
        });
        return out.append('}').toString();
    }

    @Override
    public Response toResponse() {
        return Response.bytes(status, Response.PROBLEM_JSON, toJson().getBytes(StandardCharsets.UTF_8));
    }

    private static void value(StringBuilder out, Object value) {
        switch (value) {
            case null -> out.append("null");
            case Double d when !Double.isFinite(d) -> quote(out, d.toString()); // not a JSON number
            case Float f when !Float.isFinite(f) -> quote(out, f.toString());
            case Number n -> out.append(n);
            case Boolean b -> out.append(b);
            case Iterable<?> items -> {
                out.append('[');
                boolean first = true;
                for (Object item : items) {
                    out.append(first ? "" : ",");
                    value(out, item);
                    first = false;
                }
                out.append(']');
            }
            case Map<?, ?> members -> {
                out.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> member : members.entrySet()) {
                    out.append(first ? "" : ",");
                    quote(out, String.valueOf(member.getKey()));
                    out.append(':');
                    value(out, member.getValue());
                    first = false;
                }
                out.append('}');
            }
            default -> quote(out, value.toString());
        }
    }

    static void quote(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
