/**
 * Middleware: functions of {@code (request, next) -> response}, composed as layers.
 *
 * <p><b>Ordering.</b> The first layer added is the outermost: with {@code .layer(a).layer(b)} a
 * request passes through {@code a}, then {@code b}, then the handler, and the response comes back
 * through {@code b}, then {@code a}. Where a layer is added in the builder does not matter: a
 * layer wraps every route of its router, including routes added after it (unlike Axum).
 *
 * <p><b>Scopes.</b>
 * <ul>
 *   <li>{@code Router.Builder.layer(m)} wraps everything the router handles: matched routes, 404
 *       fallbacks, 405 and automatic OPTIONS answers.</li>
 *   <li>{@code Router.Builder.routeLayer(m)} wraps matched routes only, so an authentication
 *       layer never turns a 404 into a 401.</li>
 *   <li>{@code Handler.layer(m)} wraps one route.</li>
 * </ul>
 * For a route the effective order is: the router's layers, its route layers, then the route's own
 * layers. A nested router's layers come inside its parent's route layers. {@code Router.routeTable()}
 * prints the effective stack of every route.
 *
 * <p><b>Failures.</b> A middleware never sees an exception from {@code next.run}: whatever the
 * layers inside it, the extractors or the handler throw has become a response first (a rejection,
 * a mapped exception, or 500), so an outer layer (CORS, an access log, a request id) decorates
 * error answers like any other.
 *
 * <p><b>Checked order.</b> Weft's own layers declare a {@link dev.weft.middleware.Middleware.Kind},
 * and {@code Router.Builder.build()} refuses stacks that break them, listing every problem with
 * its fix ({@link dev.weft.routing.LayerOrderException}): CORS inside authentication, CSRF
 * protection, rate or concurrency limits; authentication installed with {@code layer} instead of
 * {@code routeLayer}; a path rewrite anywhere but a {@code layer} of the outermost router. An
 * application's own authentication middleware opts in to these checks by overriding
 * {@code kind()}. A layer renamed with {@link dev.weft.middleware.Middleware#named} keeps its kind
 * and meets every build check as the layer it renames. The recommended stack, outermost first:
 * {@code RequestId → AccessLog → Timeout → Cors → SecurityHeaders → Compression →
 * RequestDecompression → [router] → routeLayer(authentication → per-user limits)}.
 */
package dev.weft.middleware;
