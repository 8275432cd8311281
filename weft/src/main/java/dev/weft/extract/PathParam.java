package dev.weft.extract;

import dev.weft.http.Request;
import dev.weft.internal.extract.Converter;
import dev.weft.internal.extract.RecordBinder;
import dev.weft.routing.InvalidRouteException;
import java.util.List;

/**
 * Extracts path parameters captured by {@code {name}} and {@code {*name}} segments.
 *
 * <p>Values are percent-decoded as UTF-8 and converted to the requested type. If the value is
 * not valid UTF-8 or does not convert, the request is rejected with
 * {@link Rejection.InvalidPathParam} (400) and the handler is not called. Asking for a name the
 * route's pattern does not have fails when the router is built.
 *
 * {@snippet class=dev.weft.extract.PathParamExamples region=by-id}
 *
 * {@snippet class=dev.weft.extract.PathParamExamples region=as-record}
 */
public final class PathParam {
    private PathParam() {}

    /** Parameter {@code name} as a string. */
    public static Extractor<String> string(String name) {
        return of(name, String.class);
    }

    /** Parameter {@code name} converted to {@code type} (numbers, boolean, UUID, enums, dates …). */
    public static <T> Extractor<T> of(String name, Class<T> type) {
        return new Single<>(name, Converter.forType(type));
    }

    /** Parameter {@code name} converted by {@code parser}. */
    public static <T> Extractor<T> of(String name, Parser<T> parser) {
        return new Single<>(name, Converter.of(parser));
    }

    /** Every parameter bound by name to the components of {@code record}. */
    public static <R> Extractor<R> as(Class<R> record) {
        RecordBinder<R> binder = RecordBinder.of(record, new RecordBinder.Rejections("path parameter",
                name -> new Rejection.InvalidPathParam(name, "present"), Rejection.InvalidPathParam::new));
        List<String> names = java.util.Arrays.stream(record.getRecordComponents())
                .map(java.lang.reflect.RecordComponent::getName).toList();
        return new Extractor<>() {
            @Override
            public R extract(Request request) {
                return binder.bind(name -> request.pathParam(name).map(List::of).orElse(List.of()));
            }

            @Override
            public void verify(RouteShape route) {
                for (String name : names) {
                    requireParam(route, name, record.getSimpleName() + "." + name);
                }
            }
        };
    }

    private static void requireParam(RouteShape route, String name, String what) {
        if (!route.pathParams().contains(name)) {
            throw new InvalidRouteException(route.describe() + ": " + what + " needs path parameter {" + name
                    + "}, but the pattern only has " + route.pathParams()
                    + "; rename the parameter or the pattern segment");
        }
    }

    private record Single<T>(String name, Converter<T> converter) implements Extractor<T> {
        @Override
        public T extract(Request request) {
            String text = request.pathParam(name)
                    .orElseThrow(() -> new RejectedException(new Rejection.InvalidPathParam(name, "present")));
            T value = converter.convertOrNull(text);
            if (value == null) {
                throw new RejectedException(new Rejection.InvalidPathParam(name, converter.expected()));
            }
            return value;
        }

        @Override
        public void verify(RouteShape route) {
            requireParam(route, name, "PathParam '" + name + "'");
        }
    }
}
