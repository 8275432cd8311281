package dev.weft.diagnostics;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A request whose handler is running, as listed by {@link Diagnostics#inFlight()} and
 * {@code GET /debug/requests}.
 *
 * @param id a number unique within one {@link Diagnostics}, in arrival order
 * @param method the request method
 * @param route the matched route template ({@code /users/{id}}); empty while routing or when no route matched
 * @param path the request path without its query, sanitised: control characters replaced by
 *     {@code ?} and cut to 200 characters (it is attacker-controlled and ends up in logs)
 * @param age how long the handler has been running
 * @param protocol {@code HTTP/1.1}, {@code HTTP/2.0}, ...
 * @param client the client's address (from a trusted proxy's headers when configured)
 * @param thread the name and id of the thread running the handler
 */
public record InFlightRequest(long id, String method, Optional<String> route, String path, Duration age,
        String protocol, String client, String thread) {
    public InFlightRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(route, "route");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(age, "age");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(thread, "thread");
    }
}
