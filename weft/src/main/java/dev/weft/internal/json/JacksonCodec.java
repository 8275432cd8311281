package dev.weft.internal.json;

import dev.weft.extract.InvalidValueException;
import dev.weft.json.JsonCodec;
import dev.weft.json.JsonReadException;
import java.lang.reflect.Type;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.function.Supplier;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.util.BufferRecycler;
import tools.jackson.core.util.JsonRecyclerPools;
import tools.jackson.core.util.RecyclerPool;
import tools.jackson.databind.BeanDescription;
import tools.jackson.databind.DeserializationConfig;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.cfg.EnumFeature;
import tools.jackson.databind.cfg.MapperConfig;
import tools.jackson.databind.deser.ValueDeserializerModifier;
import tools.jackson.databind.deser.std.DelegatingDeserializer;
import tools.jackson.databind.exc.ValueInstantiationException;
import tools.jackson.databind.introspect.AnnotatedMember;
import tools.jackson.databind.introspect.AnnotatedParameter;
import tools.jackson.databind.introspect.JacksonAnnotationIntrospector;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.type.LogicalType;

/** The default codec. Thread-safe: a configured mapper is immutable in Jackson 3. */
public final class JacksonCodec implements JsonCodec {
    /**
     * The default codec, created on first use: an app that never touches JSON (or not before
     * its first response) does not pay Jackson's start-up cost.
     */
    public static final JsonCodec DEFAULT = new JsonCodec() {
        @Override
        public byte[] write(Object value) {
            return Holder.MAPPER.write(value);
        }

        @Override
        public <T> T read(byte[] json, Type type) {
            return Holder.MAPPER.read(json, type);
        }

        @Override
        public String toString() {
            return "JacksonCodec.DEFAULT";
        }
    };

    /** {@link JsonCodec#jacksonRejectingUnknownFields()}. */
    public static final JsonCodec REJECTING_UNKNOWN = new Lazy(() -> new JacksonCodec(strict(true)), "JacksonCodec.REJECTING_UNKNOWN");
    /** {@link JsonCodec#jacksonLenient()}. */
    public static final JsonCodec LENIENT = new Lazy(() -> new JacksonCodec(JsonMapper.builder(factory())
            .addModule(secrets())
            .disable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build()),
            "JacksonCodec.LENIENT");

    private static final class Holder {
        static final JacksonCodec MAPPER = createDefault();
    }

    /** A codec made on first use (Jackson's start-up cost is paid only by apps that use it). */
    private static final class Lazy implements JsonCodec {
        private final Supplier<JacksonCodec> create;
        private final String name;
        private volatile JacksonCodec codec;

        Lazy(Supplier<JacksonCodec> create, String name) {
            this.create = create;
            this.name = name;
        }

        private JacksonCodec codec() {
            JacksonCodec c = codec;
            if (c == null) {
                synchronized (this) {
                    c = codec;
                    if (c == null) {
                        codec = c = create.get();
                    }
                }
            }
            return c;
        }

        @Override
        public byte[] write(Object value) {
            return codec().write(value);
        }

