package dev.weft.json;

import dev.weft.internal.json.JacksonCodec;
import java.lang.reflect.Type;

/**
 * Reads request bodies and writes response bodies as JSON.
 *
 * <p>The default, {@link #jackson()}, is Jackson 3 configured for APIs: unknown fields are
 * ignored, a missing or {@code null} value for a primitive is an error (not a silent 0), a
 * fraction for an integer field is an error (not truncated), and
 * trailing content after the document is an error. Its parser limits (a document past one is a
 * 400 naming it, {@link dev.weft.extract.Rejection.JsonTooComplex}):
 *
 * <table>
 *   <caption>Limits of the default codec</caption>
 *   <tr><th>limit</th><th>value</th></tr>
 *   <tr><td>nesting depth of arrays and objects</td><td>500</td></tr>
 *   <tr><td>length of one number</td><td>1,000 characters</td></tr>
 *   <tr><td>length of one string value</td><td>20,000,000 characters</td></tr>
 *   <tr><td>length of one field name</td><td>50,000 characters</td></tr>
 *   <tr><td>length of the document</td><td>the route's body limit (2 MiB by default)</td></tr>
 * </table>
 *
 * <p>Field names that share one {@code hashCode} cost no more than others (Jackson's symbol table
 * does not hash with {@code String.hashCode}, and Java's maps fall back to trees). Give your own codec to
 * {@link dev.weft.routing.Router.Builder#jsonCodec} to change that.
 *
 * <p>Implementations must be thread-safe.
 */
public interface JsonCodec {

    /**
     * Encodes {@code value}.
     *
     * @throws RuntimeException if the value cannot be encoded (the request then fails with 500)
     */
    byte[] write(Object value);

    /**
     * Decodes {@code json} into {@code type} (a {@code Class} or a parameterized type).
     *
     * @throws JsonReadException saying whether the text was malformed or did not fit the type
     */
    <T> T read(byte[] json, Type type);

    /** The default codec, backed by a shared Jackson 3 {@code JsonMapper}. */
    static JsonCodec jackson() {
        return JacksonCodec.DEFAULT;
    }
}
