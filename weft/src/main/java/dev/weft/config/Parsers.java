package dev.weft.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The parsers for environment values. Every parser except {@link #string()} and
 * {@link #secret()} ignores surrounding whitespace. Each refusal says what was expected, so the
 * problem table needs no other explanation.
 *
 * <table class="striped">
 * <caption>Parsers</caption>
 * <thead><tr><th>parser</th><th>accepts</th><th>refuses</th></tr></thead>
 * <tbody>
 * <tr><td>{@link #integer(int, int)}</td><td>decimal integers in the range</td><td>out of range, {@code 1e3}, {@code 0x10}, {@code 1_000}, overflow</td></tr>
 * <tr><td>{@link #duration()}</td><td>{@code 250ms}, {@code 5s}, {@code 2m}, {@code 1h}, {@code 1d}, {@code 0}, ISO {@code PT5S}</td><td>no unit ({@code 5}), negative, overflow, {@code 5 seconds}</td></tr>
 * <tr><td>{@link #bool()}</td><td>{@code true}, {@code false} (any case)</td><td>{@code yes}, {@code no}, {@code 1}, {@code 0}, {@code on}, {@code off}</td></tr>
 * <tr><td>{@link #uri(String...)}</td><td>absolute URIs with an allowed scheme and a host</td><td>other schemes, relative URIs, no host</td></tr>
 * <tr><td>{@link #port()}</td><td>1..65535 ({@link #portOrZero()}: also 0, any free port)</td><td>anything else</td></tr>
 * <tr><td>{@link #enumOf(Class)}</td><td>a constant's name, any case, {@code -} for {@code _}</td><td>other names (the valid ones are listed)</td></tr>
 * <tr><td>{@link #list(ValueParser)}</td><td>comma-separated items, each trimmed and parsed</td><td>empty items ({@code a,,b}), any bad item</td></tr>
 * <tr><td>{@link #string(int, int)}</td><td>text with a length (in code points) in the range</td><td>too short, too long</td></tr>
 * <tr><td>{@link #secret()}</td><td>any text, as a {@link Secret}; masked everywhere</td><td>nothing</td></tr>
 * </tbody>
 * </table>
 */
public final class Parsers {
    private Parsers() {}

    /** Any {@code int}. */
    public static ValueParser<Integer> integer() {
        return integer(Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    /** An {@code int} in {@code min..max} (inclusive). */
    public static ValueParser<Integer> integer(int min, int max) {
        if (min > max) {
            throw new IllegalArgumentException("min " + min + " > max " + max);
        }
        String expected = min == Integer.MIN_VALUE && max == Integer.MAX_VALUE ? "integer"
                : max == Integer.MAX_VALUE ? "integer >= " + min : "integer " + min + ".." + max;
        return of(expected, Math.max(min, Math.min(0, max)), text -> (int) parseLong(text, min, max));
    }

    /** A {@code long} in {@code min..max} (inclusive). */
    public static ValueParser<Long> longInteger(long min, long max) {
        if (min > max) {
            throw new IllegalArgumentException("min " + min + " > max " + max);
        }
        return of("integer " + min + ".." + max, Math.max(min, Math.min(0L, max)), text -> parseLong(text, min, max));
    }

    /** A TCP port, 1..65535. */
    public static ValueParser<Integer> port() {
        return of("port 1..65535", 1, text -> (int) parseLong(text, 1, 65535));
    }

    /** A TCP port, or 0 for any free port. */
    public static ValueParser<Integer> portOrZero() {
        return of("port 0..65535 (0: any free port)", 0, text -> (int) parseLong(text, 0, 65535));
    }

    /** A duration of zero or more. */
    public static ValueParser<Duration> duration() {
        return duration(Duration.ZERO, null);
    }

    /** A positive duration (zero refused). */
    public static ValueParser<Duration> positiveDuration() {
        return duration(Duration.ofNanos(1), null);
    }

    /**
     * A duration in {@code min..max}; {@code max} may be {@code null} for no upper bound.
     */
    public static ValueParser<Duration> duration(Duration min, Duration max) {
        Objects.requireNonNull(min, "min");
        String range = min.isZero() && max == null ? "" : min.equals(Duration.ofNanos(1)) && max == null ? ", above 0"
                : ", " + human(min) + ".." + (max == null ? "" : human(max));
        return of("duration like 250ms, 5s, 2m, 1h or PT5S" + range, min, text -> {
            Duration d = parseDuration(text.strip());
            if (d.compareTo(min) < 0 || (max != null && d.compareTo(max) > 0)) {
                throw new IllegalArgumentException("out of range");
            }
            return d;
        });
    }

    /** {@code true} or {@code false}, in any case; nothing else. */
    public static ValueParser<Boolean> bool() {
        return of("true or false", false, text -> switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            case "yes", "y", "on", "1", "enabled" -> throw new IllegalArgumentException("write true, not '" + text.strip() + "'");
            case "no", "n", "off", "0", "disabled" -> throw new IllegalArgumentException("write false, not '" + text.strip() + "'");
            default -> throw new IllegalArgumentException("not a boolean");
        });
    }

    /**
     * An absolute URI whose scheme is one of {@code schemes} (compared ignoring case) and which
     * names a host. With no scheme given, {@code http} and {@code https}.
     */
    public static ValueParser<URI> uri(String... schemes) {
        Set<String> allowed = schemes.length == 0 ? Set.of("http", "https")
                : Arrays.stream(schemes).map(s -> s.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
        String list = allowed.stream().sorted().map(s -> s + "://").collect(Collectors.joining(" or "));
        return of("URL " + list + "host...", null, text -> {
            URI uri;
            try {
                uri = new URI(text.strip());
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("not a URL");
            }
            if (uri.getScheme() == null) {
                throw new IllegalArgumentException("no scheme");
            }
            if (!allowed.contains(uri.getScheme().toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("scheme " + uri.getScheme() + " is not allowed");
            }
            if (uri.getHost() == null) {
                throw new IllegalArgumentException("no host");
            }
            return uri;
        });
    }

    /** One of {@code type}'s constants, by name, ignoring case; {@code -} may stand for {@code _}. */
    public static <E extends Enum<E>> ValueParser<E> enumOf(Class<E> type) {
        E[] constants = type.getEnumConstants();
        String names = Arrays.stream(constants).map(c -> c.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", "));
        return of("one of " + names, constants.length == 0 ? null : constants[0], text -> {
            String wanted = text.strip().replace('-', '_');
            for (E c : constants) {
                if (c.name().equalsIgnoreCase(wanted)) {
                    return c;
                }
            }
            throw new IllegalArgumentException("not one of the values");
        });
    }

    /** Comma-separated items, each trimmed and parsed by {@code element}. */
    public static <T> ValueParser<List<T>> list(ValueParser<T> element) {
        Objects.requireNonNull(element, "element");
        return new ValueParser<>() {
            @Override
            public List<T> parse(String text) {
                List<T> out = new ArrayList<>();
                String[] items = text.split(",", -1);
                List<String> bad = new ArrayList<>();
                for (int i = 0; i < items.length; i++) {
                    String item = items[i].strip();
                    if (item.isEmpty()) {
                        bad.add("item " + (i + 1) + " is empty");
                        continue;
                    }
                    try {
                        out.add(element.parse(item));
                    } catch (IllegalArgumentException e) {
                        bad.add("item " + (i + 1) + ": " + e.getMessage());
                    }
                }
                if (!bad.isEmpty()) {
                    throw new IllegalArgumentException(String.join("; ", bad.subList(0, Math.min(3, bad.size())))
                            + (bad.size() > 3 ? "; and " + (bad.size() - 3) + " more" : ""));
                }
                return List.copyOf(out);
            }

            @Override
            public String expected() {
                return "comma-separated list of " + element.expected();
            }

            @Override
            public boolean secret() {
                return element.secret();
            }

            @Override
            public List<T> placeholder() {
                return List.of();
            }
        };
    }

    /** Any text, as it is (no trimming). */
    public static ValueParser<String> string() {
        return of("text", "", text -> text);
    }

    /** Text of {@code minLength..maxLength} code points, as it is (no trimming). */
    public static ValueParser<String> string(int minLength, int maxLength) {
        if (minLength < 0 || minLength > maxLength) {
            throw new IllegalArgumentException("bad length range " + minLength + ".." + maxLength);
        }
        return of("text of " + minLength + ".." + maxLength + " characters", "", text -> {
            int n = text.codePointCount(0, text.length());
            if (n < minLength) {
                throw new IllegalArgumentException("too short (" + n + " characters)");
            }
            if (n > maxLength) {
                throw new IllegalArgumentException("too long (" + n + " characters)");
            }
            return text;
        });
    }

    /** Any text, as a {@link Secret}: masked in every table and message. */
    public static ValueParser<Secret> secret() {
        return sensitive(of("secret", Secret.of(""), Secret::of));
    }

    /** {@code parser}, with its values masked in every table and message. */
    public static <T> ValueParser<T> sensitive(ValueParser<T> parser) {
        Objects.requireNonNull(parser, "parser");
        return new ValueParser<>() {
            @Override
            public T parse(String text) {
                try {
                    return parser.parse(text);
                } catch (IllegalArgumentException e) {
                    // The inner message may quote the value ("write true, not 'x'"): keep it out.
                    throw new IllegalArgumentException("invalid");
                }
            }

            @Override
            public String expected() {
                return parser.expected();
            }

            @Override
            public boolean secret() {
                return true;
            }

            @Override
            public T placeholder() {
                return parser.placeholder();
            }
        };
    }

    /** A parser from a function; {@link IllegalArgumentException}s it throws become problems. */
    public static <T> ValueParser<T> of(String expected, T placeholder, Function<String, T> parse) {
        Objects.requireNonNull(expected, "expected");
        Objects.requireNonNull(parse, "parse");
        return new ValueParser<>() {
            @Override
            public T parse(String text) {
                return parse.apply(text);
            }

            @Override
            public String expected() {
                return expected;
            }

            @Override
            public T placeholder() {
                return placeholder;
            }
        };
    }

    private static long parseLong(String text, long min, long max) {
        String s = text.strip();
        if (!s.matches("[+-]?[0-9]{1,19}")) {
            throw new IllegalArgumentException(s.matches("[+-]?[0-9]+") ? "too large" : "not an integer");
        }
        long v;
        try {
            v = Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("too large");
        }
        if (v < min || v > max) {
            throw new IllegalArgumentException("out of range");
        }
        return v;
    }

    static Duration parseDuration(String s) {
        if (s.equals("0")) {
            return Duration.ZERO;
        }
        if (s.length() > 1 && (s.charAt(0) == 'P' || s.charAt(0) == 'p')) {
            Duration d;
            try {
                d = Duration.parse(s);
            } catch (DateTimeParseException | ArithmeticException e) {
                throw new IllegalArgumentException("not an ISO-8601 duration");
            }
            if (d.isNegative()) {
                throw new IllegalArgumentException("negative");
            }
            return d;
        }
        var m = java.util.regex.Pattern.compile("([0-9]{1,18})(ms|s|m|h|d)").matcher(s);
        if (!m.matches()) {
            if (s.matches("-.*")) {
                throw new IllegalArgumentException("negative");
            }
            if (s.matches("[0-9]+")) {
                throw new IllegalArgumentException("no unit: write " + s + "s or " + s + "ms");
            }
            if (s.matches("[0-9]{19,}(ms|s|m|h|d)")) {
                throw new IllegalArgumentException("too large");
            }
            throw new IllegalArgumentException("not a duration");
        }
        long n = Long.parseLong(m.group(1));
        try {
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("too large");
        }
    }

    static String human(Duration d) {
        if (d.isZero()) {
            return "0";
        }
        if (d.toMillisPart() != 0 || d.toNanosPart() != 0) {
            return d.toMillis() + "ms";
        }
        long s = d.toSeconds();
        return s % 3600 == 0 ? s / 3600 + "h" : s % 60 == 0 ? s / 60 + "m" : s + "s";
    }
}
