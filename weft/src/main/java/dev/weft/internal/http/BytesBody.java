package dev.weft.internal.http;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.OptionalLong;

/** A body that is already in memory (the in-memory client, tests). */
public final class BytesBody extends AbstractBody {
    private final byte[] bytes;

    public BytesBody(byte[] bytes, OptionalLong declaredLength) {
        super(declaredLength);
        this.bytes = bytes;
    }

    @Override
    protected InputStream open() {
        return new ByteArrayInputStream(bytes);
    }
}
