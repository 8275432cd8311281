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
        boolean ascii = true;
        for (int i = 0; i < s.length() && ascii; i++) {
            ascii = s.charAt(i) < 0x80;
        }
        // Every char yields at most 3 bytes (a surrogate pair yields 4 for 2 chars).
        byte[] bytes = new byte[ascii ? s.length() : s.length() * 3];
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) {
                    throw new IllegalArgumentException("truncated percent escape");
                }
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0 || s.charAt(i + 1) > 0x7f || s.charAt(i + 2) > 0x7f) {
                    throw new IllegalArgumentException("invalid percent escape");
                }
                bytes[n++] = (byte) ((hi << 4) | lo);
                i += 2;
            } else if (plusAsSpace && c == '+') {
                bytes[n++] = ' ';
            } else if (c < 0x80) {
                bytes[n++] = (byte) c;
            } else {
                // Raw non-ASCII in a target is not strictly valid HTTP; take it as the UTF-8 of the
                // code point it is (a lone surrogate is refused).
                int codePoint = s.codePointAt(i);
                if (Character.isSurrogate(c) && !Character.isSupplementaryCodePoint(codePoint)) {
                    throw new IllegalArgumentException("lone UTF-16 surrogate");
                }
                byte[] encoded = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8);
                System.arraycopy(encoded, 0, bytes, n, encoded.length);
                n += encoded.length;
                i += Character.charCount(codePoint) - 1;
            }
        }
        return utf8(bytes, n);
    }

    /**
     * A request-target as the codec gave it (one char per byte) as text. Raw bytes above 0x7F are
     * not valid in a target (RFC 9112), but clients send UTF-8, so they are decoded strictly as
     * UTF-8, like the in-memory client's targets. Returns {@code null} if they are not UTF-8.
     */
    public static String latin1Target(CharSequence target) {
        for (int i = 0; i < target.length(); i++) {
            if (target.charAt(i) > 0x7f) {
                byte[] raw = target.toString().getBytes(StandardCharsets.ISO_8859_1);
                try {
                    return utf8(raw, raw.length);
                } catch (IllegalArgumentException e) {
                    return null;
                }
            }
        }
        return target.toString();
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
