package dev.weft.internal.routing;

import dev.weft.internal.http.ServerRequest;
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
        boolean isNonBlocking(Router router, ServerRequest request);

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
     * Whether the route that {@code request}'s method and path match was declared
     * {@code Handler.nonBlocking()}: the server may then run it inline on its I/O thread. The
     * match is kept in the request, so routing it does not match again; allocates nothing for
     * static routes.
     */
    public static boolean isNonBlocking(Router router, ServerRequest request) {
        return access.isNonBlocking(router, request);
    }

    /** The codec the router uses for JSON bodies and responses. */
    public static JsonCodec jsonCodec(Router router) {
        return access.jsonCodec(router);
    }
}
