package dev.weft.routing;

import dev.weft.http.Method;
import dev.weft.http.Request;
import dev.weft.internal.http.ServerRequest;
import dev.weft.internal.routing.RouteLookup;
import dev.weft.internal.routing.RouteTrie;
import dev.weft.json.JsonCodec;
import dev.weft.middleware.Middleware;
import dev.weft.middleware.Next;
import dev.weft.response.Problem;
import dev.weft.response.Response;
import dev.weft.response.Status;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** A compiled router: the root layers around matching, dispatch to endpoints, and misses. */
final class Dispatch implements RouteLookup {
    private static final String[] NO_NAMES = new String[0];

    private final RouteTrie<PathEntry> trie;
    private final List<Scope> fallbacks;
    private final Scope root;
    private final JsonCodec codec;
    private final List<RouteInfo> routes;
    private final Next chain;
    private final boolean hasNonBlocking;
    /** Every method some route serves, for {@code OPTIONS *}. */
    private final String serverAllow;

    Dispatch(RouteTrie<PathEntry> trie, List<Scope> fallbacks, Scope root, List<Middleware> rootLayers,
            JsonCodec codec, List<RouteInfo> routes) {
        this.trie = trie;
        this.fallbacks = fallbacks;
        this.root = root;
        this.codec = codec;
        this.routes = routes;
        boolean[] any = {false};
        trie.forEach(entry -> entry.endpoints().forEach(e -> any[0] |= e.nonBlocking()));
        this.hasNonBlocking = any[0];
        Set<String> methods = new LinkedHashSet<>();
        trie.forEach(entry -> methods.addAll(List.of(entry.allow().split(", "))));
        methods.add(Method.OPTIONS.name());
        this.serverAllow = String.join(", ", methods);
        this.chain = Compiler.guarded(Compiler.compose(rootLayers, this::route, root.mappers(), "router layer"),
                root.mappers(), "router layer");
    }

    Response handle(Request request) {
        ServerRequest server = (ServerRequest) request; // Request is sealed
        server.json(codec);
        server.routeLookup(this); // root layers run before routing; Cors and NormalizePath ask through it
        try {
            return chain.run(server);
        } catch (Exception e) {
            // guarded() already turned failures into responses; this is unreachable.
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked") // a pre-match of this request's path was made by this trie
    private Response route(Request request) throws Exception {
        ServerRequest server = (ServerRequest) request;
        String path = server.path();
        if (path.equals("*") && server.method().equals(Method.OPTIONS)) {
            // RFC 9110 §9.3.7: OPTIONS * asks about the server as a whole.
            server.bindRoute(null, NO_NAMES, NO_NAMES, root.states(), root.bodyLimit());
            return Response.of(Status.NO_CONTENT).withHeader("allow", serverAllow);
        }
        if (path.isEmpty() || path.charAt(0) != '/') {
            return Problem.of(Status.BAD_REQUEST, "the request target must be an absolute path").toResponse();
        }
        RouteTrie.Match<PathEntry> match = server.takePreMatch() instanceof RouteTrie.Match<?> pre
                ? (RouteTrie.Match<PathEntry>) pre : trie.match(path);
        if (match == null) {
            return notFound(server, path);
        }
        PathEntry entry = match.value();
        Endpoint endpoint = entry.find(server.method());
        if (endpoint == null) {
            Scope scope = entry.scope();
            server.bindRoute(null, NO_NAMES, NO_NAMES, scope.states(), scope.bodyLimit());
            boolean options = server.method().equals(Method.OPTIONS);
            Response answer = options
                    ? Response.of(Status.NO_CONTENT).withHeader("allow", entry.allow())
                    : Problem.of(Status.METHOD_NOT_ALLOWED, "method " + server.method() + " is not allowed here")
                            .with("allow", entry.allow()).toResponse().withHeader("allow", entry.allow());
            return Compiler.compose(scope.missLayers(), r -> answer, scope.mappers(), "router layer").run(server);
        }
        server.bindRoute(endpoint.pattern().text(), endpoint.paramNames(), match.params(), endpoint.states(),
                endpoint.bodyLimit());
        return endpoint.chain().run(server);
    }

    private Response notFound(ServerRequest request, String path) throws Exception {
        for (Scope scope : fallbacks) {
            if (scope.owns(path)) {
                request.bindRoute(null, NO_NAMES, NO_NAMES, scope.states(), scope.bodyLimit());
                // A fallback serving a subtree (static files) needs to know where its router is mounted.
                request.mountSegments(scope.prefix() == null ? 0 : scope.prefix().segments().size());
                return Compiler.compose(scope.missLayers(), r -> Compiler.runFallback(scope.fallback(), r, scope),
                        scope.mappers(), "router layer").run(request);
            }
        }
        request.bindRoute(null, NO_NAMES, NO_NAMES, root.states(), root.bodyLimit());
        return Response.notFound();
    }

    /** The {@code Allow} value of the routes at {@code path}, or null if none matches (see {@link RouteLookup}). */
    @Override
    public String allow(String path) {
        if (path.isEmpty() || path.charAt(0) != '/') {
            return null;
        }
        RouteTrie.Match<PathEntry> match = trie.match(path);
        return match == null ? null : match.value().allow();
    }

    @Override
    public String route(Method method, String path) {
        if (path.isEmpty() || path.charAt(0) != '/') {
            return null;
        }
        RouteTrie.Match<PathEntry> match = trie.match(path);
        if (match == null) {
            return null;
        }
        Endpoint endpoint = match.value().find(method);
        return endpoint == null ? null : endpoint.pattern().text();
    }

    boolean isNonBlocking(ServerRequest request) {
        if (!hasNonBlocking) {
            return false; // most apps: no match before routing
        }
        String path = request.path();
        if (path.isEmpty() || path.charAt(0) != '/') {
            return false;
        }
        RouteTrie.Match<PathEntry> match = trie.match(path);
        if (match == null) {
            return false;
        }
        request.preMatch(match); // route() takes it instead of matching again
        Endpoint endpoint = match.value().find(request.method());
        return endpoint != null && endpoint.nonBlocking();
    }

    JsonCodec codec() {
        return codec;
    }

    List<RouteInfo> routes() {
        return routes;
    }
}
