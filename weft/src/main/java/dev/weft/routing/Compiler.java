package dev.weft.routing;

import dev.weft.WeftException;
import dev.weft.extract.Extractor;
import dev.weft.extract.RouteShape;
import dev.weft.http.Request;
import dev.weft.internal.http.AbstractBody;
import dev.weft.internal.http.ServerRequest;
import dev.weft.internal.routing.PathPattern;
import dev.weft.internal.routing.Layers;
import dev.weft.internal.routing.RouteChecked;
import dev.weft.internal.routing.RouteTrie;
import dev.weft.json.JsonCodec;
import dev.weft.middleware.Middleware;
import dev.weft.middleware.Next;
import dev.weft.response.Response;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Flattens a router definition and its nested and merged routers into one trie, composing each
 * route's middleware chain once. Every mistake found is a {@link WeftException} naming the route.
 */
final class Compiler {
    private final RouteTrie<PathEntry> trie = new RouteTrie<>();
    private final List<Scope> scopes = new ArrayList<>();
    private final List<PathEntry> entries = new ArrayList<>();
    private final JsonCodec codec;
    private final List<Middleware> rootLayers;
    private final LayerOrder order = new LayerOrder();
    /**
     * The build-time checks of layers that look at the routes they wrap, one per layer instance,
     * keyed by the unwrapped layer: installed plain and renamed, it is still one layer.
     */
    private final Map<Middleware, RouteChecked.Check> checks = new IdentityHashMap<>();
    /** The route-table names a checked layer was installed under when renamed, for its problems. */
    private final Map<Middleware, Set<String>> renamedAs = new IdentityHashMap<>();

    private Compiler(JsonCodec codec, List<Middleware> rootLayers) {
        this.codec = codec;
        this.rootLayers = rootLayers;
        // Started up front, so a layer of a router without routes still reports what it names.
        rootLayers.forEach(this::check);
    }

    static Dispatch compile(Router.Definition root) {
        Compiler compiler = new Compiler(root.codec() == null ? JsonCodec.jackson() : root.codec(), root.layers());
        compiler.scope(root, null, 0, List.of(), List.of(), Map.of(), Map.of(), AbstractBody.DEFAULT_LIMIT, true);
        compiler.order.throwIfAny();
        compiler.throwIfChecksFail();
        compiler.entries.forEach(PathEntry::seal);
        List<Scope> withFallback = compiler.fallbackScopes();
        Scope rootScope = compiler.scopes.getFirst();
        return new Dispatch(compiler.trie, withFallback, rootScope, root.layers(), compiler.codec, compiler.routeInfos(root));
    }

