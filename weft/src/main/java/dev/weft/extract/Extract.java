package dev.weft.extract;

import dev.weft.http.Headers;
import dev.weft.http.Method;
import dev.weft.http.Request;
import dev.weft.internal.extract.LayerChecks;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * Extractors for facts about the request itself rather than its parameters.
 *
 * {@snippet class=dev.weft.extract.ExtractExamples region=whoami}
 */
public final class Extract {
    private Extract() {}

    /** The whole request, for handlers that need something no extractor gives. */
    public static Extractor<Request> request() {
        return request -> request;
    }

    /** The request method. */
    public static Extractor<Method> method() {
        return Request::method;
    }

    /** Every request header. */
    public static Extractor<Headers> headers() {
        return Request::headers;
    }

    /** The pattern of the matched route, e.g. {@code /todos/{id}} (full, including nest prefixes). */
    public static Extractor<String> matchedPath() {
        return request -> request.matchedPath().orElseThrow(
                () -> new IllegalStateException("matchedPath is only available in a matched route"));
    }

    /** The address of the peer that sent the request. */
    public static Extractor<InetSocketAddress> remoteAddress() {
        return Request::remoteAddress;
    }

    /**
     * A value a middleware attached with {@link Request#putExtension}. Its absence means the
     * middleware did not run for this route, a programming error answered with 500. For the
     * values Weft's own layers attach ({@code Session}, {@code CspNonce}) a route no such layer
     * wraps fails at {@code build()} instead.
     */
    public static <T> Extractor<T> extension(Class<T> type) {
        Objects.requireNonNull(type, "type");
        return new Extractor<>() {
            @Override
            public T extract(Request request) {
                return request.extension(type).orElseThrow(() -> new IllegalStateException("no extension of type "
                        + type.getName() + " on this request; is its middleware layered on this route?"));
            }

            @Override
            public void verify(RouteShape route) {
                LayerChecks.extension(type, route);
            }
        };
    }

    /** A value a middleware may have attached; empty otherwise. */
    public static <T> Extractor<Optional<T>> optionalExtension(Class<T> type) {
        return request -> request.extension(type);
    }
}
