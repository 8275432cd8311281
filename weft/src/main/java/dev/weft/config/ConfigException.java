package dev.weft.config;

import dev.weft.WeftException;
import java.util.List;

/**
 * The configuration is invalid: {@link #problems()} lists every refused or missing variable, and
 * the message is the problem table (secrets masked), ready for stderr.
 *
 * <p>Thrown by {@link Config#check()} before anything was started; {@link ConfigCheck} turns it
 * into exit code 78 ({@code EX_CONFIG}).
 */
public final class ConfigException extends WeftException {
    private static final long serialVersionUID = 1L;
    private final transient List<ConfigEntry> problems;

    ConfigException(List<ConfigEntry> problems) {
        super(Tables.problems(problems));
        this.problems = List.copyOf(problems);
    }

    /** Every problem, in the order the variables were read. */
    public List<ConfigEntry> problems() {
        return problems;
    }
}
