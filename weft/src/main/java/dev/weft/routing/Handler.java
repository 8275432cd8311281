package dev.weft.routing;

import dev.weft.extract.Extractor;
import dev.weft.http.Request;
import dev.weft.middleware.Middleware;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * A route's endpoint: typed extractors, the function they feed, and per-route settings.
 *
 * <p>Most code never names this type: {@code Router.Builder.get(path, extractors…, fn)} builds one.
 * Build it explicitly to set a per-route body limit or middleware:
 *
 * <pre>{@code
 * .post("/uploads", Handler.of(Body.bytes(), bytes -> store.save(bytes))
 *         .bodyLimit(64 * 1024 * 1024)
 *         .layer(requireAdmin))
 * }</pre>
 *
 * <p>The function runs on the request's virtual thread and may block (unless the handler is
 * declared {@link #nonBlocking()}: then it runs on an event loop and must not). Extractors are called
 * directly, without reflection; the first rejection answers and the function is not called.
 * Immutable: {@link #bodyLimit} and {@link #layer} return new handlers.
 */
public final class Handler {

    /** Runs extractors and the function for one request. */
    @FunctionalInterface
    interface Invoker {
        Object invoke(Request request) throws Exception;
    }

    private final List<Extractor<?>> extractors;
    private final Invoker invoker;
    private final OptionalLong bodyLimit;
    private final List<Middleware> layers;
    private final boolean nonBlocking;

    private Handler(List<Extractor<?>> extractors, Invoker invoker, OptionalLong bodyLimit, List<Middleware> layers) {
        this(extractors, invoker, bodyLimit, layers, false);
    }

    private Handler(List<Extractor<?>> extractors, Invoker invoker, OptionalLong bodyLimit, List<Middleware> layers,
            boolean nonBlocking) {
        for (Extractor<?> extractor : extractors) {
            Objects.requireNonNull(extractor, "extractor");
        }
        this.extractors = extractors;
        this.invoker = invoker;
        this.bodyLimit = bodyLimit;
        this.layers = layers;
        this.nonBlocking = nonBlocking;
    }

    /** A handler of 0 extractors; they run left to right before {@code fn}. */
    public static Handler of(Fn0 fn) {
        Objects.requireNonNull(fn, "fn");
        return new Handler(List.of(), r -> fn.handle(), OptionalLong.empty(), List.of());
    }

    /** A handler of 1 extractor; they run left to right before {@code fn}. */
    public static <A> Handler of(Extractor<A> ax, Fn1<A> fn) {
        Objects.requireNonNull(fn, "fn");
        return new Handler(List.of(ax), r -> fn.handle(ax.extract(r)), OptionalLong.empty(), List.of());
    }

    /** A handler of 2 extractors; they run left to right before {@code fn}. */
    public static <A, B> Handler of(Extractor<A> ax, Extractor<B> bx, Fn2<A, B> fn) {
        Objects.requireNonNull(fn, "fn");
        return new Handler(List.of(ax, bx), r -> fn.handle(ax.extract(r), bx.extract(r)), OptionalLong.empty(), List.of());
    }

    /** A handler of 3 extractors; they run left to right before {@code fn}. */
    public static <A, B, C> Handler of(Extractor<A> ax, Extractor<B> bx, Extractor<C> cx, Fn3<A, B, C> fn) {
        Objects.requireNonNull(fn, "fn");
        return new Handler(List.of(ax, bx, cx), r -> fn.handle(ax.extract(r), bx.extract(r), cx.extract(r)), OptionalLong.empty(), List.of());
    }

    /** A handler of 4 extractors; they run left to right before {@code fn}. */
    public static <A, B, C, D> Handler of(Extractor<A> ax, Extractor<B> bx, Extractor<C> cx, Extractor<D> dx, Fn4<A, B, C, D> fn) {
        Objects.requireNonNull(fn, "fn");
        return new Handler(List.of(ax, bx, cx, dx), r -> fn.handle(ax.extract(r), bx.extract(r), cx.extract(r), dx.extract(r)), OptionalLong.empty(), List.of());
    }

    /** A handler of 5 extractors; they run left to right before {@code fn}. */
    public static <A, B, C, D, E> Handler of(Extractor<A> ax, Extractor<B> bx, Extractor<C> cx, Extractor<D> dx, Extractor<E> ex, Fn5<A, B, C, D, E> fn) {
        Objects.requireNonNull(fn, "fn");
        return new Handler(List.of(ax, bx, cx, dx, ex), r -> fn.handle(ax.extract(r), bx.extract(r), cx.extract(r), dx.extract(r), ex.extract(r)), OptionalLong.empty(), List.of());
    }

    /** A handler of 6 extractors; they run left to right before {@code fn}. */
    public static <A, B, C, D, E, F> Handler of(Extractor<A> ax, Extractor<B> bx, Extractor<C> cx, Extractor<D> dx, Extractor<E> ex, Extractor<F> fx, Fn6<A, B, C, D, E, F> fn) {
        Objects.requireNonNull(fn, "fn");
        return new Handler(List.of(ax, bx, cx, dx, ex, fx), r -> fn.handle(ax.extract(r), bx.extract(r), cx.extract(r), dx.extract(r), ex.extract(r), fx.extract(r)), OptionalLong.empty(), List.of());
    }

    /**
     * A copy whose request body limit is {@code bytes} instead of the router's (2 MiB by default).
     *
     * @throws IllegalArgumentException if {@code bytes} is negative
     */
    public Handler bodyLimit(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("body limit must be >= 0, got " + bytes);
        }
        return new Handler(extractors, invoker, OptionalLong.of(bytes), layers, nonBlocking);
    }

    /** A copy wrapped in {@code middleware}; the first layer added is the outermost. */
    public Handler layer(Middleware middleware) {
        Objects.requireNonNull(middleware, "middleware");
        List<Middleware> more = new ArrayList<>(layers);
        more.add(middleware);
        return new Handler(extractors, invoker, bodyLimit, List.copyOf(more), nonBlocking);
    }

    /**
     * A copy that the server may run inline on its I/O thread (Netty's event loop) instead of on
     * a virtual thread, for requests without a body: saves two thread hand-offs per request.
     *
     * <p>Only for handlers that never block, and whose whole chain never blocks: the router's
     * layers, its route layers and this handler's layers run inline too. A blocking call there
     * stalls every connection of that I/O thread. Requests with a body, and the in-memory test
     * client, still use a virtual thread; the request deadline cannot interrupt an inline handler.
     *
     * <pre>{@code
     * .get("/plaintext", Handler.of(() -> "Hello, World!").nonBlocking())
     * }</pre>
     */
    public Handler nonBlocking() {
        return new Handler(extractors, invoker, bodyLimit, layers, true);
    }

    boolean isNonBlocking() {
        return nonBlocking;
    }

    List<Extractor<?>> extractors() {
        return extractors;
    }

    Invoker invoker() {
        return invoker;
    }

    OptionalLong bodyLimitOverride() {
        return bodyLimit;
    }

    List<Middleware> layers() {
        return layers;
    }

    /** A handler function of 0 extracted values. */
    @FunctionalInterface
    public interface Fn0 {
        Object handle() throws Exception;
    }

    /** A handler function of 1 extracted value. */
    @FunctionalInterface
    public interface Fn1<A> {
        Object handle(A a) throws Exception;
    }

    /** A handler function of 2 extracted values. */
    @FunctionalInterface
    public interface Fn2<A, B> {
        Object handle(A a, B b) throws Exception;
    }

    /** A handler function of 3 extracted values. */
    @FunctionalInterface
    public interface Fn3<A, B, C> {
        Object handle(A a, B b, C c) throws Exception;
    }

    /** A handler function of 4 extracted values. */
    @FunctionalInterface
    public interface Fn4<A, B, C, D> {
        Object handle(A a, B b, C c, D d) throws Exception;
    }

    /** A handler function of 5 extracted values. */
    @FunctionalInterface
    public interface Fn5<A, B, C, D, E> {
        Object handle(A a, B b, C c, D d, E e) throws Exception;
    }

    /** A handler function of 6 extracted values. */
    @FunctionalInterface
    public interface Fn6<A, B, C, D, E, F> {
        Object handle(A a, B b, C c, D d, E e, F f) throws Exception;
    }
}
