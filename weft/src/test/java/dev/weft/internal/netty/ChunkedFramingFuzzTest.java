package dev.weft.internal.netty;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.weft.FuzzInput;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.regex.Pattern;

/** Corpus: {@code src/test/resources/dev/weft/internal/netty/ChunkedFramingFuzzTestInputs/}. */
class ChunkedFramingFuzzTest {
    private static final String TOKEN = "[!#$%&'*+\\-.^_`|~0-9A-Za-z]+";
    private static final String QUOTED = "\"([\\t \\x21\\x23-\\x5B\\x5D-\\x7E\\x80-\\xFF]|\\\\[\\t \\x21-\\x7E\\x80-\\xFF])*\"";
    /** RFC 9112 §7.1.1 chunk-size and chunk-ext, BWS around ';' and '='. */
    private static final Pattern LINE = Pattern.compile("[0-9A-Fa-f]+([ \\t]*;[ \\t]*" + TOKEN
            + "([ \\t]*=[ \\t]*(" + TOKEN + "|" + QUOTED + "))?)*");

    @FuzzTest
    void chunk_size_accepts_exactly_the_rfc_grammar(byte[] data) {
        if (data.length > 512) {
            return; // the grammar does not depend on length; the oracle's regex recurses per repetition
        }
        String line = FuzzInput.wire(data);
        FuzzInput.unlessRejected(IllegalArgumentException.class, () -> ChunkedFraming.chunkSize(data, data.length))
                .ifPresentOrElse(size -> {
                    assertThat(line).matches(LINE);
                    assertThat(size).isBetween(0L, (long) Integer.MAX_VALUE);
                }, () -> assertThat(LINE.matcher(line).matches() && sizeFits(line)).as("refused %s", line).isFalse());
    }

    @FuzzTest
    void a_body_fed_in_two_pieces_is_followed_as_when_fed_at_once(byte[] data) {
        if (data.length == 0) {
            return;
        }
        int split = (data[0] & 0xff) % data.length;
        ByteBuf wire = Unpooled.wrappedBuffer(data, 1, data.length - 1);
        String whole = outcome(wire, wire.writerIndex());
        String pieces = outcome(wire, Math.min(split, wire.writerIndex()));
        assertThat(pieces).isEqualTo(whole);
    }

    /** How one framing ends on {@code wire} fed in two calls, split at {@code split}. */
    private static String outcome(ByteBuf wire, int split) {
        ChunkedFraming framing = new ChunkedFraming(256);
        try {
            int end = framing.feed(wire, wire.readerIndex(), split);
            if (!framing.done()) {
                end = framing.feed(wire, end, wire.writerIndex());
            }
            return framing.done() ? "done at " + end : "open";
        } catch (IllegalArgumentException refused) {
            return "refused";
        }
    }

    private static boolean sizeFits(String line) {
        String digits = line.replaceFirst("[^0-9A-Fa-f].*", "").replaceFirst("^0+", "");
        return digits.length() <= 8 && Long.parseLong(digits.isEmpty() ? "0" : digits, 16) <= Integer.MAX_VALUE;
    }
}
