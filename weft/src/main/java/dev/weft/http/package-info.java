/**
 * The HTTP model shared by extractors, middleware and the server: {@link dev.weft.http.Request},
 * {@link dev.weft.http.Headers}, {@link dev.weft.http.Method}.
 *
 * <p>Requests are needed by routing, extraction and middleware alike, so they live in a package
 * of their own.
 */
package dev.weft.http;
