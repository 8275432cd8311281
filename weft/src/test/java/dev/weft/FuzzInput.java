package dev.weft;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What every {@code @FuzzTest} in Weft shares: how the fuzzer's bytes become a parser's text, and
 * how "a rejection, nothing else" is asserted. See {@code weft/FUZZING.md} for the pattern.
 */
public final class FuzzInput {
    private FuzzInput() {}

    /** The bytes as the server's codecs hand them over: one char per byte (ISO-8859-1). */
    public static String wire(byte[] data) {
        return new String(data, StandardCharsets.ISO_8859_1);
    }

    /**
     * The texts a parser can be given for these bytes: the wire form, its strict UTF-8 decoding
     * (what the server routes on) when the bytes are UTF-8, and the bytes read as UTF-16 code units
     * (any Java string, unpaired surrogates included, as a wrapped or in-memory request may hold).
     */
    public static List<String> texts(byte[] data) {
        List<String> texts = new ArrayList<>(3);
        texts.add(wire(data));
        try {
            texts.add(StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(data)).toString());
        } catch (java.nio.charset.CharacterCodingException notUtf8) {
            // the wire form covers it
        }
        char[] chars = new char[data.length / 2];
        for (int i = 0; i < chars.length; i++) {
            chars[i] = (char) ((data[2 * i] & 0xff) << 8 | data[2 * i + 1] & 0xff);
        }
        texts.add(new String(chars));
        return texts;
    }

    /**
     * Runs {@code call}: its result, or empty if it threw {@code rejection} (the parser's way of
     * refusing input). Any other exception escapes, and the fuzzer reports it as a finding.
     */
    public static <T> Optional<T> unlessRejected(Class<? extends RuntimeException> rejection, Supplier<T> call) {
        try {
            return Optional.of(call.get());
        } catch (RuntimeException e) {
            if (rejection.isInstance(e)) {
                return Optional.empty();
            }
            throw e;
        }
    }
}
