package dev.weft.internal.compress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aayushatharva.brotli4j.decoder.BrotliInputStream;
import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import dev.weft.json.JsonCodec;
import dev.weft.response.BodyOutput;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class EncoderTest {
    @org.junit.jupiter.api.BeforeAll
    static void load() {
        // As Compression.build() does: brotli4j's native library loads when it is probed.
        assertThat(Coding.BR.available()).isTrue();
        assertThat(Coding.ZSTD.available()).isTrue();
    }

    private static InputStream decoder(Coding coding, InputStream in) throws IOException {
        return switch (coding) {
            case GZIP -> new GZIPInputStream(in);
            case BR -> {
                BrotliInputStream br = new BrotliInputStream(in);
                br.enableEagerOutput(); // hand out what is decoded, not only full buffers
                yield br;
            }
            case ZSTD -> new ZstdInputStreamNoFinalizer(in);
        };
    }

    /** The bytes decodable from what was written so far (a prefix of a stream that goes on). */
    private static String decodablePrefix(Coding coding, byte[] sofar) throws IOException {
        if (coding == Coding.BR) {
            // BrotliInputStream throws at a truncated end before handing out what it decoded
            var decoder = new com.aayushatharva.brotli4j.decoder.DecoderJNI.Wrapper(Math.max(1, sofar.length));
            try {
                decoder.getInputBuffer().put(sofar);
                decoder.push(sofar.length);
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                while (decoder.hasOutput()) {
                    java.nio.ByteBuffer chunk = decoder.pull();
                    byte[] bytes = new byte[chunk.remaining()];
                    chunk.get(bytes);
                    out.write(bytes);
                }
                return out.toString(StandardCharsets.UTF_8);
            } finally {
                decoder.destroy();
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = decoder(coding, new ByteArrayInputStream(sofar))) {
            byte[] buffer = new byte[1];
            while (true) {
                int n;
                try {
                    n = in.read(buffer);
                } catch (IOException truncated) {
                    break; // the stream is not finished: everything flushed was read before this
                }
                if (n < 0) {
                    break;
                }
                out.write(buffer, 0, n);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @EnumSource(Coding.class)
    void after_each_flush_everything_written_is_decodable(Coding coding) throws IOException {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        Encoder encoder = Encoder.open(coding, Settings.DEFAULT, wire, -1);
        try {
            StringBuilder written = new StringBuilder();
            for (int i = 0; i < 5; i++) {
                String line = "{\"n\":" + i + "}\n";
                encoder.write(line.getBytes(StandardCharsets.UTF_8), 0, line.length());
                written.append(line);
                encoder.flush();
                assertThat(decodablePrefix(coding, wire.toByteArray())).isEqualTo(written.toString());
            }
            encoder.finish();
            assertThat(new String(decoder(coding, new ByteArrayInputStream(wire.toByteArray())).readAllBytes(),
                    StandardCharsets.UTF_8)).isEqualTo(written.toString());
        } finally {
            encoder.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Coding.class)
    void close_without_finish_writes_nothing_more_and_may_repeat(Coding coding) throws IOException {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        Encoder encoder = Encoder.open(coding, Settings.DEFAULT, wire, -1);
        encoder.write(new byte[100_000], 0, 100_000);
        int before = wire.size();
        encoder.close();
        encoder.close();
        encoder.finish(); // ended: nothing happens
        assertThat(wire.size()).isEqualTo(before);
    }

    @ParameterizedTest
    @EnumSource(Coding.class)
    void whole_bodies_round_trip_and_zstd_contexts_are_reused_safely(Coding coding) throws IOException {
        for (int i = 0; i < 50; i++) { // more than the idle contexts kept, from several threads in turn
            byte[] body = ("body " + i + " ").repeat(300).getBytes(StandardCharsets.UTF_8);
            byte[] encoded = Encoder.encode(coding, Settings.DEFAULT, body);
            assertThat(decoder(coding, new ByteArrayInputStream(encoded)).readAllBytes()).isEqualTo(body);
        }
    }

    @Test
    void a_failing_output_ends_the_writer_and_the_encoder_is_released() {
        BodyOutput failing = new BodyOutput(JsonCodec.jackson()) {
            @Override
            public void write(byte[] bytes, int offset, int length) throws IOException {
                throw new IOException("the client left");
            }
        };
        for (Coding coding : Coding.values()) {
            CompressingWriter writer = new CompressingWriter(out -> {
                for (int i = 0; i < 1000; i++) {
                    out.writeText("line " + i + "\n");
                    out.flush();
                }
            }, coding, Settings.DEFAULT, JsonCodec.jackson());
            assertThatThrownBy(() -> writer.writeTo(failing)).as(coding.token()).hasMessageContaining("the client left");
        }
    }

    @Test
    void a_coding_that_does_not_load_is_unavailable_with_a_warning_not_an_error() {
        assertThat(Natives.probe(Coding.BR, () -> {
            throw new UnsatisfiedLinkError("no brotli in java.library.path");
        })).isFalse();
        assertThat(Natives.probe(Coding.ZSTD, () -> {
            throw new NoClassDefFoundError("com/github/luben/zstd/Zstd");
        })).isFalse();
        assertThat(Natives.probe(Coding.GZIP, () -> { })).isTrue();
        assertThat(Coding.GZIP.available()).isTrue();
        assertThat(Coding.BR.available()).isTrue(); // on this build's test path both libraries are there
        assertThat(Coding.ZSTD.available()).isTrue();
    }
}
