package dev.weft.extract;

import dev.weft.routing.MissingStateException;

/**
 * Extracts application state given to the router with
 * {@link dev.weft.routing.Router.Builder#state(Class, Object)}.
 *
 * <p>The lookup is by exact type. A route that asks for a type its router was never given fails
 * when the router is built, with {@link MissingStateException} naming the route and the type, so
 * this extractor never fails at request time.
 *
 * {@snippet class=dev.weft.extract.StateExamples region=store}
 */
public final class State {
    private State() {}

    /** The state value of exactly {@code type}. */
    public static <T> Extractor<T> of(Class<T> type) {
        return new Extractor<>() {
            @Override
            public T extract(dev.weft.http.Request request) {
                return request.state(type).orElseThrow(() -> new IllegalStateException(
                        "state " + type.getName() + " missing at request time"));
            }

            @Override
            public void verify(RouteShape route) {
                if (!route.hasState(type)) {
                    String name = type.getCanonicalName() != null ? type.getCanonicalName() : type.getName();
                    throw new MissingStateException(route.describe() + " needs state of type " + name
                            + ", but its router was never given one; add .state(" + type.getSimpleName()
                            + ".class, value) to the Router.builder() that declares this route");
                }
            }
        };
    }
}
