package dev.weft.internal.extract;

import dev.weft.extract.RouteShape;
import dev.weft.internal.http.CsrfTokenVault;
import dev.weft.middleware.CspNonce;
import dev.weft.middleware.RequestId;
import dev.weft.middleware.SecurityHeaders;
import dev.weft.routing.InvalidRouteException;
import dev.weft.session.Session;
import dev.weft.session.Sessions;

/**
 * The build checks of the extractors that read what one of Weft's layers attached to the request:
 * a route no such layer wraps would fail every request with 500, so {@code build()} refuses it,
 * naming the route, the layer and where to add it.
 */
public final class LayerChecks {
    /** How every message ends: where the layer may go, and the trap of nesting a built router. */
    private static final String WHERE = " to the router that declares the route (or to a router it is nested in), or"
            + " Handler.layer(...) on the route; for a router nested under one that has the layer, pass its"
            + " Router.Builder to nest(...), not the built Router, so it is checked in place";

    private LayerChecks() {}

    /** {@code Sessions.session()}: a {@code Sessions} layer must wrap the route. */
    public static void sessions(RouteShape route, String what) {
        if (route.layers(Sessions.class).isEmpty()) {
            throw missing(route, what, "Sessions layer", ".layer(...) or .routeLayer(...) with Sessions");
        }
    }

    /** {@code CrossOriginProtection.token()}: a session layer keeping the token must wrap the route. */
    public static void csrfToken(RouteShape route) {
        if (route.layers(CsrfTokenVault.Provider.class).isEmpty()) {
            throw missing(route, "a CSRF token (CrossOriginProtection.token())",
                    "Sessions layer (which keeps the token)", ".layer(...) or .routeLayer(...) with Sessions");
        }
    }

    /** {@code RequestId.extractor()}: a {@code RequestId} layer must wrap the route. */
    public static void requestId(RouteShape route) {
        if (route.layers(RequestId.class).isEmpty()) {
            throw missing(route, "the request id (RequestId.extractor())", "RequestId layer",
                    ".layer(...) with RequestId.create()");
        }
    }

    /** {@code Extract.extension(type)} for the types Weft's layers attach; other types are not checked. */
    public static void extension(Class<?> type, RouteShape route) {
        if (type == Session.class) {
            sessions(route, "the session (Extract.extension(Session.class))");
        } else if (type == CspNonce.class
                && route.layers(SecurityHeaders.class).stream().noneMatch(SecurityHeaders::makesNonce)) {
            throw missing(route, "the CSP nonce (Extract.extension(CspNonce.class))",
                    "SecurityHeaders layer whose content-security-policy has 'nonce-{nonce}'",
                    ".layer(...) with SecurityHeaders.html() (or a policy with 'nonce-{nonce}')");
        }
    }

    private static InvalidRouteException missing(RouteShape route, String what, String layer, String add) {
        return new InvalidRouteException(route.describe() + " asks for " + what + ", but no " + layer
                + " wraps it, so every request would fail with 500; add " + add + WHERE);
    }
}
