/**
 * The HTTP model shared by extractors, middleware and the server: {@link dev.weft.http.Request},
 * {@link dev.weft.http.Headers}, {@link dev.weft.http.Method}.
 *
 * <p>This package is an addition to the layout sketched in the design brief: requests are needed
 * by routing, extraction and middleware alike, so they live in a package of their own rather
 * than in any one of those.
 */
package dev.weft.http;
