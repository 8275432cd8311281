package dev.weft.internal.routing;

import dev.weft.middleware.Middleware;

/**
 * A layer that only gives another one a new name ({@code Middleware.named}): the build checks
 * that look for a layer by its type ({@code RouteShape.layers}) see the one inside.
 */
public interface Renamed extends Middleware {

    /** The layer this one renames. */
    Middleware renamed();

    /** {@code layer} with every renaming taken off. */
    static Middleware unwrap(Middleware layer) {
        Middleware inner = layer;
        while (inner instanceof Renamed renamed) {
            inner = renamed.renamed();
        }
        return inner;
    }
}
