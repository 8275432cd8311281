package dev.weft.diagnostics;

import java.time.Duration;
import java.util.Objects;

/**
 * How late one event loop ran the lag probe, read-only for metrics ({@code weft.eventloop.lag}).
 *
 * @param loop the server's port and the loop's index, e.g. {@code port 8080 loop 0}
 * @param last the delay of the latest probe run
 * @param max the largest delay seen since the probe started
 */
public record EventLoopLag(String loop, Duration last, Duration max) {
    public EventLoopLag {
        Objects.requireNonNull(loop, "loop");
        Objects.requireNonNull(last, "last");
        Objects.requireNonNull(max, "max");
    }
}
