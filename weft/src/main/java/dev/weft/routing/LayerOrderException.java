package dev.weft.routing;

import dev.weft.WeftException;
import java.util.List;

/**
 * Built-in layers are stacked in an order that breaks them: CORS inside authentication, an
 * authentication layer that would answer 401 for paths without a route, a path rewrite that runs
 * after routing (see {@link dev.weft.middleware.Middleware.Kind}). Thrown by
 * {@link Router.Builder#build()}; the message lists every problem with its fix.
 */
public final class LayerOrderException extends WeftException {
    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    public LayerOrderException(List<String> problems) {
        super(message(problems));
        this.problems = List.copyOf(problems);
    }

    /** Each problem on its own, in the order found. */
    public List<String> problems() {
        return problems;
    }

    private static String message(List<String> problems) {
        if (problems.size() == 1) {
            return problems.getFirst();
        }
        StringBuilder out = new StringBuilder(problems.size() + " problems with the order of layers:");
        for (String problem : problems) {
            out.append("\n  - ").append(problem);
        }
        return out.toString();
    }
}
