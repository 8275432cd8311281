/**
 * Routing: {@link dev.weft.routing.Router} matches a request to a route and runs its
 * {@link dev.weft.routing.Handler}.
 *
 * <h2>Decisions</h2>
 * <ul>
 *   <li>Path parameters are percent-decoded when extracted, not while matching: matching is on
 *       the raw path, so {@code /a%2Fb} is one segment.</li>
 *   <li>Nested routes are declared relative to their prefix, but the request is not rewritten:
 *       {@code request.path()} is always the path the client sent, and
 *       {@code request.matchedPath()} the full pattern. (Axum rewrites the URI and needs an
 *       {@code OriginalUri} extractor to undo it; Weft keeps one truth.)</li>
 *   <li>{@code nest("/api", r)} with a route {@code /} in {@code r} serves {@code /api} only, not
 *       {@code /api/} (as in Axum 0.8).</li>
 *   <li>A nested router keeps its own layers, state, body limit and exception mappers; state,
 *       body limit and mappers given to a parent flow into the routers nested in it (the child's
 *       own win). A router built on its own must be complete; pass the unbuilt
 *       {@link dev.weft.routing.Router.Builder} to {@code nest} when it relies on its parent.</li>
 *   <li>A 404 inside a nested router's prefix is answered by the innermost router that has a
 *       fallback, wrapped in that router's layers.</li>
 *   <li>405 answers list every allowed method in {@code Allow}, including {@code HEAD} when
 *       {@code GET} is routed and {@code OPTIONS}, which Weft answers automatically.</li>
 * </ul>
 */
package dev.weft.routing;
