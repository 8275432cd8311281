/**
 * Authentication layers and the principal extractor.
 *
 * <p>{@link dev.weft.auth.BasicAuth} (RFC 7617), {@link dev.weft.auth.BearerAuth} (RFC 6750) and
 * {@link dev.weft.auth.ApiKeyAuth} are layers of {@link dev.weft.middleware.Middleware.Kind#AUTHENTICATION}:
 * install them with {@code routeLayer} (404 and 405 stay what they are; {@code layer} fails the
 * build) and put CORS outside them. JWT lives in the {@code weft-jwt} module ({@code JwtAuth}),
 * built on {@link dev.weft.auth.BearerAuth}.
 *
 * <p>Handlers read who was authenticated with {@link dev.weft.auth.Auth#principal()} and require
 * roles or scopes with {@link dev.weft.auth.Auth#requireRole}; a route asking for either without an
 * authentication layer around it fails at {@code build()}. WebSocket upgrades are {@code GET}
 * routes, so the same layers cover them.
 *
 * <p>Refusals are problem+json: 401 with a {@code WWW-Authenticate} challenge (the same body
 * whatever was wrong), 403 for a missing role, 400 only for a malformed Bearer request (RFC 6750
 * requires it), 503 with {@code retry-after} when a verifier cannot reach its keys.
 */
package dev.weft.auth;
