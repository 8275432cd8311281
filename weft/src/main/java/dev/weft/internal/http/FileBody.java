package dev.weft.internal.http;

import dev.weft.response.BodyWriter;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/**
 * A response body that is {@code length} bytes of a file from {@code offset}: what static files
 * are sent as. The server's HTTP/1.x engine recognises it inside a
 * {@link dev.weft.response.ResponseBody.Streaming} whose length is {@code length} and, on a
 * cleartext connection, sends the bytes as a file region (the kernel copies them from the page
 * cache to the socket: {@code sendfile} or {@code splice}). Everywhere else (TLS, HTTP/2, the
 * in-memory client, a middleware that wraps the writer) {@link #writeTo} copies them in chunks.
 *
 * <p>The file is opened only when the body is sent, so a {@code HEAD}, a {@code 304} or a
 * response replaced by a middleware holds nothing open; {@link #writeTo} closes what it opens, and
 * the engine's file region closes its channel when it is released (sent, failed or dropped with
 * the connection).
 *
 * @param fileSize the size the file had when the response's validators were made: a file that has
 *     another size when it is opened changed in between, and the body fails before anything is sent
 *     (a 500) rather than mix two versions under one {@code ETag}
 */
public record FileBody(Path path, long offset, long length, long fileSize) implements BodyWriter {
    private static final int CHUNK = 64 * 1024;

    public FileBody {
        Objects.requireNonNull(path, "path");
        if (offset < 0 || length < 0 || offset + length > fileSize) {
            throw new IllegalArgumentException("bytes " + offset + "+" + length + " are not within a file of " + fileSize);
        }
    }

    /**
     * Opens the file for reading, checking that it still has {@link #fileSize} bytes.
     *
     * @throws IOException if it cannot be opened or changed size
     */
    public FileChannel open() throws IOException {
        FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
        try {
            long size = channel.size();
            if (size != fileSize) {
                throw new IOException("the file " + path.getFileName() + " changed while it was served (" + fileSize
                        + " bytes when its response was made, " + size + " now)");
            }
            return channel;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    @Override
    public void writeTo(dev.weft.response.BodyOutput out) throws IOException {
        try (FileChannel channel = open()) {
            copy(channel, offset, length, out);
        }
    }

    /** Copies {@code length} bytes of {@code channel} from {@code offset} to {@code out}, in chunks. */
    private static void copy(FileChannel channel, long offset, long length, OutputStream out) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(CHUNK, Math.max(1, length)));
        long position = offset;
        long left = length;
        while (left > 0) {
            buffer.clear().limit((int) Math.min(buffer.capacity(), left));
            int n = channel.read(buffer, position);
            if (n < 0) {
                throw new EOFException("the file ended " + left + " bytes early");
            }
            out.write(buffer.array(), 0, n);
            position += n;
            left -= n;
        }
    }
}
