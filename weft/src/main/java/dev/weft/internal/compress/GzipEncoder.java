package dev.weft.internal.compress;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/** gzip (RFC 1952) over the JDK's zlib: raw deflate plus header and trailer written here. */
final class GzipEncoder extends Encoder {
    private static final byte[] HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};

    private final Deflater deflater;
    private final CRC32 crc = new CRC32();
    private final byte[] buffer = new byte[8192];
    private boolean headerWritten;

    GzipEncoder(OutputStream out, int level) {
        super(out);
        this.deflater = new Deflater(level, true);
    }

    static byte[] encode(byte[] body, int level) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, body.length / 3));
        GzipEncoder encoder = new GzipEncoder(out, level);
        try {
            encoder.write(body, 0, body.length);
            encoder.finish();
        } finally {
            encoder.close();
        }
        return out.toByteArray();
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        if (length == 0) {
            return;
        }
        header();
        crc.update(bytes, offset, length);
        deflater.setInput(bytes, offset, length);
        while (!deflater.needsInput()) {
            drain(Deflater.NO_FLUSH);
        }
    }

    @Override
    public void flush() throws IOException {
        header();
        int n;
        do {
            n = drain(Deflater.SYNC_FLUSH);
        } while (n == buffer.length);
    }

    @Override
    void end() throws IOException {
        try {
            header();
            deflater.finish();
            while (!deflater.finished()) {
                drain(Deflater.NO_FLUSH);
            }
            long size = deflater.getBytesRead();
            int crcValue = (int) crc.getValue();
            byte[] trailer = {
                (byte) crcValue, (byte) (crcValue >> 8), (byte) (crcValue >> 16), (byte) (crcValue >> 24),
                (byte) size, (byte) (size >> 8), (byte) (size >> 16), (byte) (size >> 24)};
            sink.write(trailer, 0, trailer.length);
        } finally {
            deflater.end();
        }
    }

    private void header() throws IOException {
        if (!headerWritten) {
            headerWritten = true;
            sink.write(HEADER, 0, HEADER.length);
        }
    }

    private int drain(int mode) throws IOException {
        int n = deflater.deflate(buffer, 0, buffer.length, mode);
        sink.write(buffer, 0, n);
        return n;
    }
}
