package dev.weft.internal.http;

import java.util.Optional;

/**
 * Where {@code CrossOriginProtection}'s token mode keeps its synchronizer token: the session of
 * the request, put on it as an extension by the {@code Sessions} layer. The token is raw (32
 * random bytes); only masked copies ever leave the server. Confined to the request's thread.
 */
public interface CsrfTokenVault {

    /** The session's token, if it has one (reading it creates no session). */
    Optional<byte[]> csrfToken();

    /** The session's token, created and stored in the session (which is then created) if it has none. */
    byte[] csrfTokenOrCreate();

    /** Marks a layer that puts a vault on every request it passes on (the {@code Sessions} layer). */
    interface Provider {}
}
