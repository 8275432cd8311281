package dev.weft.internal.routing;

import dev.weft.http.Request;
import dev.weft.middleware.Middleware;
import dev.weft.middleware.Next;
import dev.weft.response.Response;
import java.util.Objects;

/**
 * A layer that only gives another one a new name for the route table ({@code Middleware.named}).
 * It behaves as the layer it renames, kind included, and every build check sees that layer
 * through it ({@link Layers#unwrap}). Final, and built only from an existing layer, so a chain of
 * renamings always ends (no cycle), and no other class can pass itself off as one.
 */
public final class Renamed implements Middleware {
    private final String name;
    private final Middleware renamed;

    public Renamed(String name, Middleware renamed) {
        this.name = Objects.requireNonNull(name, "name");
        this.renamed = Objects.requireNonNull(renamed, "middleware");
    }

    /** The layer this one renames (itself possibly a renaming). */
    public Middleware renamed() {
        return renamed;
    }

    @Override
    public Response handle(Request request, Next next) throws Exception {
        return renamed.handle(request, next);
    }

    @Override
    public String name() {
        return name;
    }

    /** The renamed layer's kind: a name is for display and changes no check. */
    @Override
    public Kind kind() {
        return renamed.kind();
    }
}
