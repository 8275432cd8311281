package dev.weft.middleware;

import dev.weft.http.Request;
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

    /** Gives {@code middleware} a name for the route table. */
    static Middleware named(String name, Middleware middleware) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(middleware, "middleware");
        return new Middleware() {
            @Override
            public Response handle(Request request, Next next) throws Exception {
                return middleware.handle(request, next);
            }

            @Override
            public String name() {
                return name;
            }
        };
    }
}