        @Override
        public <T> T read(byte[] json, Type type) {
            return codec().read(json, type);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** The default codec's parser limits, documented on {@link JsonCodec#jackson()}. */
    public static final int MAX_NESTING_DEPTH = 500;
    public static final int MAX_NUMBER_LENGTH = 1_000;
    public static final int MAX_STRING_LENGTH = 20_000_000;
    public static final int MAX_NAME_LENGTH = 50_000;

    private static JacksonCodec createDefault() {
        return new JacksonCodec(strict(false));
    }

    /** The default codec's mapper; {@code rejectUnknown}: an unknown field is a 422. */
    public static JsonMapper strict(boolean rejectUnknown) {
        return JsonMapper.builder(factory())
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, rejectUnknown)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .enable(EnumFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                // No scalar coercion: a string is not a number or a boolean, a number is not text.
                .withCoercionConfig(LogicalType.Textual, c -> c.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                .withCoercionConfig(LogicalType.Integer, c -> c.setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                .withCoercionConfig(LogicalType.Float, c -> c.setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                .withCoercionConfig(LogicalType.Boolean, c -> c.setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail))
                // Every record component (creator parameter) is required unless it is an Optional.
                .annotationIntrospector(new RequiredComponents())
                .addModule(new SimpleModule("weft-strict-numbers").setDeserializerModifier(new NoTextForFloats()))
                // A Secret is written as its mask, so a record holding one can be exported safely.
                .addModule(secrets())
                .disable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS) // read() checks, as a syntax error
                .build();
    }

    /** A {@link dev.weft.config.Secret} is written as its mask, so a record holding one can be exported. */
    private static SimpleModule secrets() {
        return new SimpleModule("weft-secrets").addSerializer(dev.weft.config.Secret.class,
                new tools.jackson.databind.ser.std.ToStringSerializer(dev.weft.config.Secret.class));
    }

    /**
     * Jackson reads {@code "NaN"} and {@code "Infinity"} as floating-point numbers even with
     * coercion from text off; these deserializers refuse any string for a {@code double} or
     * {@code float}.
     */
    private static final class NoTextForFloats extends ValueDeserializerModifier {
        private static final long serialVersionUID = 1L;

        @Override
        public ValueDeserializer<?> modifyDeserializer(DeserializationConfig config, BeanDescription.Supplier bean,
                ValueDeserializer<?> deserializer) {
            Class<?> type = bean.getBeanClass();
            boolean floating = type == double.class || type == Double.class || type == float.class || type == Float.class;
            return floating ? new NumbersOnly(deserializer) : deserializer;
        }
    }

    private static final class NumbersOnly extends DelegatingDeserializer {
        NumbersOnly(ValueDeserializer<?> delegate) {
            super(delegate);
        }

        @Override
        protected ValueDeserializer<?> newDelegatingInstance(ValueDeserializer<?> delegate) {
            return new NumbersOnly(delegate);
        }

        @Override
        public Object deserialize(JsonParser p, DeserializationContext ctxt) {
            if (p.currentToken() == JsonToken.VALUE_STRING) {
                return ctxt.handleUnexpectedToken(handledType(), p);
            }
            return super.deserialize(p, ctxt);
        }
    }

    /** A factory with the documented parser limits. */
    private static JsonFactory factory() {
        return JsonFactory.builder()
                .recyclerPool(new ThreadKindPool())
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_NESTING_DEPTH)
                        .maxNumberLength(MAX_NUMBER_LENGTH)
                        .maxStringLength(MAX_STRING_LENGTH)
                        .maxNameLength(MAX_NAME_LENGTH)
                        .build())
                .build();
    }

    /**
     * Where Jackson's working buffers come from: one set per platform thread (the event loops,
     * which encode the JSON of non-blocking routes, live as long as the server), a shared pool on
     * virtual threads (one per request: buffers kept per thread would never be used again).
     * Jackson's default, the shared pool for every thread, costs event loops a concurrent
     * queue's take and give back per value.
     */
    private static final class ThreadKindPool implements RecyclerPool<BufferRecycler> {
        private static final long serialVersionUID = 1L;
        private static final RecyclerPool<BufferRecycler> PER_THREAD = JsonRecyclerPools.threadLocalPool();
        private static final RecyclerPool<BufferRecycler> SHARED = JsonRecyclerPools.sharedConcurrentDequePool();

        private static RecyclerPool<BufferRecycler> current() {
            return Thread.currentThread().isVirtual() ? SHARED : PER_THREAD;
        }

        @Override
        public BufferRecycler acquireAndLinkPooled() {
            return current().acquireAndLinkPooled(); // a shared one is linked to (and returns to) SHARED
        }

        @Override
        public BufferRecycler acquirePooled() {
            return current().acquirePooled();
        }

        @Override
        public void releasePooled(BufferRecycler recycler) {
            current().releasePooled(recycler);
        }
    }

    /** Marks creator parameters required, except those whose type says they may be absent. */
    private static final class RequiredComponents extends JacksonAnnotationIntrospector {
        private static final long serialVersionUID = 1L;

        @Override
        public Boolean hasRequiredMarker(MapperConfig<?> config, AnnotatedMember member) {
            Boolean marked = super.hasRequiredMarker(config, member);
            if (marked != null || !(member instanceof AnnotatedParameter parameter)) {
                return marked;
            }
            Class<?> type = parameter.getRawType();
            return !(type == Optional.class || type == OptionalInt.class || type == OptionalLong.class
                    || type == OptionalDouble.class);
        }
    }

