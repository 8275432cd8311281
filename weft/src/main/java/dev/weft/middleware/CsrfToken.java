package dev.weft.middleware;

/**
 * A masked copy of the session's CSRF token, for a page or client to send back with requests that
 * change state: in header {@code header}, or in form field {@code field}. Each copy is masked
 * afresh, so no two responses carry the same bytes (against BREACH); every copy is valid for the
 * session until the token is rotated with it. Taken with {@link CrossOriginProtection#token()}.
 *
 * @param value the masked token (base64url, 86 characters)
 * @param header the header name to send it in
 * @param field the urlencoded form field name to send it in
 */
public record CsrfToken(String value, String header, String field) {
    @Override
    public String toString() {
        return value;
    }
}
