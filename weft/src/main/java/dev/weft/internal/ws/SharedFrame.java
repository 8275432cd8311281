package dev.weft.internal.ws;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One message encoded once for many recipients: the payload, and (made on first use) the whole
 * unmasked server frame in one direct buffer, which every recipient writes as a retained
 * duplicate, so a broadcast to N sockets encodes and copies the message once. Recipients that
 * must transform the frame (permessage-deflate) use the payload instead.
 *
 * <p>Thread-safe. The frame buffer holds one reference for this object; {@link #release()} drops
 * it once every recipient has its duplicate (each recipient's write releases its own).
 */
public final class SharedFrame {
    private final byte[] payload;
    private final boolean text;
    private final String key;
    private final AtomicReference<ByteBuf> frame = new AtomicReference<>();

    /**
     * @param key the coalescing key (a queued message with the same key is replaced), or null
     */
    public SharedFrame(byte[] payload, boolean text, String key) {
        this.payload = payload;
        this.text = text;
        this.key = key;
    }

    public byte[] payload() {
        return payload;
    }

    public boolean text() {
        return text;
    }

    public String key() {
        return key;
    }

    /** The size this message counts for in a recipient's pending bytes. */
    public int size() {
        return payload.length + headerLength(payload.length);
    }

    /** A duplicate of the encoded frame for one recipient, which owns (and releases) it. */
    public ByteBuf frame() {
        ByteBuf f = frame.get();
        if (f == null) {
            ByteBuf made = encode(payload, text);
            if (!frame.compareAndSet(null, made)) {
                made.release();
            }
            f = frame.get();
        }
        return f.retainedDuplicate();
    }

    /** Drops this object's reference to the frame buffer; recipients' duplicates stay valid. */
    public void release() {
        ByteBuf f = frame.getAndSet(null);
        if (f != null) {
            f.release();
        }
    }

    static int headerLength(int length) {
        return length <= 125 ? 2 : length <= 0xFFFF ? 4 : 10;
    }

    /** An unmasked, final frame of {@code payload} (RFC 6455 §5.2). */
    static ByteBuf encode(byte[] payload, boolean text) {
        int length = payload.length;
        ByteBuf out = PooledByteBufAllocator.DEFAULT.directBuffer(headerLength(length) + length);
        out.writeByte(0x80 | (text ? 0x1 : 0x2));
        if (length <= 125) {
            out.writeByte(length);
        } else if (length <= 0xFFFF) {
            out.writeByte(126);
            out.writeShort(length);
        } else {
            out.writeByte(127);
            out.writeLong(length);
        }
        out.writeBytes(payload);
        return out;
    }
}
