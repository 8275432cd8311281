package dev.weft.internal.compress;

import dev.weft.internal.http.LiveOutput;
import dev.weft.json.JsonCodec;
import dev.weft.response.BodyOutput;
import dev.weft.response.BodyWriter;
import java.io.IOException;
import java.util.Objects;

/**
 * Wraps a streamed body's writer so that what it writes is compressed on the way out. Every
 * {@code flush()} of the inner writer (its own, or that of Weft's chunk and event-stream writers)
 * becomes a sync flush of the compressor followed by a flush of the response, so a stream that is
 * live uncompressed stays live compressed (the trap of tower-http #292, where the compressor held
 * output back until the body ended).
 *
 * <p>The encoder is made when the body starts being written, on the response's virtual thread,
 * and released in a {@code finally} whatever happens (the writer fails, the client leaves, the
 * server cuts the stream); a body that is discarded never makes one.
 */
public final class CompressingWriter implements BodyWriter {
    private final BodyWriter inner;
    private final Coding coding;
    private final Settings settings;
    private final JsonCodec codec;

    public CompressingWriter(BodyWriter inner, Coding coding, Settings settings, JsonCodec codec) {
        this.inner = Objects.requireNonNull(inner, "inner");
        this.coding = coding;
        this.settings = settings;
        this.codec = codec;
    }

    @Override
    public void writeTo(BodyOutput out) throws IOException {
        Encoder encoder = Encoder.open(coding, settings, out, -1);
        try {
            CompressingOutput compressing = out instanceof LiveOutput live
                    ? new LiveCompressingOutput(out, live, encoder)
                    : new CompressingOutput(out, encoder, codec);
            inner.writeTo(compressing);
            encoder.finish();
        } finally {
            encoder.close(); // no-op after finish(); else releases the native state, writing nothing
        }
    }

    @Override
    public void discard() {
        inner.discard();
    }

    /** The inner writer's output: compresses into the response's output. Not thread-safe. */
    static class CompressingOutput extends BodyOutput {
        private final BodyOutput out;
        private final Encoder encoder;
        /** Whether bytes were compressed since the last flush. */
        private boolean pending;

        CompressingOutput(BodyOutput out, Encoder encoder, JsonCodec codec) {
            super(codec);
            this.out = out;
            this.encoder = encoder;
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            Objects.checkFromIndexSize(offset, length, bytes.length);
            if (length > 0) {
                encoder.write(bytes, offset, length);
                pending = true;
            }
        }

        @Override
        public void flush() throws IOException {
            if (pending) {
                encoder.flush();
                pending = false;
            }
            out.flush(); // also sends the head when nothing was written yet (an event stream opening)
        }

        @Override
        public void close() {
            // as with the server's own output, the writer need not close it; the body ends after writeTo
        }
    }

    /** The same for a server output that reports the client leaving and shutdown (event streams). */
    static final class LiveCompressingOutput extends CompressingOutput implements LiveOutput {
        private final LiveOutput live;

        LiveCompressingOutput(BodyOutput out, LiveOutput live, Encoder encoder) {
            super(out, encoder, live.codec());
            this.live = live;
        }

        @Override
        public void watch(Runnable wake) {
            live.watch(wake);
        }

        @Override
        public void unwatch() {
            live.unwatch();
        }

        @Override
        public boolean clientConnected() {
            return live.clientConnected();
        }

        @Override
        public boolean goingAway() {
            return live.goingAway();
        }

        @Override
        public JsonCodec codec() {
            return live.codec();
        }
    }
}
