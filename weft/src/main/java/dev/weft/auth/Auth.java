package dev.weft.auth;

import dev.weft.extract.Extractor;
import dev.weft.extract.RejectedException;
import dev.weft.extract.Rejection;
import dev.weft.extract.RouteShape;
import dev.weft.http.Request;
import dev.weft.middleware.Middleware;
import dev.weft.response.Status;
import java.util.List;
import java.util.Objects;

/**
 * Extractors for the principal an authentication layer ({@link BasicAuth}, {@link BearerAuth},
 * {@link ApiKeyAuth}, {@code JwtAuth} of {@code weft-jwt}, or an application's own layer of
 * {@link Middleware.Kind#AUTHENTICATION}) found.
 *
 * <p>A route that asks for a principal or a role without such a layer around it fails when the
 * router is built, with {@link MissingAuthenticationException} naming the route: a forgotten
 * {@code routeLayer} never becomes a route anybody can call.
 *
 * {@snippet class=dev.weft.auth.AuthExamples region=roles}
 */
public final class Auth {
    private Auth() {}

    /**
     * The authenticated principal. Never fails on a route its build-time check let through, unless
     * an application's own {@code AUTHENTICATION} layer forgot {@link #authenticate}: then 401.
     */
    public static Extractor<Principal> principal() {
        return new Extractor<>() {
            @Override
            public Principal extract(Request request) {
                return authenticated(request).principal();
            }

            @Override
            public void verify(RouteShape route) {
                requireLayer(route, "the authenticated principal (Auth.principal())");
            }
        };
    }

    /**
     * The authenticated principal, which must hold every one of {@code roles} (roles, or OAuth
     * scopes for Bearer tokens); otherwise {@code 403 Forbidden} problem+json naming the roles
     * required, and, behind {@link BearerAuth}, {@code WWW-Authenticate: Bearer ...,
     * error="insufficient_scope", scope="..."} (RFC 6750 §3.1).
     *
     * @throws IllegalArgumentException if no role is given or one is not an RFC 6750 scope token
     */
    public static Extractor<Principal> requireRole(String... roles) {
        List<String> required = List.of(roles);
        if (required.isEmpty()) {
            throw new IllegalArgumentException("requireRole needs at least one role");
        }
        for (String role : required) {
            if (!Challenges.isScopeToken(role)) {
                throw new IllegalArgumentException("role '" + role
                        + "' must be printable ASCII without spaces, '\"' or '\\'");
            }
        }
        String scope = String.join(" ", required);
        String detail = (required.size() == 1 ? "this route requires the role '" : "this route requires the roles '")
                + String.join("', '", required) + "'";
        return new Extractor<>() {
            @Override
            public Principal extract(Request request) {
                Authenticated found = authenticated(request);
                for (String role : required) {
                    if (!found.principal().hasRole(role)) {
                        String challenge = found.bearerRealm().isEmpty() ? ""
                                : "Bearer " + Challenges.param("realm", found.bearerRealm()) + ", "
                                        + Challenges.param("error", "insufficient_scope") + ", "
                                        + Challenges.param("scope", scope);
                        throw new RejectedException(new Rejection.AuthenticationRefused(Status.FORBIDDEN, detail,
                                challenge));
                    }
                }
                return found.principal();
            }

            @Override
            public void verify(RouteShape route) {
                requireLayer(route, "the role" + (required.size() == 1 ? " '" : "s '")
                        + String.join("', '", required) + "' (Auth.requireRole)");
            }
        };
    }

    /**
     * Attaches {@code principal} to {@code request}, for an application's own authentication
     * layer (one whose {@link Middleware#kind()} is {@link Middleware.Kind#AUTHENTICATION}), so
     * that {@link #principal()} and {@link #requireRole} work behind it. Call it before
     * {@code next.run(request)}.
     */
    public static void authenticate(Request request, Principal principal) {
        attach(request, principal, "");
    }

    static void attach(Request request, Principal principal, String bearerRealm) {
        request.putExtension(Authenticated.class,
                new Authenticated(Objects.requireNonNull(principal, "principal"), bearerRealm));
    }

    private static Authenticated authenticated(Request request) {
        return request.extension(Authenticated.class).orElseThrow(() -> new RejectedException(
                new Rejection.AuthenticationRefused(Status.UNAUTHORIZED, Challenges.UNAUTHENTICATED, "")));
    }

    private static void requireLayer(RouteShape route, String what) {
        if (!route.hasLayer(Middleware.Kind.AUTHENTICATION)) {
            throw new MissingAuthenticationException(route.describe() + " asks for " + what
                    + ", but no authentication layer wraps it, so every caller would get in; add "
                    + ".routeLayer(...) with BasicAuth, BearerAuth, ApiKeyAuth or JwtAuth to the router that "
                    + "declares the route (or to a router it is nested in), or Handler.layer(...) on the route; "
                    + "for a router nested under an authenticated one, pass its Router.Builder to nest(...), "
                    + "not the built Router, so it is checked in place");
        }
    }
}
