package dev.weft.test;

import dev.weft.http.Headers;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * A response as a test sees it, from either client.
 *
 * @param status the status code
 * @param headers the response headers (lower-case names)
 * @param bodyBytes the body as received (empty for HEAD)
 */
public record TestResponse(int status, Headers headers, byte[] bodyBytes) {

    /** The body decoded as UTF-8. */
    public String body() {
        return new String(bodyBytes, StandardCharsets.UTF_8);
    }

    /** The first value of header {@code name}. */
    public Optional<String> header(String name) {
        return headers.first(name);
    }

    /** The {@code content-type} header, or an empty string. */
    public String contentType() {
        return header("content-type").orElse("");
    }

    @Override
    public String toString() {
        return "TestResponse[" + status + " " + headers + " " + body() + "]";
    }
}
