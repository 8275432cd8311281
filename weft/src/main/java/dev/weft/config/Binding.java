package dev.weft.config;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Binds the components of a record to environment variables. Names are derived from the
 * components ({@code databaseMaxConnections} → {@code DATABASE_MAX_CONNECTIONS}, after an
 * optional {@link #prefix}) unless {@link #name} gives one; parsers are chosen by type unless
 * {@link #parser} gives one; a component is required unless it is an {@code Optional} or
 * {@link #defaults} supplies a value for it.
 *
 * <table class="striped">
 * <caption>Parsers chosen by component type</caption>
 * <thead><tr><th>type</th><th>parser</th></tr></thead>
 * <tbody>
 * <tr><td>{@code String}</td><td>{@link Parsers#string()}</td></tr>
 * <tr><td>{@code int}, {@code Integer}</td><td>{@link Parsers#integer()}</td></tr>
 * <tr><td>{@code long}, {@code Long}</td><td>{@link Parsers#longInteger}{@code (MIN, MAX)}</td></tr>
 * <tr><td>{@code boolean}, {@code Boolean}</td><td>{@link Parsers#bool()}</td></tr>
 * <tr><td>{@code Duration}</td><td>{@link Parsers#duration()}</td></tr>
 * <tr><td>{@code URI}</td><td>{@link Parsers#uri(String...)} (http, https)</td></tr>
 * <tr><td>{@link Secret}</td><td>{@link Parsers#secret()}</td></tr>
 * <tr><td>an enum</td><td>{@link Parsers#enumOf(Class)}</td></tr>
 * <tr><td>{@code List<X>}</td><td>{@link Parsers#list(ValueParser)} of X's parser</td></tr>
 * <tr><td>{@code Optional<X>}</td><td>X's parser; unset gives {@code Optional.empty()}</td></tr>
 * </tbody>
 * </table>
 *
 * <p>Records are built with their canonical constructor by reflection, once, at startup: the
 * record must be public, and in a named module its package must be open or exported to
 * {@code dev.weft}. An exception from the record's constructor (a cross-field check) becomes a
 * problem named after the record. While any component has a problem, {@link #bind()} returns a
 * record of placeholders, or {@code null} if the record refuses them: {@link Config#check()}
 * throws before the application can use it.
 *
 * @param <R> the record type
 */
public final class Binding<R extends Record> {
    private final Config config;
    private final Class<R> type;
    private final Map<String, String> names = new HashMap<>();
    private final Map<String, ValueParser<?>> parsers = new HashMap<>();
    private String prefix = "";
    private R defaults;

    Binding(Config config, Class<R> type) {
        this.config = config;
        this.type = Objects.requireNonNull(type, "type");
        if (!type.isRecord()) {
            throw Config.misuse(type.getName() + " is not a record");
        }
    }

    /** Prepends {@code value} to every derived name ({@code "APP_"}: {@code APP_PORT}). */
    public Binding<R> prefix(String value) {
        this.prefix = Objects.requireNonNull(value, "value");
        return this;
    }

    /** Reads {@code component} from {@code variable} (exactly, no prefix). */
    public Binding<R> name(String component, String variable) {
        names.put(component(component), Objects.requireNonNull(variable, "variable"));
        return this;
    }

    /** Parses {@code component} with {@code parser} (for an {@code Optional} or list component: its elements). */
    public Binding<R> parser(String component, ValueParser<?> parser) {
        parsers.put(component(component), Objects.requireNonNull(parser, "parser"));
        return this;
    }

    /**
     * Defaults: each non-null component of {@code value} (for an {@code Optional}, each present
     * one) is used when its variable is unset.
     */
    public Binding<R> defaults(R value) {
        this.defaults = Objects.requireNonNull(value, "value");
        return this;
    }

    /** The variable {@code component} is read from. */
    public String variable(String component) {
        String c = component(component);
        return names.getOrDefault(c, prefix + envName(c));
    }

    /** Reads every component, recording problems in the {@link Config}; see the class comment. */
    public R bind() {
        RecordComponent[] components = type.getRecordComponents();
        Object[] values = new Object[components.length];
        boolean ok = true;
        for (int i = 0; i < components.length; i++) {
            RecordComponent c = components[i];
            String variable = variable(c.getName());
            boolean optional = c.getType() == Optional.class;
            Type valueType = optional ? typeArgument(c.getGenericType(), c) : c.getGenericType();
            ValueParser<Object> parser = parserFor(c, valueType);
            Object fallback = defaultOf(c);
            int before = config.problems().size();
            if (optional) {
                Optional<?> d = (Optional<?>) fallback;
                values[i] = d != null && d.isPresent()
                        ? Optional.of(config.optional(variable, parser, d.get()))
                        : config.optional(variable, parser);
            } else if (fallback != null) {
                values[i] = config.optional(variable, parser, fallback);
            } else {
                values[i] = config.required(variable, parser);
                if (values[i] == null && c.getType().isPrimitive()) {
                    values[i] = zero(c.getType());
                }
            }
            ok &= config.problems().size() == before;
        }
        try {
            Constructor<R> constructor = type.getDeclaredConstructor(
                    Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new));
            return constructor.newInstance(values);
        } catch (InvocationTargetException e) {
            if (ok) {
                String why = e.getCause() == null || e.getCause().getMessage() == null
                        ? String.valueOf(e.getCause()) : e.getCause().getMessage();
                config.problem(type.getSimpleName(), "-", "consistent values", why);
            }
            return null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw Config.misuse("cannot build record " + type.getName() + " (" + e + "); is it public, and its"
                    + " package open to dev.weft?");
        }
    }

    private Object defaultOf(RecordComponent c) {
        if (defaults == null) {
            return null;
        }
        try {
            return c.getAccessor().invoke(defaults);
        } catch (ReflectiveOperationException e) {
            throw Config.misuse("cannot read defaults of " + type.getName() + ": " + e);
        }
    }

    @SuppressWarnings("unchecked")
    private ValueParser<Object> parserFor(RecordComponent c, Type valueType) {
        ValueParser<?> given = parsers.get(c.getName());
        if (given != null) {
            if (raw(valueType) == List.class) {
                return (ValueParser<Object>) (ValueParser<?>) Parsers.list(given);
            }
            return (ValueParser<Object>) given;
        }
        ValueParser<?> p = byType(valueType, c);
        return (ValueParser<Object>) p;
    }

    private ValueParser<?> byType(Type t, RecordComponent c) {
        Class<?> raw = raw(t);
        if (raw == String.class) {
            return Parsers.string();
        } else if (raw == int.class || raw == Integer.class) {
            return Parsers.integer();
        } else if (raw == long.class || raw == Long.class) {
            return Parsers.longInteger(Long.MIN_VALUE, Long.MAX_VALUE);
        } else if (raw == boolean.class || raw == Boolean.class) {
            return Parsers.bool();
        } else if (raw == Duration.class) {
            return Parsers.duration();
        } else if (raw == URI.class) {
            return Parsers.uri();
        } else if (raw == Secret.class) {
            return Parsers.secret();
        } else if (raw.isEnum()) {
            return enumParser(raw);
        } else if (raw == List.class) {
            return Parsers.list(byType(typeArgument(t, c), c));
        }
        throw Config.misuse("no parser for component " + c.getName() + " of " + type.getName() + " (type "
                + t.getTypeName() + "); give one with .parser(\"" + c.getName() + "\", ...)");
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static ValueParser<?> enumParser(Class<?> raw) {
        return Parsers.enumOf((Class) raw);
    }

    private Type typeArgument(Type t, RecordComponent c) {
        if (t instanceof ParameterizedType p) {
            return p.getActualTypeArguments()[0];
        }
        throw Config.misuse("component " + c.getName() + " of " + type.getName() + " needs a type argument");
    }

    private static Class<?> raw(Type t) {
        if (t instanceof Class<?> c) {
            return c;
        }
        if (t instanceof ParameterizedType p) {
            return (Class<?>) p.getRawType();
        }
        return Object.class;
    }

    private static Object zero(Class<?> primitive) {
        if (primitive == boolean.class) {
            return false;
        }
        if (primitive == long.class) {
            return 0L;
        }
        if (primitive == int.class) {
            return 0;
        }
        throw Config.misuse("unsupported primitive " + primitive);
    }

    private String component(String name) {
        Objects.requireNonNull(name, "component");
        boolean exists = Arrays.stream(type.getRecordComponents()).anyMatch(c -> c.getName().equals(name));
        if (!exists) {
            throw Config.misuse(type.getName() + " has no component " + name);
        }
        return name;
    }

    /** {@code databaseMaxConnections} → {@code DATABASE_MAX_CONNECTIONS}; {@code baseURL} → {@code BASE_URL}. */
    static String envName(String component) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < component.length(); i++) {
            char ch = component.charAt(i);
            if (i > 0 && Character.isUpperCase(ch)) {
                char prev = component.charAt(i - 1);
                boolean nextLower = i + 1 < component.length() && Character.isLowerCase(component.charAt(i + 1));
                if (!Character.isUpperCase(prev) || nextLower) {
                    out.append('_');
                }
            }
            out.append(Character.toUpperCase(ch));
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return "Binding[" + type.getSimpleName() + "]";
    }
}
