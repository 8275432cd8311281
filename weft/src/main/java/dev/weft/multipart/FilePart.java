package dev.weft.multipart;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Objects;

/**
 * One uploaded file of a {@code multipart/form-data} body: in memory when small, else in a
 * temporary file that Weft deletes when the handler returns or fails. Read it (or copy it with
 * {@link #transferTo}) in the handler; afterwards {@link #open()} throws.
 *
 * <p>{@link #filename()} is what the client sent and may be anything: a path
 * ({@code ../../etc/passwd}, {@code C:\evil.exe}), a NUL, control characters, any Unicode. Never
 * use it as a path; {@link #safeFilename()} is a version fit to show or to store as a name.
 *
 * {@snippet class=dev.weft.multipart.MultipartExamples region=upload}
 */
public final class FilePart {
    /** Where the content is; implemented over Netty's upload, which the reader owns. */
    interface Content {
        boolean inMemory();

        byte[] bytes() throws IOException;

        Path file() throws IOException;

        boolean released();
    }

    private final String name;
    private final String filename;
    private final String contentType;
    private final long size;
    private final Content content;

    FilePart(String name, String filename, String contentType, long size, Content content) {
        this.name = name;
        this.filename = filename;
        this.contentType = contentType;
        this.size = size;
        this.content = content;
    }

    /** The form field name ({@code name} of the part's {@code Content-Disposition}). */
    public String name() { return name; }

    /**
     * The file name exactly as the client sent it (the {@code filename} parameter, or
     * {@code filename*} decoded); empty if the client sent an empty one (a file input left empty).
     * Never use it as a path.
     */
    public String filename() { return filename; }

    /**
     * {@link #filename()} made safe to show or store as a file name: its last path segment (after
     * {@code /} or {@code \}), without control characters, without leading dots and spaces, at most
     * 255 characters; {@code "upload"} if nothing is left.
     */
    public String safeFilename() {
        String base = filename;
        int cut = Math.max(base.lastIndexOf('/'), base.lastIndexOf('\\'));
        base = base.substring(cut + 1);
        StringBuilder out = new StringBuilder(base.length());
        base.codePoints().filter(c -> !Character.isISOControl(c) && c != 0x2028 && c != 0x2029 && c != ':')
                .forEach(out::appendCodePoint);
        String cleaned = out.toString().replaceFirst("^[. ]+", "").strip();
        if (cleaned.length() > 255) {
            cleaned = cleaned.substring(0, 255);
        }
        return cleaned.isEmpty() ? "upload" : cleaned;
    }

    /** The part's {@code Content-Type}, as sent; {@code application/octet-stream} if it had none. */
    public String contentType() { return contentType; }

    /** The content's size in bytes. */
    public long size() { return size; }

    /** Whether the content is held in memory (at most {@code memoryThresholdBytes}) rather than in a temporary file. */
    public boolean inMemory() { return content.inMemory(); }

    /**
     * The content as a stream, read from memory or from the temporary file.
     *
     * @throws IllegalStateException if the handler already returned (the content was deleted)
     */
    public InputStream open() {
        check();
        try {
            return content.inMemory() ? new ByteArrayInputStream(content.bytes()) : Files.newInputStream(content.file());
        } catch (IOException e) {
            throw new UncheckedIOException("could not read upload '" + name + "'", e);
        }
    }

    /**
     * The whole content (at most {@code maxFileBytes}).
     *
     * @throws IllegalStateException if the handler already returned
     */
    public byte[] bytes() {
        try (InputStream in = open()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("could not read upload '" + name + "'", e);
        }
    }

    /**
     * Copies the content to {@code target}, replacing it, for keeping it past the handler.
     *
     * @throws IllegalStateException if the handler already returned
     * @throws UncheckedIOException if the copy fails
     */
    public void transferTo(Path target) {
        Objects.requireNonNull(target, "target");
        try (InputStream in = open()) {
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("could not copy upload '" + name + "' to " + target, e);
        }
    }

    private void check() {
        if (content.released()) {
            throw new IllegalStateException("upload '" + name + "' was deleted when the handler returned;"
                    + " read or copy it (transferTo) inside the handler");
        }
    }

    @Override
    public String toString() {
        return "FilePart[" + name + ", " + size + " bytes, " + contentType + "]";
    }
}
