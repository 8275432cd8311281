package dev.weft.routing;

import dev.weft.extract.Extractor;
import dev.weft.http.Method;
import dev.weft.http.Request;
import dev.weft.internal.routing.PathPattern;
import dev.weft.internal.http.ServerRequest;
import dev.weft.internal.routing.RouterHooks;
import dev.weft.json.JsonCodec;
import dev.weft.middleware.Middleware;
import dev.weft.response.Response;
import dev.weft.ws.WebSocketHandler;
import dev.weft.ws.WebSocketOptions;
import dev.weft.ws.WebSocketUpgrade;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * An immutable, validated set of routes with their middleware, state and error mapping: what a
 * {@link dev.weft.server.Server} serves.
 *
 * {@snippet class=dev.weft.routing.RouterExamples region=app}
 *
 * <p>Routing rules: {@code {name}} captures one segment and {@code {*name}} the rest of the path;
 * at each segment a literal beats a parameter, which beats a catch-all, whatever the order of
 * registration. Matching is on the raw, case-sensitive path; {@code /a} and {@code /a/} are
 * different routes. A known path with another method answers 405 with {@code Allow}; HEAD runs
 * the GET handler without sending the body; OPTIONS answers 204 with {@code Allow} unless a route
 * handles it. Anything else is the fallback's, 404 by default.
 *
 * <p>Thread-safe: one router serves every request concurrently.
 */
public final class Router {
    static {
        RouterHooks.install(new RouterHooks.Access() {
            @Override
            public boolean isNonBlocking(Router router, ServerRequest request) {
                return router.dispatch.isNonBlocking(request);
            }

            @Override
            public JsonCodec jsonCodec(Router router) {
                return router.dispatch.codec();
            }
        });
    }

    private final Definition definition;
    private final Dispatch dispatch;

    private Router(Definition definition) {
        this.definition = definition;
        this.dispatch = Compiler.compile(definition);
    }

    /** Starts an empty router. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Runs {@code request} through the router's layers, routing, extractors and handler. Never
     * throws: every failure becomes a response (a rejection, a mapped exception, or 500). JSON
     * bodies are left as {@link dev.weft.response.ResponseBody.Json} values; the server encodes them.
     *
     * <p>Runs on the caller's thread, which may block; the server calls it on a virtual thread
     * (inline on its event loop for routes declared {@code Handler.nonBlocking()}).
     */
    public Response handle(Request request) {
        return dispatch.handle(request);
    }

    /** Every route with its effective middleware, outermost first, sorted by pattern. */
    public List<RouteInfo> routes() {
        return dispatch.routes();
    }

    /** The route table as aligned text, one route per line, for logging at startup. */
    public String routeTable() {
        List<RouteInfo> routes = routes();
        int width = routes.stream().mapToInt(r -> r.pattern().length()).max().orElse(0);
        StringBuilder out = new StringBuilder();
        for (RouteInfo route : routes) {
            out.append(String.format("%-7s %-" + width + "s", route.method(), route.pattern()));
            if (!route.middleware().isEmpty()) {
                out.append("  ").append(String.join(" > ", route.middleware()));
            }
            out.append('\n');
        }
        return out.toString();
    }

    Definition definition() {
        return definition;
    }

    /** What a builder collected; also what a parent router re-compiles when nesting this one. */
    record Definition(
            List<RouteDef> routes,
            List<Child> children,
            List<Middleware> layers,
            List<Middleware> routeLayers,
            Handler fallback,
            Map<Class<?>, Object> states,
            Map<Class<? extends Throwable>, ExceptionMapper<?>> mappers,
            OptionalLong bodyLimit,
            JsonCodec codec) {}

    record RouteDef(Method method, PathPattern pattern, Handler handler) {}

    /**
     * A nested ({@code prefix != null}) or merged ({@code prefix == null}) router. A builder is
     * read when the parent is built, so routes added to it after {@code nest} are not lost.
     */
    record Child(PathPattern prefix, java.util.function.Supplier<Definition> definition) {}

    /**
     * Collects routes and settings; {@link #build()} validates them all at once. Not thread-safe.
     */
    public static final class Builder {
        private final List<RouteDef> routes = new ArrayList<>();
        private final List<Child> children = new ArrayList<>();
        private final List<Middleware> layers = new ArrayList<>();
        private final List<Middleware> routeLayers = new ArrayList<>();
        private final Map<Class<?>, Object> states = new LinkedHashMap<>();
        private final Map<Class<? extends Throwable>, ExceptionMapper<?>> mappers = new LinkedHashMap<>();
        private Handler fallback;
        private OptionalLong bodyLimit = OptionalLong.empty();
        private JsonCodec codec;

