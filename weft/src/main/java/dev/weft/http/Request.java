package dev.weft.http;

import dev.weft.internal.http.ServerRequest;
import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * An HTTP request as a handler, extractor or middleware sees it.
 *
 * <p>A request is confined to the thread that handles it (its virtual thread, or an event loop
 * for a non-blocking route); it is not thread-safe.
 * Handlers normally never touch it directly: extractors ({@link dev.weft.extract}) take typed
 * values out of it. Middleware reads it and may attach values for later extractors with
 * {@link #putExtension}.
 *
 * <p>Sealed: every request comes from the server or from {@link #builder}. Routing, path
 * parameters, state and the router's JSON codec live in the request Weft made, so a wrapper
 * passed to {@code next.run} could not carry them; middleware passes on the request it was given
 * and changes what the handler sees through {@link #putExtension}.
 */
public sealed interface Request permits ServerRequest {

    Method method();

    /** The request-target exactly as received, e.g. {@code /todos/1?verbose=true}. */
    String target();

    /**
     * The path part of the target, not percent-decoded (routing matches on this). A path-rewriting
     * layer of the outermost router ({@code NormalizePath.rewrite()}) may have changed it;
     * {@link #target()} is always what the client sent.
     */
    String path();

    /** The query part of the target, without {@code ?}, not decoded. */
    Optional<String> rawQuery();

    Headers headers();

    /** The first value of header {@code name}. */
    default Optional<String> header(String name) {
        return headers().first(name);
    }

    /** The body; read it at most once. */
    RequestBody body();

    /** The peer's address (for the in-memory client: {@code 127.0.0.1:0} unless set). */
    InetSocketAddress remoteAddress();

    /** The protocol version, e.g. {@code HTTP/1.1}. */
    String protocol();

    /**
     * {@code https} if the request arrived over TLS, else {@code http}. Only the connection
     * decides; {@link #client()} says what the client used when a trusted proxy is in between.
     */
    String scheme();

    /**
     * Who sent the request: the peer's address, scheme and host, or, when the peer is one of the
     * server's trusted proxies ({@code Server.Builder.trustedProxies}), what its forwarding headers
     * say. Every Weft layer that needs the client (access log, rate limits, HSTS, secure cookies)
     * asks here. Requests made with {@link #builder} and the in-memory client have no proxies.
     */
    ClientInfo client();

    /**
     * The pattern of the route that matched, e.g. {@code /todos/{id}}, including nest prefixes.
     * Empty before routing and for requests that matched no route.
     */
    Optional<String> matchedPath();

    /**
     * Path parameter {@code name}, percent-decoded as UTF-8.
     *
     * @throws dev.weft.extract.RejectedException with
     *     {@link dev.weft.extract.Rejection.InvalidPathParam} if the raw value is not valid
     *     percent-encoded UTF-8
     */
    Optional<String> pathParam(String name);

    /** Application state of exactly {@code type} given to the router that declares the matched route. */
    <T> Optional<T> state(Class<T> type);

    /** A value attached by middleware, keyed by its type. */
    <T> Optional<T> extension(Class<T> type);

    /** Attaches {@code value} under {@code type}, replacing any earlier one. */
    <T> void putExtension(Class<T> type, T value);

    /** Starts a request for tests and for calling a router directly: {@code router.handle(request)}. */
    static Builder builder(Method method, String target) {
        return ServerRequest.builder(method, target);
    }

    /** Builds a {@link Request} that is not attached to a connection. */
    interface Builder {
        Builder header(String name, String value);

        /** The body; also sets {@code content-length} unless a {@code transfer-encoding} header was given. */
        Builder body(byte[] body);

        Builder remoteAddress(InetSocketAddress address);

        Builder protocol(String protocol);

        /** {@code http} (the default) or {@code https}. */
        Builder scheme(String scheme);

        Request build();
    }
}
