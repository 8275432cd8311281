package dev.weft.middleware;

import dev.weft.WeftException;
import dev.weft.http.Request;
import dev.weft.internal.http.ServerRequest;
import dev.weft.internal.routing.RouteLookup;
import dev.weft.response.Redirect;
import dev.weft.response.Response;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Sends a request whose path matches no route to the route it was meant for: {@code /users/}
 * to {@code /users} (or the reverse, whichever has the route), {@code //users///42} to
 * {@code /users/42}. Either with a {@code 308 Permanent Redirect} ({@link #redirect()}; the method,
 * body and query string are kept) or by routing the fixed path directly ({@link #rewrite()}).
 * Opt-in: without it {@code /a} and {@code /a/} are different paths, as routing says.
 *
 * {@snippet class=dev.weft.middleware.NormalizePathExamples region=redirect}
 *
 * <p>It must run before routing, so it is a {@code layer(..)} of the outermost router
 * ({@link Kind#PATH_REWRITE}).
 *
 * <p><b>Only towards a route.</b> The path is changed only when the path as sent matches no route
 * and the fixed one does; the router is asked. Blind trimming (tower-http's) would redirect
 * {@code /files/} away from a route registered as {@code /files/}, redirect a 404 to another 404,
 * and hide a fallback's own answer; asking the router avoids all three. A path some route matches
 * (a catch-all {@code {*rest}} matches every path below it) is never changed.
 *
 * <p><b>Hostile paths.</b> A redirect never points elsewhere: the {@code Location} is a path that
 * starts with exactly one {@code /} followed by neither {@code /} nor {@code \} (which browsers
 * read as {@code /}), so {@code //evil.com/} is at most redirected to {@code /evil.com}, never to
 * the protocol-relative {@code //evil.com}; characters other than visible ASCII are
 * percent-encoded. Percent-encoded slashes ({@code %2F}) are data, not separators, and are left as
 * they are.
 *
 * <table class="striped">
 * <caption>Options and defaults</caption>
 * <thead><tr><th>option</th><th>default</th><th>meaning</th></tr></thead>
 * <tbody>
 * <tr><td>{@code mode}</td><td>{@code REDIRECT}</td><td>{@code REDIRECT}: answer 308 to the fixed path; {@code REWRITE}: route the fixed path</td></tr>
 * <tr><td>{@code trailingSlash}</td><td>true</td><td>try the path with its trailing slash removed (or added)</td></tr>
 * <tr><td>{@code collapseSlashes}</td><td>true</td><td>replace each run of {@code /} by one</td></tr>
 * </tbody>
 * </table>
 *
 * <p>In {@code REWRITE} mode the handler sees the fixed path in {@link Request#path()} and
 * {@link Request#matchedPath()}, and what the client sent in {@link Request#target()}. Runs on the
 * request's thread; no state.
 */
public final class NormalizePath implements Middleware {
    /** What to do with a path that has a route once normalized. */
    public enum Mode {
        /** Answer {@code 308 Permanent Redirect} with the normalized path and the original query. */
        REDIRECT,
        /** Route the normalized path, as if the client had sent it. */
        REWRITE
    }

    private static final NormalizePath REDIRECT = builder().build();
    private static final NormalizePath REWRITE = builder().mode(Mode.REWRITE).build();

    private final Mode mode;
    private final boolean trailingSlash;
    private final boolean collapseSlashes;

    private NormalizePath(Builder b) {
        this.mode = b.mode;
        this.trailingSlash = b.trailingSlash;
        this.collapseSlashes = b.collapseSlashes;
    }

    /** Redirects (308) to the normalized path, both normalizations on. */
    public static NormalizePath redirect() {
        return REDIRECT;
    }

    /** Routes the normalized path, both normalizations on. */
    public static NormalizePath rewrite() {
        return REWRITE;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String name() {
        return "NormalizePath";
    }

    @Override
    public Kind kind() {
        return Kind.PATH_REWRITE;
    }

    @Override
    public Response handle(Request request, Next next) throws Exception {
        ServerRequest server = (ServerRequest) request;
        String path = server.path();
        if (path.isEmpty() || path.charAt(0) != '/') {
            return next.run(request); // OPTIONS * and the like: nothing to normalize
        }
        RouteLookup routes = server.routeLookup();
        if (routes.allow(path) != null) {
            return next.run(request);
        }
        String fixed = normalize(path, routes);
        if (fixed == null) {
            return next.run(request);
        }
        if (mode == Mode.REWRITE) {
            server.rewritePath(fixed);
            return next.run(request);
        }
        return Redirect.permanent(location(fixed, request));
    }

    /**
     * The first of (collapsed path, collapsed path with its trailing slash toggled) that differs
     * from {@code path}, matches a route and is safe to put in a {@code Location}; else null.
     */
    private String normalize(String path, RouteLookup routes) {
        String collapsed = collapseSlashes ? collapse(path) : path;
        if (!collapsed.equals(path) && safe(collapsed) && routes.allow(collapsed) != null) {
            return collapsed;
        }
        if (!trailingSlash || collapsed.equals("/")) {
            return null;
        }
        String toggled = collapsed.endsWith("/") ? collapsed.substring(0, collapsed.length() - 1) : collapsed + "/";
        if (!toggled.isEmpty() && safe(toggled) && routes.allow(toggled) != null) {
            return toggled;
        }
        return null;
    }

    /** {@code path} with every run of slashes replaced by one ({@code %2F} is not a slash). */
    static String collapse(String path) {
        if (!path.contains("//")) {
            return path;
        }
        StringBuilder out = new StringBuilder(path.length());
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c != '/' || out.isEmpty() || out.charAt(out.length() - 1) != '/') {
                out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * Whether {@code path} can only be read as a path of this server: one leading slash, not
     * followed by another or by a backslash (browsers turn {@code /\host} into {@code //host}).
     */
    static boolean safe(String path) {
        return path.startsWith("/") && (path.length() == 1 || path.charAt(1) != '/' && path.charAt(1) != '\\');
    }

    /** The redirect target: {@code path} and the query as sent, anything but visible ASCII percent-encoded. */
    private static String location(String path, Request request) {
        String target = request.rawQuery().map(q -> path + "?" + q).orElse(path);
        boolean plain = true;
        for (int i = 0; i < target.length() && plain; i++) {
            char c = target.charAt(i);
            plain = c > 0x20 && c < 0x7f;
        }
        if (plain) {
            return target;
        }
        StringBuilder out = new StringBuilder(target.length() + 16);
        for (byte b : target.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c > 0x20 && c < 0x7f) {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }

    /** Configures a {@link NormalizePath}. Not thread-safe. */
    public static final class Builder {
        private Mode mode = Mode.REDIRECT;
        private boolean trailingSlash = true;
        private boolean collapseSlashes = true;

        private Builder() {}

        public Builder mode(Mode value) {
            this.mode = Objects.requireNonNull(value, "mode");
            return this;
        }

        /** Whether to try the path with its trailing slash removed, or added. */
        public Builder trailingSlash(boolean value) {
            this.trailingSlash = value;
            return this;
        }

        /** Whether to replace runs of {@code /} by one. */
        public Builder collapseSlashes(boolean value) {
            this.collapseSlashes = value;
            return this;
        }

        /**
         * Builds the layer.
         *
         * @throws WeftException if both normalizations are off (the layer would do nothing)
         */
        public NormalizePath build() {
            if (!trailingSlash && !collapseSlashes) {
                throw new WeftException("invalid NormalizePath options:\n  - trailingSlash(false) and"
                        + " collapseSlashes(false): the layer would change nothing; enable one or drop the layer");
            }
            return new NormalizePath(this);
        }
    }
}
