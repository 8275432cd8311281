package dev.weft.internal.extract;

import dev.weft.WeftException;
import dev.weft.extract.Parser;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A text-to-value conversion with the phrase that tells a client what was expected
 * ({@code "path parameter 'id' must be an integer"}).
 */
public record Converter<T>(String expected, Parser<T> parser) {
    private static final Logger LOG = LoggerFactory.getLogger("dev.weft.extract");

    /**
     * Converts {@code text}, or returns {@code null} when the parser refuses it; the refusal is
     * logged at DEBUG (the exception, not the text, which may be anything a client sent).
     */
    public T convertOrNull(String text) {
        try {
            return parser.parse(text);
        } catch (Exception e) {
            LOG.debug("a parser expecting {} refused a value: {}", expected, String.valueOf(e));
            return null;
        }
    }

    /** A converter for a user-supplied parser. */
    public static <T> Converter<T> of(Parser<T> parser) {
        return new Converter<>("a valid value", parser);
    }

    /**
     * The built-in conversion for {@code type}.
     *
     * @throws WeftException if there is none, saying how to supply one
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static <T> Converter<T> forType(Class<T> type) {
        Converter<?> c = builtIn(type);
        if (c == null && type.isEnum()) {
            Class<? extends Enum> enumType = (Class<? extends Enum>) type;
            Object[] constants = enumType.getEnumConstants();
            String names = Arrays.toString(Arrays.stream(constants).map(Object::toString).toArray());
            c = new Converter<>("one of " + names, text -> {
                for (Object constant : constants) {
                    if (((Enum<?>) constant).name().equals(text)) {
                        return constant;
                    }
                }
                for (Object constant : constants) {
                    if (((Enum<?>) constant).name().equalsIgnoreCase(text)) {
                        return constant;
                    }
                }
                throw new IllegalArgumentException("no such constant");
            });
        }
        if (c == null) {
            throw new WeftException("Weft has no built-in conversion to " + type.getName()
                    + "; pass a parser instead, e.g. PathParam.of(\"name\", " + type.getSimpleName() + "::parse)");
        }
        return (Converter<T>) c;
    }

    private static Converter<?> builtIn(Class<?> type) {
        if (type == String.class || type == CharSequence.class || type == Object.class) {
            return new Converter<>("a string", text -> text);
        }
        if (type == int.class || type == Integer.class) {
            return new Converter<>("an integer", text -> Integer.valueOf(strictInteger(text)));
        }
        if (type == long.class || type == Long.class) {
            return new Converter<>("an integer", text -> Long.valueOf(strictInteger(text)));
        }
        if (type == short.class || type == Short.class) {
            return new Converter<>("an integer", text -> Short.valueOf(strictInteger(text)));
        }
        if (type == double.class || type == Double.class) {
            return new Converter<>("a number", text -> finite(Double.parseDouble(strictNumber(text))));
        }
        if (type == float.class || type == Float.class) {
            return new Converter<>("a number", text -> (float) finite(Float.parseFloat(strictNumber(text))));
        }
        if (type == boolean.class || type == Boolean.class) {
            return new Converter<>("true or false", text -> switch (text) {
                case "true" -> Boolean.TRUE;
                case "false" -> Boolean.FALSE;
                default -> throw new IllegalArgumentException("not a boolean");
            });
        }
        if (type == BigInteger.class) {
            return new Converter<>("an integer", text -> new BigInteger(strictInteger(text)));
        }
        if (type == BigDecimal.class) {
            return new Converter<>("a number", text -> new BigDecimal(strictNumber(text)));
        }
        if (type == UUID.class) {
            return new Converter<>("a UUID", text -> {
                if (!isCanonicalUuid(text)) {
                    throw new IllegalArgumentException("not a canonical UUID");
                }
                return UUID.fromString(text);
            });
        }
        if (type == LocalDate.class) {
            return new Converter<>("a date (yyyy-mm-dd)", LocalDate::parse);
        }
        if (type == Instant.class) {
            return new Converter<>("an ISO-8601 instant", Instant::parse);
        }
        return null;
    }

    /** 8-4-4-4-12 hex digits: {@code UUID.fromString} alone accepts signs and misplaced dashes. */
    private static boolean isCanonicalUuid(String text) {
        if (text.length() != 36) {
            return false;
        }
        for (int i = 0; i < 36; i++) {
            char c = text.charAt(i);
            boolean dash = i == 8 || i == 13 || i == 18 || i == 23;
            if (dash ? c != '-' : Character.digit(c, 16) < 0 || c > 0x7f) {
                return false;
            }
        }
        return true;
    }

    /** Integer.parseInt accepts "+1" and non-ASCII digits; an API should not. */
    private static String strictInteger(String text) {
        int start = text.startsWith("-") ? 1 : 0;
        if (text.length() == start || text.length() > 64) {
            throw new IllegalArgumentException("not an integer");
        }
        for (int i = start; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw new IllegalArgumentException("not an integer");
            }
        }
        return text;
    }

    private static String strictNumber(String text) {
        if (text.isEmpty() || text.length() > 64) {
            throw new IllegalArgumentException("not a number");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!(c >= '0' && c <= '9' || c == '-' || c == '.' || c == 'e' || c == 'E' || c == '+')) {
                throw new IllegalArgumentException("not a number");
            }
        }
        return text;
    }

    private static double finite(double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("not finite");
        }
        return value;
    }
}
