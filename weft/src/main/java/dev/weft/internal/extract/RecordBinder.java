package dev.weft.internal.extract;

import dev.weft.WeftException;
import dev.weft.extract.InvalidValueException;
import dev.weft.extract.RejectedException;
import dev.weft.extract.Rejection;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Binds named text values (query parameters, form fields, path parameters) to a record's
 * components. The record is inspected once, when the extractor is created; binding a request
 * calls the canonical constructor through a method handle, without reflection.
 *
 * <p>Component types: anything {@link Converter#forType} knows, {@code Optional<T>} (absent →
 * empty), {@code List<T>} (every value of a repeated name; absent → empty list) and
 * {@code Optional<List<T>>} (absent → empty, else every value).
 */
public final class RecordBinder<R> {

    /** How the source names a failure: missing(name) and invalid(name, expected). */
    /**
     * How a binding failure is answered.
     *
     * @param location where the values come from, for {@link Rejection.InvalidValue}: {@code "query parameter"}
     */
    public record Rejections(String location, Function<String, Rejection> missing,
            BiFunction<String, String, Rejection> invalid) {}

    private enum Shape { SINGLE, OPTIONAL, LIST, OPTIONAL_LIST }

    private record Component(String name, Shape shape, Converter<?> converter) {}

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RecordBinder.class);

    private final String recordName;
    private final List<Component> components;
    private final MethodHandle constructor;
    private final Rejections rejections;

    private RecordBinder(String recordName, List<Component> components, MethodHandle constructor,
            Rejections rejections) {
        this.recordName = recordName;
        this.components = components;
        this.constructor = constructor;
        this.rejections = rejections;
    }

    /**
     * Prepares binding to {@code type}.
     *
     * @throws WeftException if {@code type} is not a record, a component type has no conversion,
     *     or the constructor is not accessible
     */
    public static <R> RecordBinder<R> of(Class<R> type, Rejections rejections) {
        if (!type.isRecord()) {
            throw new WeftException(type.getName() + " is not a record; binding parameters needs a record type");
        }
        RecordComponent[] parts = type.getRecordComponents();
        List<Component> components = new ArrayList<>(parts.length);
        Class<?>[] types = new Class<?>[parts.length];
        for (int i = 0; i < parts.length; i++) {
            RecordComponent part = parts[i];
            types[i] = part.getType();
            components.add(component(type, part));
        }
        try {
            Constructor<R> ctor = type.getDeclaredConstructor(types);
            ctor.setAccessible(true);
            MethodHandle handle = MethodHandles.lookup().unreflectConstructor(ctor)
                    .asSpreader(Object[].class, parts.length)
                    .asType(MethodType.methodType(Object.class, Object[].class));
            return new RecordBinder<>(type.getName(), List.copyOf(components), handle, rejections);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new WeftException("cannot call the canonical constructor of " + type.getName()
                    + "; if it is in a named module, open its package to dev.weft", e);
        }
    }

    private static Component component(Class<?> record, RecordComponent part) {
        Class<?> raw = part.getType();
        Shape shape = Shape.SINGLE;
        Class<?> element = raw;
        if (raw == Optional.class || raw == List.class) {
            shape = raw == Optional.class ? Shape.OPTIONAL : Shape.LIST;
            Type generic = part.getGenericType();
            if (raw == Optional.class && generic instanceof ParameterizedType p
                    && p.getActualTypeArguments()[0] instanceof ParameterizedType inner
                    && inner.getRawType() == List.class) {
                // Optional<List<T>>: empty when the name is absent, else every value.
                shape = Shape.OPTIONAL_LIST;
                generic = inner;
            }
            if (!(generic instanceof ParameterizedType p) || !(p.getActualTypeArguments()[0] instanceof Class<?> c)) {
                throw new WeftException(record.getName() + "." + part.getName()
                        + ": Optional and List components need a concrete element type");
            }
            element = c;
        }
        try {
            return new Component(part.getName(), shape, Converter.forType(element));
        } catch (WeftException e) {
            throw new WeftException(record.getName() + "." + part.getName() + ": " + e.getMessage(), e);
        }
    }

    /** Binds the values {@code source} gives for each component name. */
    @SuppressWarnings("unchecked")
    public R bind(Function<String, List<String>> source) {
        Object[] args = new Object[components.size()];
        for (int i = 0; i < args.length; i++) {
            Component c = components.get(i);
            List<String> values = source.apply(c.name());
            args[i] = switch (c.shape()) {
                case SINGLE -> {
                    if (values.isEmpty()) {
                        throw new RejectedException(rejections.missing().apply(c.name()));
                    }
                    yield convert(c, values.getFirst());
                }
                case OPTIONAL -> values.isEmpty() ? Optional.empty() : Optional.of(convert(c, values.getFirst()));
                case LIST -> convertAll(c, values);
                case OPTIONAL_LIST -> values.isEmpty() ? Optional.empty() : Optional.of(convertAll(c, values));
            };
        }
        try {
            return (R) (Object) constructor.invokeExact(args);
        } catch (InvalidValueException e) {
            throw new RejectedException(new Rejection.InvalidValue(rejections.location(), e.field(), e.reason()));
        } catch (RuntimeException e) {
            // The record's own validation refused the values; its message may hold anything, so
            // it is logged, never echoed (an exception mapper for its type may answer instead).
            LOG.debug("{} refused the bound values: {}", recordName, e.toString());
            throw new RejectedException(rejections.invalid().apply("*", "a valid combination of values"), e);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private List<Object> convertAll(Component c, List<String> values) {
        List<Object> converted = new ArrayList<>(values.size());
        for (String value : values) {
            converted.add(convert(c, value));
        }
        return List.copyOf(converted);
    }

    private Object convert(Component c, String text) {
        Object value = c.converter().convertOrNull(text);
        if (value == null) {
            throw new RejectedException(rejections.invalid().apply(c.name(), c.converter().expected()));
        }
        return value;
    }
}
