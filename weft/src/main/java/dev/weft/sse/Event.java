package dev.weft.sse;

import dev.weft.json.JsonCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * One server-sent event: data (text or a JSON value), and optionally an event name, an id and a
 * reconnection delay; or a comment, which clients ignore.
 *
 * {@snippet class=dev.weft.sse.SseExamples region=event}
 *
 * <p>Values are made safe for the wire when the event is built: data holding line breaks (CRLF,
 * lone CR or LF) is sent as several {@code data:} lines, which the client joins back with LF; an
 * event name holding CR or LF, or an id holding CR, LF or NUL, throws
 * {@link IllegalArgumentException} (they could otherwise end the field early and inject fields
 * or events). Immutable; the {@code with…} methods return copies.
 */
public final class Event {
    private final String data;
    private final Object json;
    private final boolean isJson;
    private final String event;
    private final String id;
    private final Duration retry;
    private final String comment;

    private Event(String data, Object json, boolean isJson, String event, String id, Duration retry, String comment) {
        this.data = data;
        this.json = json;
        this.isJson = isJson;
        this.event = event;
        this.id = id;
        this.retry = retry;
        this.comment = comment;
    }

    /** An event carrying {@code data}; line breaks in it become separate {@code data:} lines. */
    public static Event data(String data) {
        return new Event(Objects.requireNonNull(data, "data"), null, false, null, null, null, null);
    }

    /**
     * An event carrying {@code value} encoded as JSON by the application's codec when the event is
     * sent (on the producing thread: an emitter's {@code send} throws if encoding fails).
     */
    public static Event json(Object value) {
        return new Event(null, value, true, null, null, null, null);
    }

    /**
     * A comment ({@code : text}), ignored by clients; useful to keep an idle connection open
     * through proxies. Line breaks in {@code text} start further comment lines.
     */
    public static Event comment(String text) {
        return new Event(null, null, false, null, null, null, Objects.requireNonNull(text, "text"));
    }

    /**
     * A copy with event name {@code name} (the client dispatches it as that type instead of
     * {@code message}).
     *
     * @throws IllegalArgumentException if {@code name} holds CR or LF
     */
    public Event withEvent(String name) {
        Objects.requireNonNull(name, "name");
        reject(name, "event name", false);
        return new Event(data, json, isJson, name, id, retry, comment);
    }

    /**
     * A copy with id {@code id}, which the client sends back as {@code Last-Event-ID} when it
     * reconnects. An empty id resets the client's last event id.
     *
     * @throws IllegalArgumentException if {@code id} holds CR, LF or NUL
     */
    public Event withId(String id) {
        Objects.requireNonNull(id, "id");
        reject(id, "event id", true);
        return new Event(data, json, isJson, event, id, retry, comment);
    }

    /**
     * A copy telling the client to wait {@code delay} (whole milliseconds) before reconnecting.
     *
     * @throws IllegalArgumentException if {@code delay} is negative
     */
    public Event withRetry(Duration delay) {
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("retry must not be negative, got " + delay);
        }
        return new Event(data, json, isJson, event, id, delay, comment);
    }

    /** The event name, if set. */
    public Optional<String> event() {
        return Optional.ofNullable(event);
    }

    /** The id, if set. */
    public Optional<String> id() {
        return Optional.ofNullable(id);
    }

    /** The reconnection delay, if set. */
    public Optional<Duration> retry() {
        return Optional.ofNullable(retry);
    }

    private static void reject(String value, String what, boolean nul) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n' || (nul && c == '\0')) {
                throw new IllegalArgumentException(what + " must not contain "
                        + (c == '\r' ? "CR" : c == '\n' ? "LF" : "NUL") + " (at index " + i + ")");
            }
        }
    }

    /** The event as sent, UTF-8, ending with the blank line that dispatches it. */
    byte[] encode(JsonCodec codec) {
        StringBuilder text = new StringBuilder(64);
        if (comment != null) {
            lines(text, ":", comment);
        }
        if (event != null) {
            field(text, "event", event);
        }
        if (id != null) {
            field(text, "id", id);
        }
        if (retry != null) {
            field(text, "retry", Long.toString(retry.toMillis()));
        }
        if (data != null) {
            lines(text, "data", data);
        } else if (isJson) {
            lines(text, "data", new String(codec.write(json), StandardCharsets.UTF_8));
        }
        text.append('\n');
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** {@code name: value}; a value starting with a space keeps it (the client strips one). */
    private static void field(StringBuilder text, String name, String value) {
        text.append(name).append(':');
        if (!value.isEmpty()) {
            text.append(' ').append(value);
        }
        text.append('\n');
    }

    /** One field per line of {@code value}, split on CRLF, CR or LF. */
    private static void lines(StringBuilder text, String name, String value) {
        int start = 0;
        int n = value.length();
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n') {
                line(text, name, value.substring(start, i));
                if (c == '\r' && i + 1 < n && value.charAt(i + 1) == '\n') {
                    i++;
                }
                start = i + 1;
            }
        }
        line(text, name, value.substring(start));
    }

    private static void line(StringBuilder text, String name, String value) {
        if (name.equals(":")) {
            text.append(':');
            if (!value.isEmpty()) {
                text.append(' ').append(value);
            }
            text.append('\n');
        } else {
            field(text, name, value);
        }
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("Event[");
        if (comment != null) {
            s.append("comment=").append(comment);
        } else {
            s.append(isJson ? "json=" + json : "data=" + data);
        }
        event().ifPresent(e -> s.append(", event=").append(e));
        id().ifPresent(i -> s.append(", id=").append(i));
        retry().ifPresent(r -> s.append(", retry=").append(r.toMillis()).append("ms"));
        return s.append(']').toString();
    }
}
