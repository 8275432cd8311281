/**
 * Sessions: the {@link dev.weft.session.Sessions} layer, the {@link dev.weft.session.Session}
 * extractor, and where sessions live (in an encrypted cookie, or a
 * {@link dev.weft.session.SessionStore}). The layer holds a
 * {@link dev.weft.middleware.CrossOriginProtection} by default, so cookie-authenticated routes are
 * protected from cross-site requests without a further step.
 */
package dev.weft.session;
