package dev.weft.internal.netty;

import io.netty.buffer.ByteBuf;

/**
 * Follows the framing of one chunked request body (RFC 9112 §7.1) and checks every chunk-size
 * line strictly: {@code 1*HEXDIG *( BWS ";" BWS token [ BWS "=" BWS ( token / quoted-string ) ] )}.
 * Netty's decoder checks the rest (line ends, chunk data, trailers) but accepts extensions such as
 * {@code 5;} or {@code 5;a b}, which other parsers on the path may read differently.
 *
 * <p>Fed every byte of the body once, in order, as it arrives (before the decoder, which waits
 * for whole lines, consumes it); pure, so it is tested and fuzzed without a socket. Confined to
 * the connection's event loop.
 */
final class ChunkedFraming {
    private enum State { SIZE_LINE, DATA, DATA_END, TRAILER_LINE, DONE }

    private final int maxLineBytes;
    private final byte[] line;
    private int lineLength;
    private State state = State.SIZE_LINE;
    private long remaining;
    /** The last byte of the line so far was CR. */
    private boolean cr;

    /** @param maxLineBytes the longest chunk-size or trailer line followed; longer ones are the decoder's to refuse */
    ChunkedFraming(int maxLineBytes) {
        this.maxLineBytes = maxLineBytes;
        this.line = new byte[Math.min(maxLineBytes, 4096)];
    }

    /**
     * Follows the bytes {@code from} (inclusive) to {@code to} (exclusive) of {@code buffer} and
     * returns the index after the last one that belongs to the body: {@code to} unless the body
     * ended (its last chunk and trailer section were seen, {@link #done()}) before.
     *
     * @throws IllegalArgumentException if a chunk-size line is not valid or a line holds a bare CR
     */
    int feed(ByteBuf buffer, int from, int to) {
        int i = from;
        while (i < to && state != State.DONE) {
            switch (state) {
                case DATA -> {
                    int n = (int) Math.min(remaining, to - i);
                    i += n;
                    remaining -= n;
                    if (remaining == 0) {
                        state = State.DATA_END;
                        remaining = 2; // CRLF, which the decoder checks
                    }
                }
                case DATA_END -> {
                    i++;
                    if (--remaining == 0) {
                        state = State.SIZE_LINE;
                    }
                }
                default -> {
                    byte b = buffer.getByte(i++);
                    if (cr && b != '\n') {
                        throw new IllegalArgumentException("a chunk line holds a CR not followed by LF");
                    }
                    cr = b == '\r';
                    if (b == '\n') {
                        endOfLine();
                    } else if (lineLength < line.length) {
                        line[lineLength++] = b;
                    } else if (state == State.SIZE_LINE || lineLength++ >= maxLineBytes) {
                        throw new IllegalArgumentException("a chunk line is too long");
                    }
                }
            }
        }
        return i;
    }

    /** Whether the body has ended. */
    boolean done() {
        return state == State.DONE;
    }

    private void endOfLine() {
        int length = Math.min(lineLength, line.length);
        if (length > 0 && line[length - 1] == '\r') {
            length--;
        }
        lineLength = 0;
        if (state == State.TRAILER_LINE) {
            if (length == 0) {
                state = State.DONE;
            }
            return;
        }
        long size = chunkSize(line, length);
        if (size == 0) {
            state = State.TRAILER_LINE;
        } else {
            state = State.DATA;
            remaining = size;
        }
    }

    /** The size a chunk-size line declares. */
    static long chunkSize(byte[] line, int length) {
        int i = 0;
        long size = 0;
        while (i < length && hexValue(line[i]) >= 0) {
            size = size * 16 + hexValue(line[i++]);
            if (size > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("a chunk size past 2^31-1");
            }
        }
        if (i == 0) {
            throw new IllegalArgumentException("a chunk size is not hexadecimal");
        }
        while (i < length) {
            i = skipWhite(line, i, length);
            if (i == length || line[i] != ';') {
                throw new IllegalArgumentException("a chunk size is followed by something other than an extension");
            }
            i = skipWhite(line, i + 1, length);
            int name = i;
            i = skipToken(line, i, length);
            if (i == name) {
                throw new IllegalArgumentException("a chunk extension without a name");
            }
            int afterName = skipWhite(line, i, length);
            if (afterName < length && line[afterName] == '=') {
                i = skipWhite(line, afterName + 1, length);
                i = i < length && line[i] == '"' ? skipQuoted(line, i, length) : requireToken(line, i, length);
            }
            if (i < length && line[i] != ';' && !isWhite(line[i])) {
                throw new IllegalArgumentException("a chunk extension holds an invalid character");
            }
            if (i < length && isWhite(line[i]) && skipWhite(line, i, length) == length) {
                throw new IllegalArgumentException("a chunk extension ends in white space");
            }
        }
        return size;
    }

    private static int requireToken(byte[] line, int i, int length) {
        int end = skipToken(line, i, length);
        if (end == i) {
            throw new IllegalArgumentException("a chunk extension without a value after '='");
        }
        return end;
    }

    private static int skipQuoted(byte[] line, int i, int length) {
        i++; // the opening quote
        while (i < length) {
            int c = line[i] & 0xff;
            if (c == '"') {
                return i + 1;
            }
            if (c == '\\') {
                if (i + 1 == length || !isQuotable(line[i + 1] & 0xff)) {
                    throw new IllegalArgumentException("an invalid quoted pair in a chunk extension");
                }
                i += 2;
            } else if (isQuotable(c)) {
                i++;
            } else {
                throw new IllegalArgumentException("an invalid character in a quoted chunk extension");
            }
        }
        throw new IllegalArgumentException("an unterminated quoted chunk extension");
    }

    /** HTAB, SP, VCHAR or obs-text. */
    private static boolean isQuotable(int c) {
        return c == '\t' || (c >= 0x20 && c != 0x7f);
    }

    private static int skipToken(byte[] line, int i, int length) {
        while (i < length && isTokenChar(line[i])) {
            i++;
        }
        return i;
    }

    private static int skipWhite(byte[] line, int i, int length) {
        while (i < length && isWhite(line[i])) {
            i++;
        }
        return i;
    }

    private static boolean isWhite(byte b) {
        return b == ' ' || b == '\t';
    }

    static boolean isTokenChar(byte b) {
        return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9')
                || (b > 0 && "!#$%&'*+-.^_`|~".indexOf(b) >= 0);
    }

    private static int hexValue(byte b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        if (b >= 'a' && b <= 'f') {
            return b - 'a' + 10;
        }
        if (b >= 'A' && b <= 'F') {
            return b - 'A' + 10;
        }
        return -1;
    }
}
