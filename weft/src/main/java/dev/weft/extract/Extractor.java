package dev.weft.extract;

import dev.weft.http.Request;
import java.util.function.Function;

/**
 * Takes one typed value out of a request, or rejects the request.
 *
 * <p>Extractors run on the request's virtual thread, left to right, before the handler; the
 * first to throw {@link RejectedException} answers with its rejection and the handler is not
 * called. Any other exception is treated like a handler exception (exception mappers, else 500).
 *
 * <p>Writing one is a lambda:
 *
 * <pre>{@code
 * Extractor<UserId> currentUser = request -> request.header("x-user")
 *         .map(UserId::new)
 *         .orElseThrow(() -> new RejectedException(Rejection.of(Status.UNAUTHORIZED, "sign in first")));
 * }</pre>
 *
 * @param <T> the extracted type
 */
@FunctionalInterface
public interface Extractor<T> {

    /**
     * Extracts the value. Runs on the request's virtual thread and may block, unless its handler
     * is declared {@code nonBlocking()} (then on an event loop: it must not).
     */
    T extract(Request request) throws Exception;

    /**
     * Checks, when the router is built, that this extractor can work on {@code route}; throws a
     * {@link dev.weft.WeftException} naming the route otherwise. The default accepts every route.
     */
    default void verify(RouteShape route) {}

    /** An extractor that converts the value with {@code mapper}, keeping the build-time checks. */
    default <R> Extractor<R> map(Function<? super T, ? extends R> mapper) {
        Extractor<T> self = this;
        return new Extractor<>() {
            @Override
            public R extract(Request request) throws Exception {
                return mapper.apply(self.extract(request));
            }

            @Override
            public void verify(RouteShape route) {
                self.verify(route);
            }
        };
    }
}