        private Builder() {}

        /**
         * Adds a route for {@code method} and {@code path}.
         *
         * @throws InvalidRouteException at once if the pattern is malformed (conflicts are
         *     reported by {@link #build()})
         */
        public Builder route(Method method, String path, Handler handler) {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(handler, "handler");
            if (method.equals(Method.CONNECT)) {
                throw new InvalidRouteException("CONNECT " + path + ": CONNECT is for proxies, not application routes");
            }
            routes.add(new RouteDef(method, PathPattern.parse(path), handler));
            return this;
        }

        /**
         * Mounts {@code router} under {@code prefix}: its patterns are relative to the prefix, its routes'
         * matched paths include it. A prefix may hold parameters ({@code /teams/{team}}); it must
         * not be {@code /} (use {@link #merge}) or end with {@code /}.
         */
        public Builder nest(String prefix, Router router) {
            Definition definition = router.definition();
            children.add(new Child(PathPattern.parsePrefix(prefix), () -> definition));
            return this;
        }

        /**
         * Like {@link #nest(String, Router)} for a router that is not complete on its own, for
         * example one whose extractors read parameters of the prefix or state given here.
         */
        public Builder nest(String prefix, Builder router) {
            requireOther(router);
            children.add(new Child(PathPattern.parsePrefix(prefix), router::definition));
            return this;
        }

        /**
         * Adds every route of {@code router}, keeping its layers on its own routes. A path
         * registered in both fails at build; so does a fallback set in both.
         */
        public Builder merge(Router router) {
            Definition definition = router.definition();
            children.add(new Child(null, () -> definition));
            return this;
        }

        /** Like {@link #merge(Router)} for a router that is not complete on its own. */
        public Builder merge(Builder router) {
            requireOther(router);
            children.add(new Child(null, router::definition));
            return this;
        }

        /** Answers requests no route matches (default: 404 problem). May answer any status. */
        public Builder fallback(Handler handler) {
            this.fallback = Objects.requireNonNull(handler, "handler");
            return this;
        }

        /** Answers requests no route matches with {@code fn}'s result. */
        public Builder fallback(Handler.Fn0 fn) {
            return fallback(Handler.of(fn));
        }

        /** Wraps everything this router handles (matched or not); the first layer added is the outermost. */
        public Builder layer(Middleware middleware) {
            layers.add(Objects.requireNonNull(middleware, "middleware"));
            return this;
        }

        /** Wraps matched routes only, so it never turns a 404 or 405 into something else. */
        public Builder routeLayer(Middleware middleware) {
            routeLayers.add(Objects.requireNonNull(middleware, "middleware"));
            return this;
        }

        /**
         * Gives application state of exactly {@code type} to this router's routes and the routers
         * nested in it.
         *
         * @throws dev.weft.WeftException if state of {@code type} was already given
         */
        public <T> Builder state(Class<T> type, T value) {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(value, "value");
            if (states.putIfAbsent(type, type.cast(value)) != null) {
                throw new dev.weft.WeftException("state of type " + type.getName() + " was given twice");
            }
            return this;
        }

        /** Maps exceptions of {@code type} (and subclasses) to responses for this router's routes. */
        public <E extends Throwable> Builder onException(Class<E> type, ExceptionMapper<? super E> mapper) {
            mappers.put(Objects.requireNonNull(type, "type"), Objects.requireNonNull(mapper, "mapper"));
            return this;
        }

        /** The default body limit for this router's routes (2 MiB unless set). */
        public Builder bodyLimit(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("body limit must be >= 0, got " + bytes);
            }
            this.bodyLimit = OptionalLong.of(bytes);
            return this;
        }

        /** The JSON codec (default {@link JsonCodec#jackson()}); nested routers inherit it. */
        public Builder jsonCodec(JsonCodec jsonCodec) {
            this.codec = Objects.requireNonNull(jsonCodec, "jsonCodec");
            return this;
        }

