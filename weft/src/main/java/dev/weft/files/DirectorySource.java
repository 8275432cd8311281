package dev.weft.files;

import dev.weft.internal.http.FileBody;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Files under a directory of the file system, looked up on every request (so edits show at once).
 * A name resolving through a symbolic link is served only if its real path is inside the root's
 * real path and holds no hidden name; a link out of the root is answered like a missing file.
 * Thread-safe.
 */
record DirectorySource(Path realRoot, Set<String> allowedHidden) implements Source {
    private static final Logger LOG = LoggerFactory.getLogger(DirectorySource.class);

    @Override
    public Found find(List<String> names, String suffix) {
        Path path = realRoot;
        try {
            for (int i = 0; i < names.size(); i++) {
                path = path.resolve(i == names.size() - 1 ? names.get(i) + suffix : names.get(i));
            }
            BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
            Path real = path.toRealPath();
            if (!real.startsWith(realRoot) || hidesBehindLink(realRoot.relativize(real))) {
                LOG.debug("refused {}: it resolves to {}, outside the served directory or hidden", path, real);
                return MISSING;
            }
            if (attributes.isDirectory()) {
                return DIRECTORY;
            }
            if (!attributes.isRegularFile()) {
                return MISSING;
            }
            long size = attributes.size();
            java.time.Instant modified = attributes.lastModifiedTime().toInstant();
            String etag = "\"" + Long.toHexString(size) + "-" + Long.toHexString(modified.getEpochSecond()) + "."
                    + Integer.toHexString(modified.getNano()) + tagSuffix(suffix) + "\"";
            return new File(size, modified.getEpochSecond(), etag, (offset, length) -> new FileBody(real, offset, length, size));
        } catch (IOException | SecurityException | java.nio.file.InvalidPathException e) {
            // InvalidPathException: a name this file system cannot hold (on Windows, '<' or '?')
            return MISSING; // absent or unreadable: the client learns nothing more than "not found"
        }
    }

    /** Whether a path reached through links has a hidden name the request itself did not ask for. */
    private boolean hidesBehindLink(Path relative) {
        for (Path name : relative) {
            String text = name.toString();
            if (text.startsWith(".") && !allowedHidden.contains(text)) {
                return true;
            }
        }
        return false;
    }

    /** {@code ".br"} becomes {@code "-br"}: each precompressed variant has its own entity-tag. */
    static String tagSuffix(String suffix) {
        return suffix.isEmpty() ? "" : "-" + suffix.substring(1);
    }
}
