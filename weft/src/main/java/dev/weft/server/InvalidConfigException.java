package dev.weft.server;

import dev.weft.WeftException;
import java.util.List;

/** One or more server options are invalid; the message lists every problem, one per line. */
public final class InvalidConfigException extends WeftException {
    private static final long serialVersionUID = 1L;
    private final List<String> problems;

    public InvalidConfigException(List<String> problems) {
        super("invalid server configuration:\n  - " + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    /** Each problem, naming its option. */
    public List<String> problems() {
        return problems;
    }
}
