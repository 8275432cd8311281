package dev.weft.middleware;

import dev.weft.http.Request;
import dev.weft.internal.routing.Renamed;
import dev.weft.response.Response;
import java.util.Objects;

/**
 * Wraps request handling: call {@code next.run(request)} to continue, or return a response to
 * stop. Runs on the request's virtual thread, so it may block.
 *
 * {@snippet class=dev.weft.middleware.MiddlewareExamples region=server-timing}
 *
 * <p>Exceptions thrown by the handler never reach a middleware: by the time {@code next.run}
 * returns they have become responses (a rejection, a mapped exception, or 500). An exception
 * thrown by a middleware itself is mapped the same way by the router.
 */
@FunctionalInterface
public interface Middleware {

    Response handle(Request request, Next next) throws Exception;

    /** How the route table names this middleware; lambdas get {@code lambda@DeclaringClass}. */
    default String name() {
        String name = getClass().getName();
        int lambda = name.indexOf("$$Lambda");
        if (lambda >= 0) {
            String owner = name.substring(0, lambda);
            return "lambda@" + owner.substring(owner.lastIndexOf('.') + 1);
        }
        return getClass().getSimpleName().isEmpty() ? name : getClass().getSimpleName();
    }

    /**
     * What this layer does, for the order checks {@code Router.Builder.build()} makes (see
     * {@link Kind}). Weft's own layers say what they are; other middleware is {@link Kind#OTHER}
     * unless it overrides this, which an application's own authentication layer should do to get
     * the same checks.
     */
    default Kind kind() {
        return Kind.OTHER;
    }

    /**
     * The kinds of layer whose place in a stack {@code build()} checks. A stack is a route's
     * layers from the outermost in; the build fails, naming the route and the fix, when:
     * <ul>
     *   <li>{@link #CORS} sits inside {@link #AUTHENTICATION}, {@link #CSRF}, {@link #RATE_LIMIT}
     *       or {@link #CONCURRENCY_LIMIT}: a preflight carries no credentials and must not be
     *       counted, and their refusals (401, 403, 429, 503) need CORS headers to be readable;</li>
     *   <li>{@link #AUTHENTICATION} is installed with {@code layer} rather than {@code routeLayer}
     *       or {@code Handler.layer}: it would turn every 404 and 405 into a 401;</li>
     *   <li>{@link #PATH_REWRITE} is anything but a {@code layer} of the outermost router: it must
     *       run before the path is matched.</li>
     * </ul>
     */
    enum Kind {
        CORS,
        AUTHENTICATION,
        CSRF,
        RATE_LIMIT,
        CONCURRENCY_LIMIT,
        PATH_REWRITE,
        COMPRESSION,
        DECOMPRESSION,
        REQUEST_ID,
        ACCESS_LOG,
        TIMEOUT,
        SECURITY_HEADERS,
        /** Anything else: no place is checked. */
        OTHER
    }

    /**
     * Gives {@code middleware} a name for the route table, and nothing else: the result behaves as
     * {@code middleware}, keeps its {@link #kind()}, and every check {@code Router.Builder.build()}
     * makes (the order of kinds, the extractors that need a layer, the layer's own checks such as
     * {@code CrossOriginProtection}'s exemptions) sees {@code middleware} through it, however many
     * times it is renamed. A problem found names it as the route table does.
     */
    static Middleware named(String name, Middleware middleware) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(middleware, "middleware");
        return new Renamed(name, middleware);
    }
}
