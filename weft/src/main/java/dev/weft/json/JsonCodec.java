package dev.weft.json;

import dev.weft.internal.json.JacksonCodec;
import java.lang.reflect.Type;

/**
 * Reads request bodies and writes response bodies as JSON.
 *
 * <p>The default, {@link #jackson()}, is Jackson 3 configured for APIs: strict about what a
 * field holds, lenient only about fields the type does not have. Binding a body to a record
 * (through {@link dev.weft.extract.Json}; a data error is a 422 with the JSON pointer of the
 * value at fault, a syntax error a 400):
 *
 * <table>
 *   <caption>How the default codec binds</caption>
 *   <tr><th>the body has</th><th>for a component of type</th><th>result</th></tr>
 *   <tr><td>no value, or {@code null}</td><td>a primitive ({@code int}, {@code double}, {@code boolean} …)</td>
 *       <td>422 naming the field (never a silent 0 or false)</td></tr>
 *   <tr><td>no value, or {@code null}</td><td>{@code Optional<T>}, {@code OptionalInt/Long/Double}</td>
 *       <td>empty</td></tr>
 *   <tr><td>no value, or {@code null}</td><td>any other reference ({@code String}, a record, a {@code List} …)</td>
 *       <td>422 naming the field: a component that may be absent says so with {@code Optional}</td></tr>
 *   <tr><td>a string ({@code "21.5"}, {@code "NaN"}, {@code "true"})</td><td>a number or a boolean</td>
 *       <td>422: no coercion from text</td></tr>
 *   <tr><td>a number or a boolean ({@code 42})</td><td>{@code String}</td><td>422: no coercion to text</td></tr>
 *   <tr><td>a number ({@code 1})</td><td>{@code boolean}, an enum</td><td>422</td></tr>
 *   <tr><td>a fraction ({@code 1.5}), or past the type's range</td><td>an integer type</td><td>422</td></tr>
 *   <tr><td>an integer ({@code 21})</td><td>{@code double}, {@code float}, {@code BigDecimal}</td><td>the number</td></tr>
 *   <tr><td>a string that is not exactly a constant's name</td><td>an enum</td><td>422</td></tr>
 *   <tr><td>a field the type does not have</td><td>—</td>
 *       <td>ignored ({@link #jacksonRejectingUnknownFields()}: 422 naming it)</td></tr>
 *   <tr><td>anything after the document ({@code {..}{}}, {@code {..} x})</td><td>—</td><td>400</td></tr>
 * </table>
 *
 * <p>Nested records, list elements and map values follow the same rules; the pointer names the
 * nested value ({@code /items/1/qty}). {@link #jacksonLenient()} keeps Jackson's own defaults for
 * those who want them. Every codec made here has these parser limits (a document past one is a
 * 400 naming it, {@link dev.weft.extract.Rejection.JsonTooComplex}):
 *
 * <table>
 *   <caption>Limits of the codecs</caption>
 *   <tr><th>limit</th><th>value</th></tr>
 *   <tr><td>nesting depth of arrays and objects</td><td>500</td></tr>
 *   <tr><td>length of one number</td><td>1,000 characters</td></tr>
 *   <tr><td>length of one string value</td><td>20,000,000 characters</td></tr>
 *   <tr><td>length of one field name</td><td>50,000 characters</td></tr>
 *   <tr><td>length of the document</td><td>the route's body limit (2 MiB by default)</td></tr>
 * </table>
 *
 * <p>Field names that share one {@code hashCode} cost no more than others (Jackson's symbol table
 * does not hash with {@code String.hashCode}, and Java's maps fall back to trees). Give another
 * codec to {@link dev.weft.routing.Router.Builder#jsonCodec} to change any of this.
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

    /** The default codec, backed by a shared Jackson 3 {@code JsonMapper}: the rules above. */
    static JsonCodec jackson() {
        return JacksonCodec.DEFAULT;
    }

    /** Like {@link #jackson()}, but a field the type does not have is a 422 naming it. */
    static JsonCodec jacksonRejectingUnknownFields() {
        return JacksonCodec.REJECTING_UNKNOWN;
    }

    /**
     * Jackson's own defaults, for those who want them: missing values become {@code null} or
     * {@code 0}, scalars are coerced ({@code "21.5"} binds to a {@code double}, {@code 42} to a
     * {@code String}). The parser limits and the check for content after the document stay.
     */
    static JsonCodec jacksonLenient() {
        return JacksonCodec.LENIENT;
    }
}
