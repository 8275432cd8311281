package dev.weft.test;

import java.time.Duration;
import java.util.Optional;

/**
 * An event as a browser's {@code EventSource} would dispatch it (WHATWG HTML, "Server-sent events").
 *
 * @param event the event type: the {@code event} field, or {@code message} when there was none
 * @param data the {@code data} lines joined with LF
 * @param lastEventId the stream's last event id when the event was dispatched: the latest
 *     {@code id} field seen so far (ids holding NUL are ignored), empty if none; as
 *     {@code MessageEvent.lastEventId}, it carries over to later events without an {@code id}
 * @param retry the reconnection delay if a valid {@code retry} field came since the previous event
 */
public record ServerEvent(String event, String data, String lastEventId, Optional<Duration> retry) {

    /** A {@code message} event with {@code data}, no id and no retry, for comparisons. */
    public static ServerEvent message(String data) {
        return new ServerEvent("message", data, "", Optional.empty());
    }
}
