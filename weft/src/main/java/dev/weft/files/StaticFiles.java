package dev.weft.files;

import dev.weft.WeftException;
import dev.weft.response.Status;
import dev.weft.routing.Handler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Serves static files: a directory tree, one file, or resources packaged on the class path. Each
 * factory returns a {@link Builder}; {@link Builder#build()} validates every option at once and
 * returns a {@link Handler} to mount like any other route.
 *
 * {@snippet class=dev.weft.files.StaticFilesExamples region=assets}
 *
 * <p>A tree handler serves the rest of the path: mount it on a {@code GET} route whose pattern
 * ends with a catch-all ({@code /assets/{*path}}), on a pattern ending with {@code /} (the tree's
 * root: its index file), or as a router's {@link dev.weft.routing.Router.Builder#fallback fallback}
 * (a single-page app). Anything else fails when the router is built, naming the route. A
 * {@link #file} handler serves one file on any {@code GET} route.
 *
 * {@snippet class=dev.weft.files.StaticFilesExamples region=spa}
 *
 * <p>What a request gets:
 * <ul>
 * <li>{@code GET} and {@code HEAD} only (a fallback answers other methods 405 with {@code Allow}).
 * <li>A strong {@code ETag} (size and modification time for a file of a directory, a hash of the
 *     content for the class path) and {@code Last-Modified}; {@code If-None-Match} /
 *     {@code If-Modified-Since} answer 304 with the validators, {@code If-Match} /
 *     {@code If-Unmodified-Since} 412 (RFC 9110 §13, in its order of evaluation).
 * <li>{@code Range}: one range 206; several (up to {@code maxRanges}, overlapping and adjacent
 *     ones merged) 206 {@code multipart/byteranges}; more, or a malformed header, the whole file
 *     (200); none satisfiable 416 with {@code content-range: bytes }{@code *}{@code /length}.
 *     {@code If-Range} (an entity-tag or a date) sends the whole file if it changed.
 * <li>A precompressed sibling ({@code app.js.zst}, {@code .br}, {@code .gz}) when
 *     {@code Accept-Encoding} allows it (q-values respected), with its own {@code ETag},
 *     {@code Content-Encoding}, the original's {@code Content-Type} and {@code Vary: accept-encoding}.
 *     Such a response already has a {@code content-encoding}, which a compression layer leaves alone.
 * <li>A directory asked for without its trailing slash: a redirect to it (relative location, query
 *     kept); with the slash: its index file. No listings.
 * <li>Paths that are not plain file names ({@code ..}, {@code .}, encoded dots, slashes or
 *     backslashes, backslashes, control characters, colons, device names, empty segments, names
 *     ending in a dot or space) and hidden names ({@code .env}, {@code .git/…}) are answered 404
 *     (a problem, the same as a missing file: existence is not revealed); malformed
 *     percent-encoding or UTF-8 400. A symbolic link whose target is outside the root is missing.
 * </ul>
 *
 * <table class="striped">
 * <caption>Options and defaults</caption>
 * <thead><tr><th>option</th><th>default</th><th>meaning</th></tr></thead>
 * <tbody>
 * <tr><td>{@code index}</td><td>{@code index.html}</td><td>file served for a directory ({@code noIndex()}: none, 404)</td></tr>
 * <tr><td>{@code redirectDirectories}</td><td>true</td><td>a directory without its slash redirects to it; else 404</td></tr>
 * <tr><td>{@code permanentRedirects}</td><td>false</td><td>that redirect is 308 instead of 307</td></tr>
 * <tr><td>{@code precompressed}</td><td>{@code zstd, br, gzip}</td><td>siblings looked for, in the server's order of preference; none: off (no {@code Vary})</td></tr>
 * <tr><td>{@code cacheControl}</td><td>{@code no-cache}</td><td>{@code Cache-Control} of files (revalidated with the validators on each use)</td></tr>
 * <tr><td>{@code fingerprint}</td><td>{@code -[0-9a-f]{8,}\.}</td><td>a file name this pattern finds in is fingerprinted: it never changes</td></tr>
 * <tr><td>{@code immutableCacheControl}</td><td>{@code public, max-age=31536000, immutable}</td><td>{@code Cache-Control} of fingerprinted files</td></tr>
 * <tr><td>{@code spaFallback}</td><td>none</td><td>file sent for a missing path to {@code GET}/{@code HEAD} requests that accept {@code text/html}</td></tr>
 * <tr><td>{@code allowHidden}</td><td>none</td><td>hidden names that may be served, e.g. {@code .well-known}</td></tr>
 * <tr><td>{@code contentType}</td><td>a table of common types</td><td>the type of an extension; text types get {@code charset=utf-8}; unknown: {@code application/octet-stream}</td></tr>
 * <tr><td>{@code maxRanges}</td><td>16</td><td>most ranges honoured in one request; more: the whole file</td></tr>
 * </tbody>
 * </table>
 *
 * <p>Files are read on the request's virtual thread and streamed with back-pressure; on a cleartext
 * HTTP/1.1 connection a file's bytes go from the page cache to the socket without being copied
 * through the JVM (a Netty file region). Thread-safe: one handler serves every request.
 */
public final class StaticFiles {
    private StaticFiles() {}

    /**
     * Serves the tree under directory {@code root}, looking files up on every request (edits show
     * at once). The directory must exist when {@link Builder#build()} runs.
     */
    public static Builder dir(Path root) {
        return new Builder(Kind.DIRECTORY, Objects.requireNonNull(root, "root"), null, null);
    }

    /** Serves the one file {@code file} (it must exist when {@link Builder#build()} runs), whatever the path. */
    public static Builder file(Path file) {
        return new Builder(Kind.FILE, Objects.requireNonNull(file, "file"), null, null);
    }

    /**
     * Serves the resources under {@code prefix} (e.g. {@code "static"}, no leading {@code /}) that
     * {@code loader} sees, in jars or directories of the class path. They are indexed, and hashed
     * for their entity-tags, once by {@link Builder#build()}, which fails if there are none; later
     * changes are not seen (in development, serve the source directory with {@link #dir}).
     */
    public static Builder classpath(ClassLoader loader, String prefix) {
        return new Builder(Kind.CLASSPATH, null, Objects.requireNonNull(loader, "loader"),
                Objects.requireNonNull(prefix, "prefix"));
    }

    private enum Kind { DIRECTORY, FILE, CLASSPATH }

    /** Collects the options of a static-file handler; {@link #build()} checks them all at once. Not thread-safe. */
    public static final class Builder {
        private static final List<String> CODINGS = List.of("zstd", "br", "gzip");

        private final Kind kind;
        private final Path path;
        private final ClassLoader loader;
        private final String prefix;
        private String index = "index.html";
        private boolean indexSet;
        private boolean redirectDirectories = true;
        private boolean permanentRedirects;
        private List<String> precompressed = CODINGS;
        private String cacheControl = "no-cache";
        private Pattern fingerprint = Pattern.compile("-[0-9a-f]{8,}\\.");
        private String immutableCacheControl = "public, max-age=31536000, immutable";
        private String spaFallback;
        private final Set<String> allowHidden = new LinkedHashSet<>();
        private final Map<String, String> contentTypes = new HashMap<>();
        private int maxRanges = 16;

        private Builder(Kind kind, Path path, ClassLoader loader, String prefix) {
            this.kind = kind;
            this.path = path;
            this.loader = loader;
            this.prefix = prefix;
        }

        /** The file served for a directory asked for with its trailing slash (default {@code index.html}). */
        public Builder index(String fileName) {
            this.index = Objects.requireNonNull(fileName, "fileName");
            this.indexSet = true;
            return this;
        }

        /** No index file: a directory is answered 404. */
        public Builder noIndex() {
            this.index = null;
            this.indexSet = true;
            return this;
        }

        /** Whether a directory asked for without its trailing slash redirects to it (default) or is 404. */
        public Builder redirectDirectories(boolean redirect) {
            this.redirectDirectories = redirect;
            return this;
        }

        /** Whether that redirect is 308 Permanent Redirect instead of 307 Temporary Redirect (default). */
        public Builder permanentRedirects(boolean permanent) {
            this.permanentRedirects = permanent;
            return this;
        }

        /**
         * The content codings whose precompressed siblings are served, in the server's order of
         * preference among those the client rates equally: any of {@code zstd} ({@code .zst}),
         * {@code br} ({@code .br}), {@code gzip} ({@code .gz}). None turns the lookup (and
         * {@code Vary}) off. Default: all three, in that order.
         */
        public Builder precompressed(String... codings) {
            this.precompressed = List.of(codings);
            return this;
        }

        /** The {@code Cache-Control} of files that are not fingerprinted (default {@code no-cache}). */
        public Builder cacheControl(String value) {
            this.cacheControl = Objects.requireNonNull(value, "value");
            return this;
        }

        /** The pattern that marks a file name as fingerprinted (found anywhere in the name). */
        public Builder fingerprint(Pattern pattern) {
            this.fingerprint = Objects.requireNonNull(pattern, "pattern");
            return this;
        }

        /** The {@code Cache-Control} of fingerprinted files (default {@code public, max-age=31536000, immutable}). */
        public Builder immutableCacheControl(String value) {
            this.immutableCacheControl = Objects.requireNonNull(value, "value");
            return this;
        }

        /**
         * The file (relative to the tree, e.g. {@code index.html}) sent instead of a 404 to a
         * {@code GET} or {@code HEAD} that accepts {@code text/html}, so a single-page app's client
         * routes load the app. Requests for missing scripts or images still get 404; so do
         * refused paths.
         */
        public Builder spaFallback(String relativePath) {
            this.spaFallback = Objects.requireNonNull(relativePath, "relativePath");
            return this;
        }

        /** Hidden names (starting with {@code .}) that may be served, e.g. {@code .well-known}. */
        public Builder allowHidden(String... names) {
            allowHidden.addAll(List.of(names));
            return this;
        }

        /** The content type of files ending with {@code .extension}, replacing the built-in one. */
        public Builder contentType(String extension, String mediaType) {
            contentTypes.put(Objects.requireNonNull(extension, "extension").toLowerCase(Locale.ROOT),
                    Objects.requireNonNull(mediaType, "mediaType"));
            return this;
        }

        /** The most ranges honoured in one request (default 16); a request asking for more gets the whole file. */
        public Builder maxRanges(int count) {
            this.maxRanges = count;
            return this;
        }

        /**
         * Checks every option and returns the handler.
         *
         * @throws WeftException listing every problem: a missing root or file, a class path prefix
         *     with no resources, an invalid name, coding, header value or count
         */
        public Handler build() {
            List<String> problems = new ArrayList<>();
            Set<String> hidden = Set.copyOf(allowHidden);
            for (String name : hidden) {
                if (!name.startsWith(".") || name.equals(".") || name.equals("..") || name.contains("/")
                        || name.contains("\\")) {
                    problems.add("allowHidden: '" + name + "' is not a hidden file name (.name, no slash)");
                }
            }
            if (index != null && plainPath(index, hidden).size() != 1) {
                problems.add("index: '" + index + "' is not a plain file name");
            }
            List<String> spa = null;
            if (spaFallback != null) {
                spa = plainPath(spaFallback, hidden);
                if (spa.isEmpty()) {
                    problems.add("spaFallback: '" + spaFallback + "' is not a relative file path (a/b.html)");
                }
            }
            if (kind == Kind.FILE && (indexSet || spaFallback != null || !redirectDirectories || permanentRedirects)) {
                problems.add("index, spaFallback and the directory redirect do not apply to StaticFiles.file(...)");
            }
            Set<String> seen = new LinkedHashSet<>();
            for (String coding : precompressed) {
                if (!CODINGS.contains(coding)) {
                    problems.add("precompressed: '" + coding + "' is not one of " + CODINGS);
                } else if (!seen.add(coding)) {
                    problems.add("precompressed: '" + coding + "' is listed twice");
                }
            }
            headerValue(problems, "cacheControl", cacheControl);
            headerValue(problems, "immutableCacheControl", immutableCacheControl);
            if (maxRanges < 1) {
                problems.add("maxRanges must be at least 1, got " + maxRanges);
            }
            Map<String, String> types = new HashMap<>(MediaTypes.DEFAULTS);
            contentTypes.forEach((extension, type) -> {
                if (extension.isEmpty() || extension.contains(".") || extension.contains("/")) {
                    problems.add("contentType: '" + extension + "' is not an extension (no dot: \"js\")");
                }
                if (!type.matches("[A-Za-z0-9!#$&^_.+-]+/[A-Za-z0-9!#$&^_.+-]+(\\s*;.*)?") || type.indexOf('\r') >= 0
                        || type.indexOf('\n') >= 0) {
                    problems.add("contentType: '" + type + "' is not a media type (type/subtype)");
                }
                types.put(extension, type);
            });
            Source source = null;
            List<String> single = null;
            String description;
            switch (kind) {
                case DIRECTORY -> {
                    description = "StaticFiles.dir(" + path + ")";
                    source = directory(path, hidden, problems, description);
                }
                case FILE -> {
                    description = "StaticFiles.file(" + path + ")";
                    Path real = realFile(path);
                    if (real == null) {
                        problems.add(description + ": no such file");
                    } else {
                        // Rooted at the real file's directory: a link to the file is the file.
                        Path parent = real.getParent();
                        String name = real.getFileName().toString();
                        Set<String> withSelf = new LinkedHashSet<>(hidden);
                        withSelf.add(name); // named explicitly: served even if hidden
                        source = directory(parent, Set.copyOf(withSelf), problems, description);
                        single = List.of(name);
                    }
                }
                default -> {
                    description = "StaticFiles.classpath(\"" + prefix + "\")";
                    if (prefix.isEmpty() || prefix.startsWith("/") || prefix.endsWith("/") || prefix.contains("\\")) {
                        problems.add(description + ": the prefix must be a resource directory such as \"static\""
                                + " (not empty: the whole class path holds classes; no leading or trailing '/')");
                    } else {
                        try {
                            source = ClasspathSource.index(loader, prefix);
                        } catch (WeftException e) {
                            problems.add(e.getMessage());
                        }
                    }
                }
            }
            if (!problems.isEmpty()) {
                throw new WeftException("invalid static files options:\n  - " + String.join("\n  - ", problems));
            }
            FileServer server = new FileServer(source, kind == Kind.FILE ? FileServer.Mode.SINGLE : FileServer.Mode.TREE,
                    single, index, redirectDirectories,
                    permanentRedirects ? Status.PERMANENT_REDIRECT : Status.TEMPORARY_REDIRECT, List.copyOf(precompressed),
                    cacheControl, fingerprint, immutableCacheControl, spa, hidden, Map.copyOf(types), maxRanges,
                    description);
            return Handler.of(server.extractor(), server::serve);
        }

        private static Path realFile(Path file) {
            try {
                Path real = file.toRealPath();
                return Files.isRegularFile(real) ? real : null;
            } catch (IOException e) {
                return null;
            }
        }

        private static Source directory(Path root, Set<String> hidden, List<String> problems, String description) {
            try {
                Path real = root.toRealPath();
                if (!Files.isDirectory(real, LinkOption.NOFOLLOW_LINKS)) {
                    problems.add(description + ": not a directory");
                    return null;
                }
                return new DirectorySource(real, hidden);
            } catch (IOException e) {
                problems.add(description + ": the directory cannot be opened (" + e.getClass().getSimpleName() + ")");
                return null;
            }
        }

        /** {@code text} as checked file names, or empty if it is not a plain relative path. */
        private static List<String> plainPath(String text, Set<String> hidden) {
            if (text.isEmpty() || text.startsWith("/") || text.endsWith("/")) {
                return List.of();
            }
            try {
                // Percent signs are literal here: escape them so they stay literal after decoding.
                return RequestPath.parse(text.replace("%", "%25"), hidden).names();
            } catch (RequestPath.RefusedException e) {
                return List.of();
            }
        }

        private static void headerValue(List<String> problems, String option, String value) {
            if (value.isBlank()) {
                problems.add(option + " must not be empty");
            }
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if ((c < 0x20 && c != '\t') || c == 0x7f || c > 0xff) {
                    problems.add(option + ": '" + value + "' holds a character not allowed in a header value");
                    return;
                }
            }
        }
    }
}