    private void scope(Router.Definition d, PathPattern prefix, int depth, List<Middleware> outerRoute,
            List<Middleware> outerMiss, Map<Class<?>, Object> inheritedStates,
            Map<Class<? extends Throwable>, ExceptionMapper<?>> inheritedMappers, long inheritedLimit, boolean root) {
        if (!root && d.codec() != null && d.codec() != codec) {
            throw new InvalidRouteException("a router nested or merged under '" + mount(prefix)
                    + "' sets its own JSON codec; set the codec on the outermost router only");
        }
        Map<Class<?>, Object> states = new LinkedHashMap<>(inheritedStates);
        states.putAll(d.states());
        Map<Class<? extends Throwable>, ExceptionMapper<?>> mappers = new LinkedHashMap<>(inheritedMappers);
        mappers.putAll(d.mappers());
        long limit = d.bodyLimit().orElse(inheritedLimit);
        List<Middleware> ownLayers = root ? List.of() : d.layers();
        order.routerLayers(d.layers(), mount(prefix), root);
        order.routeLayers(d.routeLayers(), "routeLayer(...) of the router at '" + mount(prefix) + "'");
        List<Middleware> routeOuter = concat(outerRoute, ownLayers, d.routeLayers());
        List<Middleware> missOuter = concat(outerMiss, ownLayers);
        Scope scope = new Scope(prefix, depth, d.fallback(), missOuter, Map.copyOf(states), Map.copyOf(mappers), limit);
        scopes.add(scope);

        String misses = "answers under '" + mount(prefix) + "' with no route";
        order.stack(concat(rootLayers, missOuter), misses);
        if (d.fallback() != null) {
            verify(d.fallback(), "*", prefix == null ? "/" : prefix.text() + "/…", Set.of(), states,
                    concat(rootLayers, missOuter, d.fallback().layers()));
            order.routeLayers(d.fallback().layers(), "Handler.layer(...) on the fallback at '" + mount(prefix) + "'");
            order.stack(concat(rootLayers, missOuter, d.fallback().layers()), "the fallback at '" + mount(prefix) + "'");
        }
        for (Router.RouteDef def : d.routes()) {
            PathPattern full = def.pattern().under(prefix);
            Handler handler = def.handler();
            List<Middleware> stack = concat(routeOuter, handler.layers());
            List<Middleware> whole = concat(rootLayers, stack);
            verify(handler, def.method().name(), full.text(), Set.copyOf(full.paramNames()), states, whole);
            String where = def.method() + " " + full.text();
            order.routeLayers(handler.layers(), "Handler.layer(...) on " + where);
            order.stack(whole, where);
            List<Middleware> seen = Layers.unwrap(whole); // what the layers' own checks see: renames taken off
            for (Middleware layer : whole) {
                RouteChecked.Check check = check(layer);
                if (check != null) {
                    check.route(def.method().name(), full.text(), seen);
                }
            }
            Next terminal = request -> run(handler, request);
            Next chain = guarded(compose(stack, terminal, scope.mappers(), where), scope.mappers(), where);
            Endpoint endpoint = new Endpoint(def.method(), full, full.paramNames().toArray(String[]::new),
                    scope.states(), handler.bodyLimitOverride().orElse(limit), chain, names(stack),
                    handler.isNonBlocking());
            PathEntry entry = trie.getOrCreate(full, () -> {
                PathEntry created = new PathEntry(scope);
                entries.add(created);
                return created;
            });
            Endpoint existing = entry.add(endpoint);
            if (existing != null) {
                throw new RouteConflictException(where + " conflicts with " + existing.method() + " "
                        + existing.pattern().text() + ": both match the same requests; remove one or change its path");
            }
        }
        if (depth > 32) {
            throw new InvalidRouteException("routers are nested more than 32 deep under '" + mount(prefix)
                    + "'; is a builder nested into itself through another one?");
        }
        for (Router.Child child : d.children()) {
            PathPattern childPrefix = child.prefix() == null ? prefix
                    : (prefix == null ? child.prefix() : child.prefix().under(prefix));
            scope(child.definition().get(), childPrefix, depth + 1, routeOuter, missOuter, states, mappers, limit, false);
        }
    }

    /** The check of {@code layer} (seen through renamings) for this build, or null if it makes none. */
    private RouteChecked.Check check(Middleware layer) {
        Middleware inner = Layers.unwrap(layer);
        if (!(inner instanceof RouteChecked checked)) {
            return null;
        }
        if (inner != layer) {
            renamedAs.computeIfAbsent(inner, l -> new LinkedHashSet<>()).add(layer.name());
        }
        return checks.computeIfAbsent(inner, l -> checked.startCheck());
    }

    private void throwIfChecksFail() {
        List<String> problems = new ArrayList<>();
        checks.forEach((layer, check) -> {
            Set<String> names = renamedAs.get(layer);
            String as = names == null ? "" : " (the layer named '" + String.join("', '", names) + "' in the route table)";
            check.problems().forEach(problem -> problems.add(problem + as));
        });
        if (!problems.isEmpty()) {
            throw new InvalidRouteException(problems.size() == 1 ? problems.getFirst()
                    : problems.size() + " problems:\n  " + String.join("\n  ", problems));
        }
    }

    private static void verify(Handler handler, String method, String pattern, Set<String> params,
            Map<Class<?>, Object> states, List<Middleware> stack) {
        List<Middleware> effectiveStack = Layers.unwrap(stack); // what the checks see: renames taken off
        Set<Middleware.Kind> kinds = EnumSet.noneOf(Middleware.Kind.class);
        effectiveStack.forEach(layer -> kinds.add(layer.kind()));
        RouteShape shape = new RouteShape() {
            @Override public String method() { return method; }
            @Override public String pattern() { return pattern; }
            @Override public Set<String> pathParams() { return params; }
            @Override public boolean hasState(Class<?> type) { return states.containsKey(type); }
            @Override public boolean hasLayer(Middleware.Kind kind) { return kinds.contains(kind); }
            @Override public <T> List<T> layers(Class<T> type) {
                List<T> found = new ArrayList<>();
                for (Middleware layer : effectiveStack) {
                    if (type.isInstance(layer)) {
                        found.add(type.cast(layer));
                    }
                }
                return List.copyOf(found);
            }
        };
        for (Extractor<?> extractor : handler.extractors()) {
            extractor.verify(shape);
        }
    }

