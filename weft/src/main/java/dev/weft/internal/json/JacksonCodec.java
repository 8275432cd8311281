package dev.weft.internal.json;

import dev.weft.json.JsonCodec;
import dev.weft.json.JsonReadException;
import java.lang.reflect.Type;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.json.JsonMapper;

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

    private static final class Holder {
        static final JacksonCodec MAPPER = createDefault();
    }

    /** The default codec's parser limits, documented on {@link JsonCodec#jackson()}. */
    public static final int MAX_NESTING_DEPTH = 500;
    public static final int MAX_NUMBER_LENGTH = 1_000;
    public static final int MAX_STRING_LENGTH = 20_000_000;
    public static final int MAX_NAME_LENGTH = 50_000;

    private static JacksonCodec createDefault() {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_NESTING_DEPTH)
                        .maxNumberLength(MAX_NUMBER_LENGTH)
                        .maxStringLength(MAX_STRING_LENGTH)
                        .maxNameLength(MAX_NAME_LENGTH)
                        .build())
                .build();
        return new JacksonCodec(JsonMapper.builder(factory)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .build());
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
        try {
            return mapper.readValue(json, javaType);
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
        String m = message == null ? "" : message.toLowerCase(java.util.Locale.ROOT);
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

    private static String pointer(JacksonException e) {
        StringBuilder out = new StringBuilder();
        for (JacksonException.Reference ref : e.getPath()) {
            out.append('/');
            if (ref.getPropertyName() != null) {
                out.append(ref.getPropertyName().replace("~", "~0").replace("/", "~1"));
            } else if (ref.getIndex() >= 0) {
                out.append(ref.getIndex());
            }
        }
        return out.toString();
    }
}
