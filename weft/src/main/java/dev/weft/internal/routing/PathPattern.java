package dev.weft.internal.routing;

import dev.weft.routing.InvalidRouteException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A parsed route pattern: {@code /users/{id}/files/{*path}}. Immutable.
 *
 * <p>The pattern after the leading {@code /} is split on {@code /}; so {@code /} is one empty
 * static segment and {@code /a/} is {@code a} followed by an empty segment, which keeps
 * {@code /a} and {@code /a/} distinct.
 */
public record PathPattern(String text, List<Segment> segments) {

    /** One segment of a pattern. */
    public sealed interface Segment {}

    /** Matches exactly {@code text}. */
    public record Literal(String text) implements Segment {}

    /** {@code {name}}: matches one non-empty segment. */
    public record Param(String name) implements Segment {}

    /** {@code {*name}}: matches the non-empty rest of the path, slashes included; always last. */
    public record CatchAll(String name) implements Segment {}

    public PathPattern {
        segments = List.copyOf(segments);
    }

    /**
     * Parses {@code text}.
     *
     * @throws InvalidRouteException naming the pattern and saying how to fix it
     */
    public static PathPattern parse(String text) {
        if (text == null || !text.startsWith("/")) {
            throw new InvalidRouteException("route '" + text + "' must start with '/'");
        }
        String[] parts = text.substring(1).split("/", -1);
        List<Segment> segments = new ArrayList<>(parts.length);
        Set<String> names = new HashSet<>();
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            boolean last = i == parts.length - 1;
            Segment segment = segment(text, part, last);
            if (segment instanceof Literal(String literal) && literal.isEmpty() && !last) {
                throw new InvalidRouteException("route '" + text + "' has an empty segment ('//')");
            }
            String name = switch (segment) {
                case Param p -> p.name();
                case CatchAll c -> c.name();
                case Literal l -> null;
            };
            if (name != null && !names.add(name)) {
                throw new InvalidRouteException("route '" + text + "' uses parameter {" + name + "} twice");
            }
            segments.add(segment);
        }
        return new PathPattern(text, segments);
    }

    private static Segment segment(String pattern, String part, boolean last) {
        if (part.startsWith(":") && part.length() > 1) {
            throw new InvalidRouteException("route '" + pattern + "' uses the old ':" + part.substring(1)
                    + "' syntax; write '{" + part.substring(1) + "}' instead");
        }
        if (part.startsWith("*") && part.length() > 1) {
            throw new InvalidRouteException("route '" + pattern + "' uses the old '" + part
                    + "' syntax; write '{" + part + "}' instead");
        }
        if (part.startsWith("{") && part.endsWith("}")) {
            String inner = part.substring(1, part.length() - 1);
            boolean catchAll = inner.startsWith("*");
            String name = catchAll ? inner.substring(1) : inner;
            if (!isName(name)) {
                throw new InvalidRouteException("route '" + pattern + "' has an invalid parameter '" + part
                        + "'; names are letters, digits and '_', not starting with a digit");
            }
            if (catchAll && !last) {
                throw new InvalidRouteException("route '" + pattern + "': the catch-all '" + part
                        + "' must be the last segment");
            }
            return catchAll ? new CatchAll(name) : new Param(name);
        }
        if (part.indexOf('{') >= 0 || part.indexOf('}') >= 0) {
            throw new InvalidRouteException("route '" + pattern + "': a parameter must be a whole segment, like"
                    + " '/files/{name}', not '" + part + "'");
        }
        return new Literal(part);
    }

    private static boolean isName(String name) {
        if (name.isEmpty() || Character.isDigit(name.charAt(0))) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(Character.isLetterOrDigit(c) && c < 0x80 || c == '_')) {
                return false;
            }
        }
        return true;
    }

    /**
     * Parses a {@code nest} prefix: a pattern without catch-all that is not {@code /} and does not
     * end with {@code /}.
     */
    public static PathPattern parsePrefix(String prefix) {
        PathPattern pattern = parse(prefix);
        if (prefix.equals("/")) {
            throw new InvalidRouteException("cannot nest at '/'; use merge(router) to combine routers at the root");
        }
        if (prefix.endsWith("/")) {
            throw new InvalidRouteException("nest prefix '" + prefix + "' must not end with '/'; write '"
                    + prefix.substring(0, prefix.length() - 1) + "'");
        }
        if (pattern.segments.getLast() instanceof CatchAll) {
            throw new InvalidRouteException("nest prefix '" + prefix + "' must not contain a catch-all");
        }
        return pattern;
    }

    /**
     * This pattern under {@code prefix}: {@code /} becomes the prefix itself, {@code /x} becomes
     * {@code prefix/x}.
     */
    public PathPattern under(PathPattern prefix) {
        if (prefix == null) {
            return this;
        }
        if (text.equals("/")) {
            return prefix;
        }
        List<Segment> joined = new ArrayList<>(prefix.segments);
        joined.addAll(segments);
        PathPattern result = new PathPattern(prefix.text + text, joined);
        Set<String> seen = new HashSet<>();
        for (String name : result.paramNames()) {
            if (!seen.add(name)) {
                throw new InvalidRouteException("route '" + result.text + "' uses parameter {" + name
                        + "} twice (once in the nest prefix)");
            }
        }
        return result;
    }

    /** Parameter names in path order. */
    public List<String> paramNames() {
        List<String> names = new ArrayList<>();
        for (Segment segment : segments) {
            switch (segment) {
                case Param p -> names.add(p.name());
                case CatchAll c -> names.add(c.name());
                case Literal l -> { }
            }
        }
        return names;
    }

    /** Whether the pattern has no parameter, so it matches exactly its own text. */
    public boolean isStatic() {
        return segments.stream().allMatch(s -> s instanceof Literal);
    }

    /** Whether {@code path} is this prefix pattern or lies below it. */
    public boolean isPrefixOf(String path) {
        int pos = 1;
        for (Segment segment : segments) {
            if (pos > path.length()) {
                return false;
            }
            int end = path.indexOf('/', pos);
            if (end < 0) {
                end = path.length();
            }
            switch (segment) {
                case Literal l -> {
                    if (!path.regionMatches(pos, l.text(), 0, l.text().length()) || end - pos != l.text().length()) {
                        return false;
                    }
                }
                case Param p -> {
                    if (end == pos) {
                        return false;
                    }
                }
                case CatchAll c -> {
                    return true;
                }
            }
            pos = end + 1;
        }
        return true;
    }

    @Override
    public String toString() {
        return text;
    }
}