        /**
         * Validates everything and builds the router.
         *
         * @throws RouteConflictException if two routes claim the same method and path shape
         * @throws MissingStateException if a route needs state that was never given
         * @throws InvalidRouteException if an extractor does not fit its route (for example a
         *     path parameter the pattern does not have)
         */
        public Router build() {
            return new Router(definition());
        }

        private void requireOther(Builder router) {
            if (router == this) {
                throw new InvalidRouteException("a router cannot be nested or merged into itself");
            }
        }

        Definition definition() {
            return new Definition(List.copyOf(routes), List.copyOf(children), List.copyOf(layers),
                    List.copyOf(routeLayers), fallback, Map.copyOf(states), new LinkedHashMap<>(mappers),
                    bodyLimit, codec);
        }

        /** Adds a GET route. */
        /**
         * Adds a WebSocket endpoint at {@code path}: a {@code GET} route that checks the handshake
         * with {@link WebSocketUpgrade#extractor()} and runs {@code handler} for each session. A
         * plain {@code GET} gets 426. For extractors before the handshake (authentication, state),
         * use {@code get(path, auth, WebSocketUpgrade.extractor(), (user, ws) -> ws.accept(...))}.
         */
        public Builder webSocket(String path, WebSocketHandler handler) {
            return webSocket(path, WebSocketOptions.defaults(), handler);
        }

        /** Like {@link #webSocket(String, WebSocketHandler)} with the route's own limits, heartbeat and origins. */
        public Builder webSocket(String path, WebSocketOptions options, WebSocketHandler handler) {
            Objects.requireNonNull(handler, "handler");
            return get(path, WebSocketUpgrade.extractor(options), upgrade -> upgrade.accept(handler));
        }

        public Builder get(String path, Handler handler) {
            return route(Method.GET, path, handler);
        }

        /** Adds a GET route whose handler takes 0 extracted values. */
        public Builder get(String path, Handler.Fn0 fn) {
            return route(Method.GET, path, Handler.of(fn));
        }

        /** Adds a GET route whose handler takes 1 extracted value. */
        public <A> Builder get(String path, Extractor<A> a, Handler.Fn1<A> fn) {
            return route(Method.GET, path, Handler.of(a, fn));
        }

        /** Adds a GET route whose handler takes 2 extracted values. */
        public <A, B> Builder get(String path, Extractor<A> a, Extractor<B> b, Handler.Fn2<A, B> fn) {
            return route(Method.GET, path, Handler.of(a, b, fn));
        }

        /** Adds a GET route whose handler takes 3 extracted values. */
        public <A, B, C> Builder get(String path, Extractor<A> a, Extractor<B> b, Extractor<C> c, Handler.Fn3<A, B, C> fn) {
            return route(Method.GET, path, Handler.of(a, b, c, fn));
        }

        /** Adds a GET route whose handler takes 4 extracted values. */
        public <A, B, C, D> Builder get(String path, Extractor<A> a, Extractor<B> b, Extractor<C> c, Extractor<D> d, Handler.Fn4<A, B, C, D> fn) {
            return route(Method.GET, path, Handler.of(a, b, c, d, fn));
        }

        /** Adds a GET route whose handler takes 5 extracted values. */
        public <A, B, C, D, E> Builder get(String path, Extractor<A> a, Extractor<B> b, Extractor<C> c, Extractor<D> d, Extractor<E> e, Handler.Fn5<A, B, C, D, E> fn) {
            return route(Method.GET, path, Handler.of(a, b, c, d, e, fn));
        }

        /** Adds a GET route whose handler takes 6 extracted values. */
        public <A, B, C, D, E, F> Builder get(String path, Extractor<A> a, Extractor<B> b, Extractor<C> c, Extractor<D> d, Extractor<E> e, Extractor<F> f, Handler.Fn6<A, B, C, D, E, F> fn) {
            return route(Method.GET, path, Handler.of(a, b, c, d, e, f, fn));
        }

        /** Adds a POST route. */
        public Builder post(String path, Handler handler) {
            return route(Method.POST, path, handler);
        }

        /** Adds a POST route whose handler takes 0 extracted values. */
        public Builder post(String path, Handler.Fn0 fn) {
            return route(Method.POST, path, Handler.of(fn));
        }

        /** Adds a POST route whose handler takes 1 extracted value. */
        public <A> Builder post(String path, Extractor<A> a, Handler.Fn1<A> fn) {
            return route(Method.POST, path, Handler.of(a, fn));
        }

