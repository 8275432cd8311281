package dev.weft.internal.http;

import dev.weft.extract.RejectedException;
import dev.weft.extract.Rejection;
import dev.weft.http.Headers;
import dev.weft.http.Method;
import dev.weft.http.Request;
import dev.weft.json.JsonCodec;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The one {@link Request} implementation, used by the network server and the in-memory client
 * alike. Confined to the request's virtual thread.
 */
public final class ServerRequest implements Request {
    private static final InetSocketAddress LOCAL = new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0);

    private final Method method;
    private final String target;
    private final String path;
    private final String rawQuery;
    private Headers headers;
    private final AbstractBody body;
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

    /** Absolute-form targets ({@code http://host/path}) are routed on their path. */
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

    public AbstractBody rawBody() {
        return body;
    }

    /** The query string, parsed once. */
    public QueryParams query() {
        if (query == null) {
            try {
                query = QueryParams.parse(rawQuery);
            } catch (IllegalArgumentException e) {
                throw new RejectedException(new Rejection.MalformedQuery());
            }
        }
        return query;
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
