package dev.weft.internal.http;

/**
 * Strict UTF-8 checking (RFC 3629): no overlong forms, no surrogates, nothing past U+10FFFF, no
 * truncated sequence. A body parser may skip over text it does not need without checking it, so
 * a body that must be UTF-8 is checked whole, once.
 */
public final class Utf8 {
    private Utf8() {}

    /** The index of the first byte that does not start or continue a valid sequence, or -1 if all are valid. */
    public static int firstInvalid(byte[] bytes) {
        int i = 0;
        int n = bytes.length;
        while (i < n) {
            int b = bytes[i];
            if (b >= 0) {
                i++;
                continue;
            }
            int lead = b & 0xff;
            int length;
            int min;
            int max = 0xbf;
            if (lead >= 0xc2 && lead <= 0xdf) {
                length = 2;
                min = 0x80;
            } else if (lead >= 0xe0 && lead <= 0xef) {
                length = 3;
                min = lead == 0xe0 ? 0xa0 : 0x80; // no overlong form
                max = lead == 0xed ? 0x9f : 0xbf; // no surrogate
            } else if (lead >= 0xf0 && lead <= 0xf4) {
                length = 4;
                min = lead == 0xf0 ? 0x90 : 0x80;
                max = lead == 0xf4 ? 0x8f : 0xbf; // nothing past U+10FFFF
            } else {
                return i;
            }
            if (i + 1 >= n || (bytes[i + 1] & 0xff) < min || (bytes[i + 1] & 0xff) > max) {
                return i;
            }
            for (int k = 2; k < length; k++) {
                if (i + k >= n || (bytes[i + k] & 0xc0) != 0x80) {
                    return i;
                }
            }
            i += length;
        }
        return -1;
    }
}
