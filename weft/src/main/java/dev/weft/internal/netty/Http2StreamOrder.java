package dev.weft.internal.netty;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.DecoratingHttp2ConnectionDecoder;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionDecoder;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2Settings;
import java.util.List;

/**
 * Makes a client's new stream with an id lower than one it already opened a connection error
 * ({@code GOAWAY(PROTOCOL_ERROR)}, RFC 9113 §5.1.1), where Netty's decoder, which cannot tell
 * such a stream from a closed one, resets it with {@code STREAM_CLOSED}.
 *
 * <p>A HEADERS frame counts as opening a stream when its stream is not open and its id is below
 * the highest the client opened. So trailers a client sends on a stream that is already closed
 * (the server answered and reset it first) also end the connection: the codec keeps no record of
 * closed streams to tell them apart, and clients seldom send trailers.
 *
 * <p>The check must see each frame after the frames before it were acted on (a stream opened
 * earlier in the same read is open by then), so this decorator hands the codec one complete
 * frame at a time: it narrows the buffer's writer index to the frame's end instead of slicing,
 * which costs no allocation. A frame declared larger than {@code maxFrameBytes} goes to the codec
 * at once, which refuses it ({@code FRAME_SIZE_ERROR}) without buffering it.
 *
 * <p>Runs on the connection's event loop.
 */
final class Http2StreamOrder extends DecoratingHttp2ConnectionDecoder {
    private static final int FRAME_HEADER_BYTES = 9;
    private static final int HEADERS = 0x1;

    private final Http2Connection connection;
    private final int maxFrameBytes;

    private Http2StreamOrder(Http2ConnectionDecoder delegate, int maxFrameBytes) {
        super(delegate);
        this.connection = delegate.connection();
        this.maxFrameBytes = maxFrameBytes;
    }

    /** A server frame codec builder whose decoder checks stream order; configure it as usual. */
    static Http2FrameCodecBuilder codecBuilder(int maxFrameBytes) {
        return new Builder(maxFrameBytes);
    }

    @Override
    public void decodeFrame(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Http2Exception {
        while (in.readableBytes() >= FRAME_HEADER_BYTES) {
            int start = in.readerIndex();
            int length = in.getUnsignedMedium(start);
            if (length > maxFrameBytes) {
                super.decodeFrame(ctx, in, out); // refused by the frame reader
                return;
            }
            int end = start + FRAME_HEADER_BYTES + length;
            if (in.writerIndex() < end) {
                return; // the rest of the frame has not arrived; the codec keeps the bytes
            }
            if (in.getUnsignedByte(start + 3) == HEADERS) {
                checkNewStream(in.getInt(start + 5) & Integer.MAX_VALUE);
            }
            int writerIndex = in.writerIndex();
            in.writerIndex(end);
            try {
                super.decodeFrame(ctx, in, out);
            } finally {
                in.writerIndex(writerIndex);
            }
            if (in.readerIndex() == start) {
                return; // the reader stopped (after an error it skips everything)
            }
        }
    }

    private void checkNewStream(int streamId) throws Http2Exception {
        if ((streamId & 1) == 1 && connection.stream(streamId) == null
                && streamId < connection.remote().lastStreamCreated()) {
            throw Http2Exception.connectionError(Http2Error.PROTOCOL_ERROR,
                    "stream %d opened after stream %d", streamId, connection.remote().lastStreamCreated());
        }
    }

    /** Builds the usual server codec, with its (flood-protected) decoder wrapped in the check. */
    private static final class Builder extends Http2FrameCodecBuilder {
        private final int maxFrameBytes;

        Builder(int maxFrameBytes) {
            this.maxFrameBytes = maxFrameBytes;
            server(true);
        }

        @Override
        protected Http2FrameCodec build(Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder,
                Http2Settings initialSettings) {
            return super.build(new Http2StreamOrder(decoder, maxFrameBytes), encoder, initialSettings);
        }
    }
}
