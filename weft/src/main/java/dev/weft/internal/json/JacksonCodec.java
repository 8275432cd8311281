package dev.weft.internal.json;

import dev.weft.json.JsonCodec;
import dev.weft.json.JsonReadException;
import java.lang.reflect.Type;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.core.exc.StreamReadException;
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

    private static JacksonCodec createDefault() {
        return new JacksonCodec(JsonMapper.builder()
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
        } catch (InputCoercionException e) {
            // Valid JSON, but a number out of range for its field: a data error, not a syntax one.
            throw new JsonReadException(JsonReadException.Kind.DATA, pointer(e), 0, 0, e);
        } catch (StreamReadException e) {
            TokenStreamLocation at = e.getLocation();
            long line = at == null ? 1 : Math.max(1, at.getLineNr());
            long column = at == null ? 1 : Math.max(1, at.getColumnNr());
            throw new JsonReadException(JsonReadException.Kind.SYNTAX, "", line, column, e);
        } catch (JacksonException e) {
            throw new JsonReadException(JsonReadException.Kind.DATA, pointer(e), 0, 0, e);
        }
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
