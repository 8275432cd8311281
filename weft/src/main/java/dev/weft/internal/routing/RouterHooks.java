package dev.weft.internal.routing;

import dev.weft.http.Method;
import dev.weft.json.JsonCodec;
import dev.weft.routing.Router;

/**
 * What the server asks of a {@link Router} that is not for users: whether a route may run on the
 * I/O thread, and the router's JSON codec. {@code Router} installs the implementation when its
 * class initializes, which happens before any router exists.
 */
public final class RouterHooks {
    /** The server's view of a router. */
    public interface Access {
        boolean isNonBlocking(Router router, Method method, String path);

        JsonCodec jsonCodec(Router router);
    }

    private static volatile Access access;

    private RouterHooks() {}

    /** Called once, by {@code Router}'s static initializer. */
    public static void install(Access implementation) {
        if (access != null) {
            throw new IllegalStateException("router hooks are already installed");
        }
        access = implementation;
    }

    /**
     * Whether the route that {@code method} and {@code path} match was declared
     * {@code Handler.nonBlocking()}: the server may then run it inline on its I/O thread. Costs
     * one route match; allocates nothing for static routes.
     */
    public static boolean isNonBlocking(Router router, Method method, String path) {
        return access.isNonBlocking(router, method, path);
    }

    /** The codec the router uses for JSON bodies and responses. */
    public static JsonCodec jsonCodec(Router router) {
        return access.jsonCodec(router);
    }
}
