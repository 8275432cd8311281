package dev.weft.internal.http;

import dev.weft.extract.RejectedException;
import dev.weft.extract.Rejection;
import dev.weft.http.Headers;
import dev.weft.http.Method;
import dev.weft.http.Request;
import dev.weft.internal.routing.RouteLookup;
import dev.weft.json.JsonCodec;
import dev.weft.http.ClientInfo;
import dev.weft.response.Response;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * The one {@link Request} implementation, used by the network server and the in-memory client
 * alike. Confined to the request's virtual thread.
 */
public final class ServerRequest implements Request {
    private static final InetSocketAddress LOCAL = new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0);

    private final Method method;
    private final String target;
    /** The path routed on: the target's, unless a path-rewriting layer changed it. */
    private String path;
    private final String rawQuery;
    private Headers headers;
    private AbstractBody body;
    private final InetSocketAddress remoteAddress;
    private final String protocol;
    private final String scheme;

    private String matchedPath;
    private String[] paramNames;
    private String[] paramValues;
    private Map<Class<?>, Object> states = Map.of();
    private Map<Class<?>, Object> extensions;
    private QueryParams query;
    private JsonCodec json;
    /** The router's match of this request's path, made before it ran (by the server), or null. */
    private Object preMatch;
    /** The server's trusted proxies, or null for none. */
    private TrustedProxies proxies;
    private ClientInfo client;
    /** Applied, in order, to the response the handler returned (the cookie jar's Set-Cookie lines); or null. */
    private List<UnaryOperator<Response>> responseDecorators;
    /** Run once the route's handler has returned or failed (temporary files of a multipart body); or null. */
    private List<Runnable> whenHandled;
    /** What the handler (or a layer) threw that became a generic 500, for tracing; or null. */
    private Throwable failure;
    /** The router handling this request, for layers that run before it routes. */
    private RouteLookup routeLookup = RouteLookup.NONE;
    /** For a fallback: how many path segments the prefix of the router it belongs to spans. */
    private int mountSegments;
    /**
     * Who waits for the end of the exchange: null (nobody: the common case costs no allocation),
     * one listener, a {@code Consumer[]}, or {@link #COMPLETED}. Guarded by {@code this}, since
     * listeners register on the request's thread and the engine completes on an event loop.
     */
    private volatile Object listeners;
    private volatile long headNanos;
    /** How the exchange ended, kept (without allocating) for a listener that registers late. */
    private int endStatus;
    private long endBytes;
    private long endNanos;
    private boolean endAborted;

    public ServerRequest(Method method, String target, Headers headers, AbstractBody body,
            InetSocketAddress remoteAddress, String protocol, String scheme) {
        this.method = Objects.requireNonNull(method);
        this.target = Objects.requireNonNull(target);
        this.headers = headers;
        this.body = body;
        this.remoteAddress = remoteAddress;
        this.protocol = protocol;
        this.scheme = scheme;
        String pathAndQuery = stripAuthority(target);
        int q = pathAndQuery.indexOf('?');
        int hash = pathAndQuery.indexOf('#');
        int pathEnd = q >= 0 ? q : (hash >= 0 ? hash : pathAndQuery.length());
        this.path = pathAndQuery.substring(0, pathEnd);
        this.rawQuery = q < 0 ? null : pathAndQuery.substring(q + 1, hash > q ? hash : pathAndQuery.length());
    }

    /** Keeps the router's match of this request's path, made before it routes the request. */
    public void preMatch(Object match) {
        preMatch = match;
    }

    /** The match kept by {@link #preMatch}, once; null if there is none. */
    public Object takePreMatch() {
        Object match = preMatch;
        preMatch = null;
        return match;
    }

    /**
     * Routes this request on {@code newPath} instead of its target's path (a layer of the
     * outermost router, before routing). {@link #target()} keeps what the client sent. Drops the
     * pre-match, which was made for the old path.
     */
    public void rewritePath(String newPath) {
        this.path = Objects.requireNonNull(newPath, "newPath");
        this.preMatch = null;
    }

    /**
     * Puts back a body a layer had to read before the handler ({@code CrossOriginProtection}
     * reading a form's token): the handler then reads {@code replacement}, under the same limit.
     */
    public void replaceBody(AbstractBody replacement) {
        replacement.limit(body.limit());
        this.body = replacement;
    }

    /** The router handling this request ({@link RouteLookup#NONE} outside one). */
    public RouteLookup routeLookup() {
        return routeLookup;
    }

    /** Set by the router when it starts handling this request. */
    public void routeLookup(RouteLookup lookup) {
        this.routeLookup = Objects.requireNonNull(lookup, "lookup");
    }

    /** Absolute-form targets ({@code http://host/path}) are routed on their path. */
    private static String stripAuthority(String target) {
        if (target.startsWith("/")) {
            return target;
        }
        int scheme = target.indexOf("://");
        if (scheme > 0 && scheme < 6) {
            int slash = target.indexOf('/', scheme + 3);
            return slash < 0 ? "/" : target.substring(slash);
        }
        return target;
    }

    public static Request.Builder builder(Method method, String target) {
        return new RequestBuilder(method, target);
    }

    // --- set by the router (internal) ---

    public void bindRoute(String pattern, String[] names, String[] rawValues, Map<Class<?>, Object> routeStates,
            long bodyLimit) {
        this.matchedPath = pattern;
        this.paramNames = names;
        this.paramValues = rawValues;
        this.states = routeStates;
        this.body.limit(bodyLimit);
    }

    /** Set by the server right after the request is made: whose forwarding headers to believe. */
    public void proxies(TrustedProxies trusted) {
        this.proxies = trusted;
    }

    /** Set for a fallback: the prefix of the router whose fallback answers spans {@code segments} path segments. */
    public void mountSegments(int segments) {
        this.mountSegments = segments;
    }

    /** For a fallback, the number of path segments of its router's prefix (0 at the root). */
    public int mountSegments() {
        return mountSegments;
    }

    /** Path parameter {@code name} as it was in the target, not percent-decoded. */
    public Optional<String> rawPathParam(String name) {
        if (paramNames != null) {
            for (int i = 0; i < paramNames.length; i++) {
                if (paramNames[i].equals(name)) {
                    return Optional.of(paramValues[i]);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * From now on the body is read through {@code decoding}, and extractors see {@code headers}
     * (without the {@code content-encoding} and {@code content-length} of the encoded body).
     */
    public void decodeBody(Headers decodedHeaders, Decoding decoding) {
        body.decode(decoding);
        this.headers = Objects.requireNonNull(decodedHeaders, "decodedHeaders");
    }

    public void json(JsonCodec codec) {
        this.json = codec;
    }

    public JsonCodec json() {
        return json;
    }

    /**
     * Registers {@code decorator} to be applied to the response the route's handler (or fallback)
     * returns, where its return value becomes a {@link Response}: before any middleware sees it on
     * the way out. Not applied when the handler throws or an extractor rejects the request.
     */
    public void addResponseDecorator(UnaryOperator<Response> decorator) {
        if (responseDecorators == null) {
            responseDecorators = new ArrayList<>(2);
        }
        responseDecorators.add(Objects.requireNonNull(decorator, "decorator"));
    }

    /**
     * Registers {@code cleanup} to run once the route's handler (or fallback) has returned or
     * thrown, whatever the outcome; for resources an extractor holds for the handler.
     */
    public void whenHandled(Runnable cleanup) {
        if (whenHandled == null) {
            whenHandled = new ArrayList<>(1);
        }
        whenHandled.add(Objects.requireNonNull(cleanup, "cleanup"));
    }

    /**
     * Keeps {@code failure}, an exception nobody mapped that became a generic 500, so a layer
     * outside (tracing) can record it: exceptions become responses before a middleware sees them.
     * The first one is kept.
     */
    public void failed(Throwable failure) {
        if (this.failure == null) {
            this.failure = failure;
        }
    }

    /** The exception {@link #failed} kept, or null. */
    public Throwable failure() {
        return failure;
    }

    /** Runs and forgets every {@link #whenHandled} action; one that throws does not stop the others. */
    public void handled() {
        List<Runnable> actions = whenHandled;
        whenHandled = null;
        if (actions == null) {
            return;
        }
        RuntimeException first = null;
        for (Runnable action : actions) {
            try {
                action.run();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /** {@code response} with every registered decorator applied, in registration order. */
    public Response decorate(Response response) {
        if (responseDecorators == null) {
            return response;
        }
        Response out = response;
        for (UnaryOperator<Response> decorator : responseDecorators) {
            out = Objects.requireNonNull(decorator.apply(out), "a response decorator returned null");
        }
        return out;
    }

    public AbstractBody rawBody() {
        return body;
    }

    /** The query string, parsed once. */
    public QueryParams query() {
        if (query == null) {
            try {
                query = QueryParams.parse(rawQuery);
            } catch (QueryParams.TooManyPairs e) {
                throw new RejectedException(new Rejection.TooManyParameters("query string", QueryParams.MAX_PAIRS));
            } catch (IllegalArgumentException e) {
                throw new RejectedException(new Rejection.MalformedQuery());
            }
        }
        return query;
    }

    // --- end of the exchange (internal: access logs and metrics) ---

    private static final Object COMPLETED = new Object();

    /**
     * Calls {@code listener} once, when the exchange ends (see {@link Completion}), on the thread
     * that ends it: an event loop (so it must not block), or the in-memory client's thread. If
     * the exchange has already ended, calls it now. A request that never reaches the engine (a
     * router called directly with {@code router.handle(request)}) never completes.
     */
    public void onComplete(Consumer<Completion> listener) {
        Completion done;
        synchronized (this) {
            if (listeners != COMPLETED) {
                if (listeners == null) {
                    listeners = listener;
                } else if (listeners instanceof Consumer<?> one) {
                    listeners = new Consumer<?>[] {one, listener};
                } else {
                    Consumer<?>[] many = (Consumer<?>[]) listeners;
                    Consumer<?>[] more = java.util.Arrays.copyOf(many, many.length + 1);
                    more[many.length] = listener;
                    listeners = more;
                }
                return;
            }
            done = new Completion(endStatus, endBytes, headNanos, endNanos, endAborted);
        }
        listener.accept(done);
    }

    /** The engine is writing the response head now; recorded only if someone listens. */
    public void headSent() {
        if (headNanos == 0 && listened()) {
            headNanos = System.nanoTime();
        }
    }

    private boolean listened() {
        Object waiting = listeners; // volatile: no lock on the path every response takes
        return waiting != null && waiting != COMPLETED;
    }

    /**
     * The exchange ended: calls the listeners, once; later calls are ignored, so every path that
     * may end an exchange can call it. Never throws (a failing listener is logged).
     */
    @SuppressWarnings("unchecked")
    public void complete(int status, long bytes, boolean aborted) {
        Object waiting;
        Completion done;
        synchronized (this) {
            if (listeners == COMPLETED) {
                return;
            }
            waiting = listeners;
            endStatus = status;
            endBytes = bytes;
            endNanos = System.nanoTime();
            endAborted = aborted;
            listeners = COMPLETED;
            done = waiting == null ? null : new Completion(status, bytes, headNanos, endNanos, aborted);
        }
        if (waiting instanceof Consumer<?> one) {
            notify((Consumer<Completion>) one, done);
        } else if (waiting != null) {
            for (Consumer<?> each : (Consumer<?>[]) waiting) {
                notify((Consumer<Completion>) each, done);
            }
        }
    }

    private static void notify(Consumer<Completion> listener, Completion done) {
        try {
            listener.accept(done);
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(ServerRequest.class).error("a completion listener failed", e);
        }
    }

    // --- Request ---

    @Override public Method method() { return method; }
    @Override public String target() { return target; }
    @Override public String path() { return path; }
    @Override public Optional<String> rawQuery() { return Optional.ofNullable(rawQuery); }
    @Override public Headers headers() { return headers; }
    @Override public AbstractBody body() { return body; }
    @Override public InetSocketAddress remoteAddress() { return remoteAddress; }
    @Override public String protocol() { return protocol; }
    @Override public String scheme() { return scheme; }
    @Override public Optional<String> matchedPath() { return Optional.ofNullable(matchedPath); }

    @Override
    public ClientInfo client() {
        if (client == null) {
            InetAddress peer = TrustedProxies.canonical(remoteAddress.getAddress());
            client = proxies == null
                    ? new ClientInfo(peer, scheme, headers.first("host"), false)
                    : proxies.resolve(peer, scheme, headers);
        }
        return client;
    }

    @Override
    public Optional<String> pathParam(String name) {
        if (paramNames == null) {
            return Optional.empty();
        }
        for (int i = 0; i < paramNames.length; i++) {
            if (paramNames[i].equals(name)) {
                try {
                    return Optional.of(PercentDecoder.decode(paramValues[i], false));
                } catch (IllegalArgumentException e) {
                    throw new RejectedException(
                            new Rejection.InvalidPathParam(name, "valid percent-encoded UTF-8"));
                }
            }
        }
        return Optional.empty();
    }

    @Override
    public <T> Optional<T> state(Class<T> type) {
        return Optional.ofNullable(type.cast(states.get(type)));
    }

    @Override
    public <T> Optional<T> extension(Class<T> type) {
        return extensions == null ? Optional.empty() : Optional.ofNullable(type.cast(extensions.get(type)));
    }

    @Override
    public <T> void putExtension(Class<T> type, T value) {
        if (extensions == null) {
            extensions = new HashMap<>(4);
        }
        extensions.put(type, type.cast(Objects.requireNonNull(value, "value")));
    }

    @Override
    public String toString() {
        return method + " " + target;
    }

    private static final class RequestBuilder implements Request.Builder {
        private final Method method;
        private final String target;
        private final Headers.Builder headers = Headers.builder();
        private byte[] body = new byte[0];
        private boolean bodySet;
        private InetSocketAddress remote = LOCAL;
        private String protocol = "HTTP/1.1";
        private String scheme = "http";

        RequestBuilder(Method method, String target) {
            this.method = Objects.requireNonNull(method, "method");
            this.target = Objects.requireNonNull(target, "target");
        }

        @Override
        public Request.Builder header(String name, String value) {
            headers.add(name, value);
            return this;
        }

        @Override
        public Request.Builder body(byte[] bytes) {
            this.body = Objects.requireNonNull(bytes, "body");
            this.bodySet = true;
            return this;
        }

        @Override
        public Request.Builder remoteAddress(InetSocketAddress address) {
            this.remote = Objects.requireNonNull(address, "address");
            return this;
        }

        @Override
        public Request.Builder protocol(String value) {
            this.protocol = Objects.requireNonNull(value, "protocol");
            return this;
        }

        @Override
        public Request.Builder scheme(String value) {
            if (!"http".equals(value) && !"https".equals(value)) {
                throw new IllegalArgumentException("scheme must be http or https, got '" + value + "'");
            }
            this.scheme = value;
            return this;
        }

        @Override
        public Request build() {
            Headers built = headers.build();
            if (bodySet && !built.contains("content-length") && !built.contains("transfer-encoding")) {
                built = Headers.builder().addAll(built).add("content-length", Integer.toString(body.length)).build();
            }
            OptionalLong declared = built.first("content-length")
                    .map(v -> OptionalLong.of(Long.parseLong(v.trim())))
                    .orElse(OptionalLong.empty());
            return new ServerRequest(method, target, built, new BytesBody(body, declared), remote, protocol, scheme);
        }
    }
}
