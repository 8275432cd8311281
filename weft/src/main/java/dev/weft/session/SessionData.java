package dev.weft.session;

import java.io.ByteArrayOutputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A session as bytes: what a cookie session encrypts and a {@link SessionStore} keeps. Version 1:
 * {@code 0x01}, the 16-byte id, created and last-access times (epoch milliseconds, 8 bytes each),
 * the attribute count (2 bytes), then each attribute as key length (2 bytes), UTF-8 key, value
 * length (4 bytes), value (JSON text). Decoding is strict: a wrong version, a length past the end,
 * bytes after the last attribute, a key that is not UTF-8 or a repeated key read as no session.
 *
 * @param id the raw session id
 * @param attributes key to JSON bytes, in insertion order
 */
record SessionData(byte[] id, long createdMillis, long lastAccessMillis, Map<String, byte[]> attributes) {
    static final byte VERSION = 1;
    static final int ID_BYTES = 16;
    /** Version, id, two timestamps, count. */
    static final int HEADER_BYTES = 1 + ID_BYTES + 8 + 8 + 2;
    static final int MAX_ATTRIBUTES = 0xFFFF;

    byte[] encode() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(size());
        ByteBuffer head = ByteBuffer.allocate(HEADER_BYTES);
        head.put(VERSION).put(id).putLong(createdMillis).putLong(lastAccessMillis).putShort((short) attributes.size());
        out.writeBytes(head.array());
        for (Map.Entry<String, byte[]> e : attributes.entrySet()) {
            byte[] key = e.getKey().getBytes(StandardCharsets.UTF_8);
            ByteBuffer lengths = ByteBuffer.allocate(2);
            lengths.putShort((short) key.length);
            out.writeBytes(lengths.array());
            out.writeBytes(key);
            out.writeBytes(ByteBuffer.allocate(4).putInt(e.getValue().length).array());
            out.writeBytes(e.getValue());
        }
        return out.toByteArray();
    }

    /** The length of {@link #encode()}. */
    int size() {
        return size(attributes);
    }

    static int size(Map<String, byte[]> attributes) {
        int size = HEADER_BYTES;
        for (Map.Entry<String, byte[]> e : attributes.entrySet()) {
            size += 2 + e.getKey().getBytes(StandardCharsets.UTF_8).length + 4 + e.getValue().length;
        }
        return size;
    }

    /** The session in {@code bytes}, or null if they are not one (never an exception). */
    static SessionData decode(byte[] bytes) {
        try {
            ByteBuffer in = ByteBuffer.wrap(bytes);
            if (in.get() != VERSION) {
                return null;
            }
            byte[] id = new byte[ID_BYTES];
            in.get(id);
            long created = in.getLong();
            long last = in.getLong();
            int count = Short.toUnsignedInt(in.getShort());
            Map<String, byte[]> attributes = new LinkedHashMap<>();
            for (int i = 0; i < count; i++) {
                int keyLength = Short.toUnsignedInt(in.getShort());
                if (keyLength == 0 || keyLength > in.remaining()) {
                    return null;
                }
                byte[] key = new byte[keyLength];
                in.get(key);
                int valueLength = in.getInt();
                if (valueLength < 0 || valueLength > in.remaining()) {
                    return null;
                }
                byte[] value = new byte[valueLength];
                in.get(value);
                String name = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(key)).toString();
                if (attributes.put(name, value) != null) {
                    return null;
                }
            }
            if (in.hasRemaining() || created > last) {
                return null;
            }
            return new SessionData(id, created, last, attributes);
        } catch (BufferUnderflowException | CharacterCodingException e) {
            return null;
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SessionData d && Arrays.equals(id, d.id) && createdMillis == d.createdMillis
                && lastAccessMillis == d.lastAccessMillis && attributes.keySet().equals(d.attributes.keySet())
                && attributes.entrySet().stream().allMatch(e -> Arrays.equals(e.getValue(), d.attributes.get(e.getKey())));
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(id);
    }

    @Override
    public String toString() {
        return "SessionData[" + attributes.size() + " attributes]"; // never the id or values
    }
}
