package dev.weft.multipart;

import dev.weft.WeftException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The limits of a {@code multipart/form-data} extractor. Immutable; {@link #defaults()} or
 * {@link #builder()}, validated by {@link Builder#build()} with every problem reported at once.
 *
 * <table class="striped">
 * <caption>Options and defaults</caption>
 * <thead><tr><th>option</th><th>default</th><th>meaning</th></tr></thead>
 * <tbody>
 * <tr><td>{@code maxParts}</td><td>128</td><td>fields and files in one body; past it: 413 naming {@code maxParts}</td></tr>
 * <tr><td>{@code maxFieldBytes}</td><td>64 KiB</td><td>one text field's value; past it: 413 naming {@code maxFieldBytes} and the field</td></tr>
 * <tr><td>{@code maxFileBytes}</td><td>10 MiB</td><td>one file's content; past it: 413 naming {@code maxFileBytes} and the field</td></tr>
 * <tr><td>{@code maxPartHeaderBytes}</td><td>8 KiB</td><td>the headers of one part (and any line before the first boundary); past it: 413 naming {@code maxPartHeaderBytes}</td></tr>
 * <tr><td>{@code memoryThresholdBytes}</td><td>16 KiB</td><td>a part larger than this is kept in a temporary file instead of memory</td></tr>
 * <tr><td>{@code tempDirectory}</td><td>{@code java.io.tmpdir}</td><td>where those files go, in a directory per request; it is deleted with them when the handler returns or fails</td></tr>
 * <tr><td>whole body</td><td>the route's body limit (2 MiB)</td><td>past it: 413 {@code PayloadTooLarge}; raise it with {@code Handler.bodyLimit} for uploads</td></tr>
 * </tbody>
 * </table>
 *
 * {@snippet class=dev.weft.multipart.MultipartExamples region=options}
 */
public final class MultipartOptions {
    private static final MultipartOptions DEFAULTS = builder().build();

    private final int maxParts;
    private final long maxFieldBytes;
    private final long maxFileBytes;
    private final int maxPartHeaderBytes;
    private final long memoryThresholdBytes;
    private final Path tempDirectory;

    private MultipartOptions(Builder b) {
        this.maxParts = b.maxParts;
        this.maxFieldBytes = b.maxFieldBytes;
        this.maxFileBytes = b.maxFileBytes;
        this.maxPartHeaderBytes = b.maxPartHeaderBytes;
        this.memoryThresholdBytes = b.memoryThresholdBytes;
        this.tempDirectory = b.tempDirectory;
    }

    /** The defaults of the table above. */
    public static MultipartOptions defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    public int maxParts() { return maxParts; }

    public long maxFieldBytes() { return maxFieldBytes; }

    public long maxFileBytes() { return maxFileBytes; }

    public int maxPartHeaderBytes() { return maxPartHeaderBytes; }

    public long memoryThresholdBytes() { return memoryThresholdBytes; }

    /** The directory for temporary files; empty for {@code java.io.tmpdir}. */
    public java.util.Optional<Path> tempDirectory() { return java.util.Optional.ofNullable(tempDirectory); }

    /** Options set one by one; {@link #build()} checks them all. */
    public static final class Builder {
        private int maxParts = 128;
        private long maxFieldBytes = 64 * 1024;
        private long maxFileBytes = 10L * 1024 * 1024;
        private int maxPartHeaderBytes = 8 * 1024;
        private long memoryThresholdBytes = 16 * 1024;
        private Path tempDirectory;

        private Builder() {}

        public Builder maxParts(int value) { this.maxParts = value; return this; }

        public Builder maxFieldBytes(long value) { this.maxFieldBytes = value; return this; }

        public Builder maxFileBytes(long value) { this.maxFileBytes = value; return this; }

        public Builder maxPartHeaderBytes(int value) { this.maxPartHeaderBytes = value; return this; }

        public Builder memoryThresholdBytes(long value) { this.memoryThresholdBytes = value; return this; }

        public Builder tempDirectory(Path directory) {
            this.tempDirectory = Objects.requireNonNull(directory, "directory");
            return this;
        }

        /**
         * The options.
         *
         * @throws WeftException listing every invalid option, one per line
         */
        public MultipartOptions build() {
            List<String> problems = new ArrayList<>();
            if (maxParts < 1) {
                problems.add("maxParts must be at least 1, got " + maxParts);
            }
            if (maxFieldBytes < 1) {
                problems.add("maxFieldBytes must be positive, got " + maxFieldBytes);
            }
            if (maxFileBytes < 1) {
                problems.add("maxFileBytes must be positive, got " + maxFileBytes);
            }
            if (maxPartHeaderBytes < 256) {
                // A boundary alone may be 70 characters, and one part's headers need a few of them.
                problems.add("maxPartHeaderBytes must be at least 256, got " + maxPartHeaderBytes);
            }
            if (memoryThresholdBytes < 0) {
                problems.add("memoryThresholdBytes must not be negative, got " + memoryThresholdBytes);
            }
            if (tempDirectory != null && !Files.isDirectory(tempDirectory)) {
                problems.add("tempDirectory " + tempDirectory + " is not a directory");
            }
            if (!problems.isEmpty()) {
                throw new WeftException("invalid multipart options:\n  " + String.join("\n  ", problems));
            }
            return new MultipartOptions(this);
        }
    }
}
