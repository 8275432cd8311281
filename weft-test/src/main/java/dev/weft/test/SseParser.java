package dev.weft.test;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Parses an event stream by the WHATWG rules: an initial BOM is skipped; lines end with CRLF, LF
 * or CR; a line starting with {@code :} is a comment; {@code data} lines join with LF; an
 * {@code id} holding NUL is ignored; {@code retry} counts only if it is all ASCII digits; an
 * event with no data is not dispatched; an event unfinished at the end of the stream is dropped.
 */
final class SseParser {
    private final Consumer<ServerEvent> dispatch;
    private final Runnable comment;
    private final StringBuilder line = new StringBuilder();
    private final StringBuilder data = new StringBuilder();
    private String eventType = "";
    private String lastEventId = "";
    private Duration retry;
    private boolean first = true;
    private boolean afterCr;

    SseParser(Consumer<ServerEvent> dispatch, Runnable comment) {
        this.dispatch = dispatch;
        this.comment = comment;
    }

    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
    /** Bytes of a character split between two pieces of input. */
    private ByteBuffer leftover = ByteBuffer.allocate(0);
    private final CharBuffer chars = CharBuffer.allocate(8192);

    /** Takes the next bytes of the stream (UTF-8, possibly split anywhere), dispatching as it goes. */
    void feed(byte[] bytes, int offset, int length) {
        ByteBuffer in;
        if (leftover.hasRemaining()) {
            in = ByteBuffer.allocate(leftover.remaining() + length);
            in.put(leftover).put(bytes, offset, length).flip();
        } else {
            in = ByteBuffer.wrap(bytes, offset, length);
        }
        while (true) {
            var result = utf8.decode(in, chars, false);
            chars.flip();
            while (chars.hasRemaining()) {
                accept(chars.get());
            }
            chars.clear();
            if (result.isUnderflow()) {
                break;
            }
        }
        leftover = ByteBuffer.allocate(in.remaining()).put(in).flip();
    }

    private void accept(char c) {
        if (first) {
            first = false;
            if (c == '\uFEFF') {
                return;
            }
        }
        if (afterCr) {
            afterCr = false;
            if (c == '\n') {
                return; // the LF of a CRLF
            }
        }
        if (c == '\r' || c == '\n') {
            afterCr = c == '\r';
            processLine(line.toString());
            line.setLength(0);
        } else {
            line.append(c);
        }
    }

    private void processLine(String text) {
        if (text.isEmpty()) {
            dispatchEvent();
            return;
        }
        if (text.charAt(0) == ':') {
            comment.run();
            return;
        }
        int colon = text.indexOf(':');
        String field = colon < 0 ? text : text.substring(0, colon);
        String value = colon < 0 ? "" : text.substring(colon + 1);
        if (value.startsWith(" ")) {
            value = value.substring(1);
        }
        switch (field) {
            case "event" -> eventType = value;
            case "data" -> data.append(value).append('\n');
            case "id" -> {
                if (value.indexOf('\0') < 0) {
                    lastEventId = value;
                }
            }
            case "retry" -> {
                if (!value.isEmpty() && value.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
                    try {
                        retry = Duration.ofMillis(Long.parseLong(value));
                    } catch (NumberFormatException tooLong) {
                        // ignored, as a browser cannot hold it either
                    }
                }
            }
            default -> {
                // unknown fields are ignored
            }
        }
    }

    private void dispatchEvent() {
        if (data.isEmpty()) {
            eventType = "";
            return;
        }
        data.setLength(data.length() - 1); // the last LF
        ServerEvent event = new ServerEvent(eventType.isEmpty() ? "message" : eventType, data.toString(),
                lastEventId, Optional.ofNullable(retry));
        data.setLength(0);
        eventType = "";
        retry = null;
        dispatch.accept(event);
    }
}
