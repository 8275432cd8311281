package dev.weft.internal.routing;

import dev.weft.middleware.Middleware;
import java.util.ArrayList;
import java.util.List;

/**
 * How the checks {@code Router.Builder.build()} makes see a layer: through the wrappers Weft adds
 * only for display ({@link Renamed}, from {@code Middleware.named}), so a renamed layer passes and
 * fails every check exactly as the plain one. Every check goes through here: the order checks of
 * {@code Middleware.Kind}, {@code RouteShape.hasLayer} and {@code RouteShape.layers}, and the
 * {@link RouteChecked} checks of {@code CrossOriginProtection} and {@code Sessions}. Names are
 * not unwrapped: a problem names a layer as the route table shows it.
 *
 * <p>An application's own wrapper (a middleware that holds another and delegates to it) is not
 * seen through: Weft cannot know what it does with the layer it holds. A layer whose {@code kind()}
 * claims a kind is checked as that kind, as {@code Middleware.kind()} documents.
 */
public final class Layers {
    private Layers() {}

    /** {@code layer} with every renaming taken off: the layer that does the work. */
    public static Middleware unwrap(Middleware layer) {
        Middleware inner = layer;
        while (inner instanceof Renamed renamed) {
            inner = renamed.renamed();
        }
        return inner;
    }

    /** {@code stack} with every layer {@linkplain #unwrap(Middleware) unwrapped}, in the same order. */
    public static List<Middleware> unwrap(List<Middleware> stack) {
        List<Middleware> out = new ArrayList<>(stack.size());
        for (Middleware layer : stack) {
            out.add(unwrap(layer));
        }
        return List.copyOf(out);
    }

    /** The kind the checks use: the unwrapped layer's (a rename keeps the kind anyway). */
    public static Middleware.Kind kind(Middleware layer) {
        return unwrap(layer).kind();
    }
}
