package dev.weft.internal.http;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Strict percent-decoding to UTF-8: a bad escape or invalid UTF-8 is an error, never a guess. */
public final class PercentDecoder {
    private PercentDecoder() {}

    /**
     * Decodes {@code s}.
     *
     * @param plusAsSpace whether {@code +} means space (query strings and forms) or itself (paths)
     * @throws IllegalArgumentException if an escape is malformed or the bytes are not UTF-8
     */
    public static String decode(String s, boolean plusAsSpace) {
        int firstEscape = -1;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' || (plusAsSpace && c == '+')) {
                firstEscape = i;
                break;
            }
        }
        if (firstEscape < 0) {
            return s;
        }
        byte[] bytes = new byte[s.length()];
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) {
                    throw new IllegalArgumentException("truncated percent escape");
                }
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw new IllegalArgumentException("invalid percent escape");
                }
                bytes[n++] = (byte) ((hi << 4) | lo);
                i += 2;
            } else if (plusAsSpace && c == '+') {
                bytes[n++] = ' ';
            } else if (c < 0x80) {
                bytes[n++] = (byte) c;
            } else {
                // Raw non-ASCII in a target is not valid HTTP; take it as UTF-8 of the char itself.
                byte[] encoded = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                if (n + encoded.length > bytes.length) {
                    bytes = java.util.Arrays.copyOf(bytes, bytes.length * 2 + encoded.length);
                }
                System.arraycopy(encoded, 0, bytes, n, encoded.length);
                n += encoded.length;
            }
        }
        return utf8(bytes, n);
    }

    /** Decodes {@code length} bytes as strict UTF-8. */
    public static String utf8(byte[] bytes, int length) {
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, 0, length));
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("invalid UTF-8", e);
        }
    }
}