    private List<Scope> fallbackScopes() {
        List<Scope> withFallback = new ArrayList<>();
        for (Scope scope : scopes) {
            if (scope.fallback() == null) {
                continue;
            }
            for (Scope other : withFallback) {
                if (shape(scope.prefix()).equals(shape(other.prefix()))) {
                    throw new RouteConflictException("the routers mounted at '" + mount(other.prefix()) + "' and '"
                            + mount(scope.prefix()) + "' both set a fallback for the same paths; keep one of them");
                }
            }
            withFallback.add(scope);
        }
        withFallback.sort(Comparator.comparingInt(Scope::depth).reversed());
        return List.copyOf(withFallback);
    }

    /** A prefix with parameter names erased: two prefixes of one shape match the same paths. */
    private static String shape(PathPattern prefix) {
        if (prefix == null) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        for (PathPattern.Segment segment : prefix.segments()) {
            out.append('/').append(segment instanceof PathPattern.Literal(String text) ? text : "{}");
        }
        return out.toString();
    }

    private static String mount(PathPattern prefix) {
        return prefix == null ? "/" : prefix.text();
    }

    private List<RouteInfo> routeInfos(Router.Definition root) {
        List<String> rootNames = names(root.layers());
        List<RouteInfo> infos = new ArrayList<>();
        trie.forEach(entry -> {
            for (Endpoint e : entry.endpoints()) {
                infos.add(new RouteInfo(e.method().name(), e.pattern().text(), concatNames(rootNames, e.middleware()),
                        e.bodyLimit()));
            }
        });
        for (Scope scope : scopes) {
            if (scope.fallback() != null) {
                String at = scope.prefix() == null ? "/*" : scope.prefix().text() + "/*";
                infos.add(new RouteInfo("*", at, concatNames(rootNames, names(concat(scope.missLayers(),
                        scope.fallback().layers()))), scope.bodyLimit()));
            }
        }
        infos.sort(Comparator.comparing(RouteInfo::pattern).thenComparing(RouteInfo::method));
        return List.copyOf(infos);
    }

    /**
     * Composes {@code layers} around {@code terminal}; the first layer is the outermost. What each
     * layer calls as its {@code next} is guarded: a failure inside it reaches the layer as a
     * response (mapped by {@code mappers}), never as an exception, so an outer layer such as CORS
     * or an access log still sees, and decorates, the 500 an inner one caused.
     */
    static Next compose(List<Middleware> layers, Next terminal,
            Map<Class<? extends Throwable>, ExceptionMapper<?>> mappers, String where) {
        Next next = terminal;
        for (int i = layers.size() - 1; i >= 0; i--) {
            Middleware layer = layers.get(i);
            Next inner = guarded(next, mappers, where);
            next = request -> {
                Response response = layer.handle(request, inner);
                if (response == null) {
                    throw new IllegalStateException("middleware " + layer.name() + " returned null");
                }
                return response;
            };
        }
        return next;
    }

    /** A chain that turns any failure into a response with {@code mappers}. */
    static Next guarded(Next chain, Map<Class<? extends Throwable>, ExceptionMapper<?>> mappers, String where) {
        return request -> {
            try {
                return chain.run(request);
            } catch (Throwable failure) {
                return Failures.toResponse(failure, request, mappers, where);
            }
        };
    }

    /**
     * Turns a handler's return value into its response, then applies what the request's extractors
     * asked for on the way out (the cookie jar's {@code set-cookie} lines), so nothing has to be
     * returned for it to reach the client.
     */
    private static Response run(Handler handler, Request request) throws Exception {
        ServerRequest server = (ServerRequest) request; // Request is sealed
        try {
            return server.decorate(Conversions.toResponse(handler.invoker().invoke(request)));
        } finally {
            server.handled(); // e.g. a multipart body's temporary files, whatever the outcome
        }
    }

    /** Runs {@code handler} as a fallback (no route matched). */
    static Response runFallback(Handler handler, Request request, Scope scope) throws Exception {
        Next chain = guarded(compose(handler.layers(),
                r -> run(handler, r), scope.mappers(), "fallback"), scope.mappers(), "fallback");
        return chain.run(request);
    }

    @SafeVarargs
    private static List<Middleware> concat(List<Middleware>... lists) {
        List<Middleware> all = new ArrayList<>();
        for (List<Middleware> list : lists) {
            all.addAll(list);
        }
        return List.copyOf(all);
    }

    private static List<String> names(List<Middleware> layers) {
        return layers.stream().map(Middleware::name).toList();
    }

    private static List<String> concatNames(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
