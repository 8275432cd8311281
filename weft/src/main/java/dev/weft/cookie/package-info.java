/**
 * Cookies: reading the ones a request carries, setting and removing them, and signed (HMAC-SHA256)
 * or private (AES-256-GCM) cookies under a rotating key ring.
 *
 * <p>A handler takes a jar ({@link dev.weft.cookie.Cookies#jar()},
 * {@link dev.weft.cookie.Cookies#signed}, {@link dev.weft.cookie.Cookies#encrypted}); what it adds
 * or removes is written to the response it returns as {@code set-cookie} lines, without returning
 * the jar. Cookies Weft sets default to {@code Path=/}, {@code HttpOnly}, {@code SameSite=Lax}, and
 * {@code Secure} when the request came over TLS ({@link dev.weft.cookie.Cookie}).
 *
 * {@snippet class=dev.weft.cookie.CookieExamples region=jar}
 */
package dev.weft.cookie;