    private final JsonMapper mapper;

    public JacksonCodec(JsonMapper mapper) {
        this.mapper = mapper;
    }

    @Override
    public byte[] write(Object value) {
        return mapper.writeValueAsBytes(value);
    }

    @Override
    public <T> T read(byte[] json, Type type) {
        JavaType javaType = mapper.constructType(type);
        try (JsonParser parser = mapper.createParser(json)) {
            T value = mapper.readValue(parser, javaType);
            if (parser.nextToken() != null) {
                // Anything after the document, even a second document, is not JSON text (RFC 8259 §2).
                TokenStreamLocation at = parser.currentTokenLocation();
                throw new JsonReadException(JsonReadException.Kind.SYNTAX, "", Math.max(1, at.getLineNr()),
                        Math.max(1, at.getColumnNr()), null);
            }
            return value;
        } catch (StreamConstraintsException e) {
            throw pastLimit(e, e);
        } catch (InputCoercionException e) {
            // Valid JSON, but a number out of range for its field: a data error, not a syntax one.
            throw new JsonReadException(JsonReadException.Kind.DATA, pointer(e), 0, 0, e);
        } catch (StreamReadException e) {
            TokenStreamLocation at = e.getLocation();
            long line = at == null ? 1 : Math.max(1, at.getLineNr());
            long column = at == null ? 1 : Math.max(1, at.getColumnNr());
            throw new JsonReadException(JsonReadException.Kind.SYNTAX, "", line, column, e);
        } catch (ValueInstantiationException e) {
            // A record's constructor refused what it was given.
            String at = pointer(e);
            if (e.getCause() instanceof InvalidValueException invalid) {
                throw JsonReadException.invalidValue(at + "/" + escape(invalid.field()), invalid.reason(), invalid);
            }
            throw new JsonReadException(JsonReadException.Kind.DATA, at, 0, 0, e.getCause() != null ? e.getCause() : e);
        } catch (JacksonException e) {
            for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
                if (cause instanceof StreamConstraintsException limit) {
                    throw pastLimit(limit, e);
                }
            }
            throw new JsonReadException(JsonReadException.Kind.DATA, pointer(e), 0, 0, e);
        } catch (NumberFormatException | ArithmeticException e) {
            // A number JSON allows but the target cannot hold, such as 1E+2147483648 for a BigDecimal.
            throw new JsonReadException(JsonReadException.Kind.DATA, "", 0, 0, e);
        }
    }

    private static JsonReadException pastLimit(StreamConstraintsException limit, JacksonException e) {
        TokenStreamLocation at = limit.getLocation();
        return JsonReadException.limit(limitOf(limit.getOriginalMessage()),
                at == null ? 1 : Math.max(1, at.getLineNr()), at == null ? 1 : Math.max(1, at.getColumnNr()), e);
    }

    /** Which limit Jackson's message names, client-safe and with the value that applies. */
    static String limitOf(String message) {
        String m = message == null ? "" : message.toLowerCase(Locale.ROOT);
        if (m.contains("nesting depth")) {
            return "nesting depth of " + MAX_NESTING_DEPTH;
        }
        if (m.contains("number value length") || m.contains("number length")) {
            return "number length of " + MAX_NUMBER_LENGTH + " characters";
        }
        if (m.contains("string value length") || m.contains("string length")) {
            return "string length of " + MAX_STRING_LENGTH + " characters";
        }
        if (m.contains("name length")) {
            return "field name length of " + MAX_NAME_LENGTH + " characters";
        }
        if (m.contains("scale")) {
            return "number exponent limit";
        }
        return "size limits";
    }

    /** A name as an RFC 6901 reference token. */
    private static String escape(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }

    private static String pointer(JacksonException e) {
        StringBuilder out = new StringBuilder();
        for (JacksonException.Reference ref : e.getPath()) {
            out.append('/');
            if (ref.getPropertyName() != null) {
                out.append(escape(ref.getPropertyName()));
            } else if (ref.getIndex() >= 0) {
                out.append(ref.getIndex());
            }
        }
        return out.toString();
    }
}
