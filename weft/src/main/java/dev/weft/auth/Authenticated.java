package dev.weft.auth;

/**
 * What an authentication layer attaches to a request (as an extension keyed by this
 * package-private type, so no code outside this package can forge one).
 *
 * @param principal who was authenticated
 * @param bearerRealm the realm of a Bearer layer, for the {@code insufficient_scope} challenge of a
 *     403; empty for other schemes (RFC 7617 and API keys define no 403 challenge)
 */
record Authenticated(Principal principal, String bearerRealm) {}