        /** Adds a POST route whose handler takes 2 extracted values. */
        public <A, B> Builder post(String path, Extractor<A> a, Extractor<B> b, Handler.Fn2<A, B> fn) {
            return route(Method.POST, path, Handler.of(a, b, fn));
        }

        /** Adds a POST route whose handler takes 3 extracted values. */
        public <A, B, C> Builder post(String path, Extractor<A> a, Extractor<B> b, Extractor<C> c, Handler.Fn3<A, B, C> fn) {
            return route(Method.POST, path, Handler.of(a, b, c, fn));
        }

        /** Adds a POST route whose handler takes 4 extracted values. */
        public <A, B, C, D> Builder post(String path, Extractor<A> a, Extractor<B> b, Extractor<C> c, Extractor<D> d, Handler.Fn4<A, B, C, D> fn) {
            return route(Method.POST, path, Handler.of(a, b, c, d, fn));
        }

        /** Adds a POST route whose handler takes 5 extracted values. */
        public <A, B, C, D, E> Builder post(String path, Extractor<A> a, Extractor<B> b, Extractor<C> c, Extractor<D> d, Extractor<E> e, Handler.Fn5<A, B, C, D, E> fn) {
            return route(Method.POST, path, Handler.of(a, b, c, d, e, fn));
        }

        /** Adds a POST route whose handler takes 6 extracted values. */
        public <A, B, C, D, E, F> Builder post(String path, Extractor<A> a, Extractor<B> b, Extractor<C> c, Extractor<D> d, Extractor<E> e, Extractor<F> f, Handler.Fn6<A, B, C, D, E, F> fn) {
            return route(Method.POST, path, Handler.of(a, b, c, d, e, f, fn));
        }

        /** Adds a PUT route. */
        public Builder put(String path, Handler handler) {
            return route(Method.PUT, path, handler);
        }

        /** Adds a PUT route whose handler takes 0 extracted values. */
        public Builder put(String path, Handler.Fn0 fn) {
            return route(Method.PUT, path, Handler.of(fn));
        }

        /** Adds a PUT route whose handler takes 1 extracted value. */
        public <A> Builder put(String path, Extractor<A> a, Handler.Fn1<A> fn) {
            return route(Method.PUT, path, Handler.of(a, fn));
        }

        /** Adds a PUT route whose handler takes 2 extracted values. */
        public <A, B> Builder put(String path, Extractor<A> a, Extractor<B> b, Handler.Fn2<A, B> fn) {
            return route(Method.PUT, path, Handler.of(a, b, fn));
        }

        /** Adds a PUT route whose handler takes 3 extracted values. */
        public <A, B, C> Builder put(String path, Extractor<A> a, Extractor<B> b, Extractor<C> c, Handler.Fn3<A, B, C> fn) {
            return route(Method.PUT, path, Handler.of(a, b, c, fn));
        }

        /** Adds a PUT route whose handler takes 4 extracted values. */
        public <A, B, C, D> Builder put(String path, Extractor<A> a, Extractor<B> b, Extractor<C> c, Extractor<D> d, Handler.Fn4<A, B, C, D> fn) {
            return route(Method.PUT, path, Handler.of(a, b, c, d, fn));
        }

        /** Adds a PUT route whose handler takes 5 extracted values. */
        public <A, B, C, D, E> Builder put(String path, Extractor<A> a, Extractor<B> b, Extractor<C> c, Extractor<D> d, Extractor<E> e, Handler.Fn5<A, B, C, D, E> fn) {
            return route(Method.PUT, path, Handler.of(a, b, c, d, e, fn));
        }

        /** Adds a PUT route whose handler takes 6 extracted values. */
        public <A, B, C, D, E, F> Builder put(String path, Extractor<A> a, Extractor<B> b, Extractor<C> c, Extractor<D> d, Extractor<E> e, Extractor<F> f, Handler.Fn6<A, B, C, D, E, F> fn) {
            return route(Method.PUT, path, Handler.of(a, b, c, d, e, f, fn));
        }

        /** Adds a PATCH route. */
        public Builder patch(String path, Handler handler) {
            return route(Method.PATCH, path, handler);
        }

        /** Adds a PATCH route whose handler takes 0 extracted values. */
        public Builder patch(String path, Handler.Fn0 fn) {
            return route(Method.PATCH, path, Handler.of(fn));
        }

