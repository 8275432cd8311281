package dev.weft.internal.ws;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One message encoded once for many recipients: the payload, and the whole unmasked server frame
 * in one direct buffer, which every recipient writes as a retained
 * duplicate, so a broadcast to N sockets encodes and copies the message once.
 *
 * <p>Reference-counted and thread-safe: made with one reference; whoever keeps it for later (a
 * recipient's queue) {@link #retain()}s it and {@link #release()}s it when done; the frame buffer
 * is freed with the last reference (each recipient's duplicate holds the buffer on its own until
 * its write completes).
 */
public final class SharedFrame {
    private final byte[] payload;
    private final boolean text;
    private final String key;
    private final AtomicInteger refs = new AtomicInteger(1);
    private final ByteBuf frame;

    /**
     * @param key the coalescing key (a queued message with the same key is replaced), or null
     */
    public SharedFrame(byte[] payload, boolean text, String key) {
        this.payload = payload;
        this.text = text;
        this.key = key;
        this.frame = encode(payload, text);
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
        if (refs.get() <= 0) {
            throw new IllegalStateException("the shared frame was released");
        }
        return frame.retainedDuplicate(); // safe from any thread: the buffer never changes
    }

    /** Keeps this message for later; pair with {@link #release()}. */
    public SharedFrame retain() {
        refs.incrementAndGet();
        return this;
    }

    /** Drops one reference; the last one frees the frame buffer (recipients' duplicates stay valid). */
    public void release() {
        if (refs.decrementAndGet() == 0) {
            frame.release();
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
