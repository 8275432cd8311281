package dev.weft.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Utf8Test {

    @ParameterizedTest
    @CsvSource({"'', -1", "41, -1", "c3a9, -1", "e282ac, -1", "f09f9880, -1", "f48fbfbf, -1", "efbfbf, -1",
            "c0, 0", "c080, 0", "c1bf, 0", "e080af, 0", "eda080, 0", "edbfbf, 0", "f08f8080, 0", "f4908080, 0",
            "f5808080, 0", "ff, 0", "80, 0", "41c3, 1", "41e282, 1", "4141e2ac41, 2", "c328, 0", "f09f98, 0"})
    void invalid_sequences_are_found_at_their_first_byte(String hex, int expected) {
        assertThat(Utf8.firstInvalid(HexFormat.of().parseHex(hex))).isEqualTo(expected);
    }

    @Test
    void it_agrees_with_the_jdk_decoder_on_random_bytes() {
        Random random = new Random(8);
        for (int round = 0; round < 200_000; round++) {
            byte[] bytes = new byte[random.nextInt(6)];
            random.nextBytes(bytes);
            assertThat(Utf8.firstInvalid(bytes) < 0).as(HexFormat.of().formatHex(bytes)).isEqualTo(jdkAccepts(bytes));
        }
    }

    private static boolean jdkAccepts(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
