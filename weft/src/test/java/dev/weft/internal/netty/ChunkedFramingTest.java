package dev.weft.internal.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChunkedFramingTest {

    private static ByteBuf bytes(String wire) {
        return Unpooled.wrappedBuffer(wire.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static long size(String line) {
        byte[] b = line.getBytes(StandardCharsets.ISO_8859_1);
        return ChunkedFraming.chunkSize(b, b.length);
    }

    @ParameterizedTest
    @ValueSource(strings = {"5", "05", "a", "A", "7fffffff", "0000000000005", "5;a", "5;a=b", "5 ; a = \"x y\"",
            "5;a=\"\\\"\"", "5;a;b=c;d=\"\"", "5\t;\ta"})
    void a_valid_chunk_size_line_is_read(String line) {
        assertThat(size(line)).isPositive();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " 5", "5 ", "5;", "5; ", "5;a ", "5;=b", "5;a=", "5;a=\"", "5;a=\"\\", "5;a b", "5;a,b",
            "5;;a", "80000000", "fffffffffffffffff", "x", "5x", "5;a=b c", "5;a=\"x\"y", "5;a=\u0001", "5;\u00e9",
            "5;a=\"\u007f\""})
    void an_invalid_chunk_size_line_is_refused(String line) {
        assertThatIllegalArgumentException().isThrownBy(() -> size(line));
    }

    @Test
    void a_body_is_followed_to_its_end_and_not_a_byte_further() {
        String body = "5;x=y\r\nhello\r\n10\r\n0123456789abcdef\r\n0\r\nTrailer: t\r\n\r\n";
        ByteBuf wire = bytes(body + "GET / HTTP/1.1\r\n");
        ChunkedFraming framing = new ChunkedFraming(1024);

        assertThat(framing.feed(wire, 0, wire.writerIndex())).isEqualTo(body.length());
        assertThat(framing.done()).isTrue();
    }

    @Test
    void a_body_fed_one_byte_at_a_time_ends_at_the_same_place() {
        String body = "3\r\nabc\r\n0\r\n\r\n";
        ByteBuf wire = bytes(body + "more");
        ChunkedFraming framing = new ChunkedFraming(1024);
        int at = 0;
        while (!framing.done()) {
            at = framing.feed(wire, at, at + 1);
        }
        assertThat(at).isEqualTo(body.length());
    }

    @Test
    void a_body_not_yet_complete_is_not_done() {
        ByteBuf wire = bytes("3\r\nab");
        ChunkedFraming framing = new ChunkedFraming(1024);

        assertThat(framing.feed(wire, 0, wire.writerIndex())).isEqualTo(wire.writerIndex());
        assertThat(framing.done()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"5\rhello", "5;a\r\r\n", "5\r\nhello\r\n0\r\nT: a\rb\r\n\r\n", "0\r\n\r\r\n"})
    void a_bare_cr_in_a_chunk_line_is_refused(String wire) {
        ByteBuf buffer = bytes(wire);
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new ChunkedFraming(1024).feed(buffer, 0, buffer.writerIndex()));
    }

    @Test
    void a_chunk_size_line_longer_than_the_limit_is_refused() {
        ByteBuf wire = bytes("5;" + "a".repeat(100) + "\r\n");
        assertThatIllegalArgumentException().isThrownBy(() -> new ChunkedFraming(64).feed(wire, 0, wire.writerIndex()));
    }
}
