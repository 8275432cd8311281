package dev.weft.files;

import dev.weft.WeftException;
import dev.weft.internal.http.FileBody;
import dev.weft.response.BodyOutput;
import dev.weft.response.BodyWriter;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Resources under a prefix of the class path, indexed once when the handler is built: every file
 * under the prefix in every class path entry that has it (a jar, through a {@code jar:} URL, or a
 * directory, through a {@code file:} URL; the first entry wins a name found in several). Each
 * file's entity-tag is a hash of its content, so it is the same on every instance of the app.
 * A request only looks names up in the index: nothing outside it can be reached. Files in a
 * directory are sent as files (zero-copy where the connection allows). Thread-safe.
 */
final class ClasspathSource implements Source {
    private final Map<String, File> files;
    private final Set<String> directories;

    private ClasspathSource(Map<String, File> files, Set<String> directories) {
        this.files = Map.copyOf(files);
        this.directories = Set.copyOf(directories);
    }

    /**
     * Indexes the resources under {@code prefix} ({@code "static"}, no leading or trailing slash)
     * that {@code loader} sees.
     *
     * @throws WeftException if none are found or one cannot be read
     */
    static ClasspathSource index(ClassLoader loader, String prefix) {
        Map<String, File> files = new HashMap<>();
        Set<String> directories = new HashSet<>();
        directories.add("");
        try {
            Enumeration<URL> roots = loader.getResources(prefix);
            while (roots.hasMoreElements()) {
                URL url = roots.nextElement();
                switch (url.getProtocol()) {
                    case "file" -> indexDirectory(Path.of(url.toURI()), files);
                    case "jar" -> indexJar(url, prefix, files);
                    default -> throw new WeftException("StaticFiles.classpath(\"" + prefix + "\"): cannot index " + url
                            + " (only jar: and file: class path entries are supported)");
                }
            }
        } catch (IOException | URISyntaxException e) {
            throw new WeftException("StaticFiles.classpath(\"" + prefix + "\"): cannot index the resources: " + e.getMessage(), e);
        }
        if (files.isEmpty()) {
            throw new WeftException("StaticFiles.classpath(\"" + prefix + "\"): no resources found under '" + prefix
                    + "/' on the class path; check the prefix (no leading '/') and that the resources are packaged"
                    + " (a jar needs the directory entry, as Maven and Gradle write it)");
        }
        for (String name : files.keySet()) {
            for (int slash = name.lastIndexOf('/'); slash > 0; slash = name.lastIndexOf('/', slash - 1)) {
                directories.add(name.substring(0, slash));
            }
        }
        return new ClasspathSource(files, directories);
    }

    private static void indexDirectory(Path root, Map<String, File> files) throws IOException {
        if (!Files.isDirectory(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : (Iterable<Path>) walk::iterator) {
                if (!Files.isRegularFile(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) { // links are not indexed
                    continue;
                }
                String name = root.relativize(path).toString().replace(java.io.File.separatorChar, '/');
                if (files.containsKey(name)) {
                    continue;
                }
                byte[] digest;
                try (InputStream in = Files.newInputStream(path)) {
                    digest = digest(in);
                }
                long size = Files.size(path);
                long modified = Files.getLastModifiedTime(path).toInstant().getEpochSecond();
                Path file = path;
                files.put(name, new File(size, modified, etag(digest),
                        (offset, length) -> new FileBody(file, offset, length, size)));
            }
        }
    }

    private static void indexJar(URL url, String prefix, Map<String, File> files) throws IOException {
        JarURLConnection connection = (JarURLConnection) url.openConnection();
        // The cached JarFile is the one the URL handler keeps open for the class path anyway.
        JarFile jar = connection.getJarFile();
        String base = prefix + "/";
        Enumeration<JarEntry> entries = jar.entries();
        while (entries.hasMoreElements()) {
            JarEntry entry = entries.nextElement();
            String entryName = entry.getName();
            if (entry.isDirectory() || !entryName.startsWith(base) || entryName.length() == base.length()) {
                continue;
            }
            String name = entryName.substring(base.length());
            if (files.containsKey(name)) {
                continue;
            }
            byte[] digest;
            long size = 0;
            try (InputStream in = jar.getInputStream(entry)) {
                MessageDigest sha = sha256();
                byte[] buffer = new byte[64 * 1024];
                for (int n; (n = in.read(buffer)) > 0; ) {
                    sha.update(buffer, 0, n);
                    size += n;
                }
                digest = sha.digest();
            }
            long modified = entry.getTime() > 0 ? entry.getTime() / 1000 : -1;
            long length = size;
            files.put(name, new File(size, modified, etag(digest), (offset, n) -> new JarSlice(jar, entry, offset, n, length)));
        }
    }

    /** A range of a jar entry, inflated and skipped to on every write. */
    private record JarSlice(JarFile jar, JarEntry entry, long offset, long length, long size) implements BodyWriter {
        @Override
        public void writeTo(BodyOutput out) throws IOException {
            try (InputStream in = jar.getInputStream(entry)) {
                in.skipNBytes(offset);
                byte[] buffer = new byte[(int) Math.min(64 * 1024, Math.max(1, length))];
                long left = length;
                while (left > 0) {
                    int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                    if (n < 0) {
                        throw new EOFException("the jar entry " + entry.getName() + " ended early");
                    }
                    out.write(buffer, 0, n);
                    left -= n;
                }
            }
        }
    }

    @Override
    public Found find(List<String> names, String suffix) {
        String key = String.join("/", names) + suffix;
        File file = files.get(key);
        if (file != null) {
            return file;
        }
        return suffix.isEmpty() && directories.contains(key) ? DIRECTORY : MISSING;
    }

    private static byte[] digest(InputStream in) throws IOException {
        MessageDigest sha = sha256();
        byte[] buffer = new byte[64 * 1024];
        for (int n; (n = in.read(buffer)) > 0; ) {
            sha.update(buffer, 0, n);
        }
        return sha.digest();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new UncheckedIOException(new IOException("SHA-256 is missing from this JDK", e));
        }
    }

    /** The first 16 bytes of the content's SHA-256, base64url: short, and unique in practice. */
    private static String etag(byte[] digest) {
        return "\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(digest, 16)) + "\"";
    }
}