        /** Adds a PATCH route whose handler takes 1 extracted value. */
        public <A> Builder patch(String path, Extractor<A> a, Handler.Fn1<A> fn) {
            return route(Method.PATCH, path, Handler.of(a, fn));
        }

        /** Adds a PATCH route whose handler takes 2 extracted values. */
        public <A, B> Builder patch(String path, Extractor<A> a, Extractor<B> b, Handler.Fn2<A, B> fn) {
            return route(Method.PATCH, path, Handler.of(a, b, fn));
        }

        /** Adds a PATCH route whose handler takes 3 extracted values. */
        public <A, B, C> Builder patch(String path, Extractor<A> a, Extractor<B> b, Extractor<C> c, Handler.Fn3<A, B, C> fn) {
            return route(Method.PATCH, path, Handler.of(a, b, c, fn));
        }

        /** Adds a PATCH route whose handler takes 4 extracted values. */
        public <A, B, C, D> Builder patch(String path, Extractor<A> a, Extractor<B> b, Extractor<C> c, Extractor<D> d, Handler.Fn4<A, B, C, D> fn) {
            return route(Method.PATCH, path, Handler.of(a, b, c, d, fn));
        }

        /** Adds a PATCH route whose handler takes 5 extracted values. */
        public <A, B, C, D, E> Builder patch(String path, Extractor<A> a, Extractor<B> b, Extractor<C> c, Extractor<D> d, Extractor<E> e, Handler.Fn5<A, B, C, D, E> fn) {
            return route(Method.PATCH, path, Handler.of(a, b, c, d, e, fn));
        }

        /** Adds a PATCH route whose handler takes 6 extracted values. */
        public <A, B, C, D, E, F> Builder patch(String path, Extractor<A> a, Extractor<B> b, Extractor<C> c, Extractor<D> d, Extractor<E> e, Extractor<F> f, Handler.Fn6<A, B, C, D, E, F> fn) {
            return route(Method.PATCH, path, Handler.of(a, b, c, d, e, f, fn));
        }

        /** Adds a DELETE route. */
        public Builder delete(String path, Handler handler) {
            return route(Method.DELETE, path, handler);
        }

        /** Adds a DELETE route whose handler takes 0 extracted values. */
        public Builder delete(String path, Handler.Fn0 fn) {
            return route(Method.DELETE, path, Handler.of(fn));
        }

        /** Adds a DELETE route whose handler takes 1 extracted value. */
        public <A> Builder delete(String path, Extractor<A> a, Handler.Fn1<A> fn) {
            return route(Method.DELETE, path, Handler.of(a, fn));
        }

        /** Adds a DELETE route whose handler takes 2 extracted values. */
        public <A, B> Builder delete(String path, Extractor<A> a, Extractor<B> b, Handler.Fn2<A, B> fn) {
            return route(Method.DELETE, path, Handler.of(a, b, fn));
        }

        /** Adds a DELETE route whose handler takes 3 extracted values. */
        public <A, B, C> Builder delete(String path, Extractor<A> a, Extractor<B> b, Extractor<C> c, Handler.Fn3<A, B, C> fn) {
            return route(Method.DELETE, path, Handler.of(a, b, c, fn));
        }

        /** Adds a DELETE route whose handler takes 4 extracted values. */
        public <A, B, C, D> Builder delete(String path, Extractor<A> a, Extractor<B> b, Extractor<C> c, Extractor<D> d, Handler.Fn4<A, B, C, D> fn) {
            return route(Method.DELETE, path, Handler.of(a, b, c, d, fn));
        }

        /** Adds a DELETE route whose handler takes 5 extracted values. */
        public <A, B, C, D, E> Builder delete(String path, Extractor<A> a, Extractor<B> b, Extractor<C> c, Extractor<D> d, Extractor<E> e, Handler.Fn5<A, B, C, D, E> fn) {
            return route(Method.DELETE, path, Handler.of(a, b, c, d, e, fn));
        }

        /** Adds a DELETE route whose handler takes 6 extracted values. */
        public <A, B, C, D, E, F> Builder delete(String path, Extractor<A> a, Extractor<B> b, Extractor<C> c, Extractor<D> d, Extractor<E> e, Extractor<F> f, Handler.Fn6<A, B, C, D, E, F> fn) {
            return route(Method.DELETE, path, Handler.of(a, b, c, d, e, f, fn));
        }
    }
}
