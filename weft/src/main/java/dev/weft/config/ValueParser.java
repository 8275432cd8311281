package dev.weft.config;

/**
 * Turns the text of one environment variable into a value, or refuses it with a message that
 * says what was wrong. Build them with {@link Parsers}.
 *
 * <p>A parser runs once per variable at startup, on the thread that reads the configuration.
 *
 * @param <T> the parsed type
 */
public interface ValueParser<T> {
    /**
     * Parses {@code text} (never empty: an empty variable counts as missing).
     *
     * @throws IllegalArgumentException with a short reason, shown in the problem table; the
     *     reason must not repeat a secret value
     */
    T parse(String text);

    /** The expected form, shown in the table, e.g. {@code "integer 1..1000"}. */
    String expected();

    /** Whether values of this parser are secret: masked in every table, message and log. */
    default boolean secret() {
        return false;
    }

    /**
     * What a required read returns while the value is missing or invalid, so that building a
     * record or unboxing a primitive does not fail before every problem is collected. The
     * application never sees it: {@link Config#check()} throws first. Default {@code null}.
     */
    default T placeholder() {
        return null;
    }
}
