package dev.weft.server;

/**
 * Which forwarding headers a trusted proxy writes, so the server reads those and no others (a
 * header the proxy passes through untouched is the client's to forge).
 */
public enum ForwardedHeaders {
    /**
     * {@code X-Forwarded-For} (each proxy appends the address it received the request from),
     * {@code X-Forwarded-Proto} and {@code X-Forwarded-Host} (the right-most value). What nginx,
     * HAProxy and most cloud load balancers send; the default.
     */
    X_FORWARDED,
    /** RFC 7239 {@code Forwarded} ({@code for}, {@code proto}, {@code host} of each element). */
    FORWARDED
}
