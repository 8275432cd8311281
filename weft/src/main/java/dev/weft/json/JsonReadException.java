package dev.weft.json;

/**
 * Why a JSON document could not be read: malformed text, a document past a parser limit, or a
 * value that does not fit the type. The message is for logs only; clients see
 * {@link #pointer()}, the position or {@link #limit()}.
 */
public final class JsonReadException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Which of the two failures this is. */
    public enum Kind {
        /** Not JSON at all: answered with 400. */
        SYNTAX,
        /** JSON of the wrong shape: answered with 422. */
        DATA,
        /** Past a limit of the parser (nesting depth, number or string length): answered with 400. */
        LIMIT
    }

    private final Kind kind;
    private final String pointer;
    private final long line;
    private final long column;
    private final String limit;
    private final String reason;

    public JsonReadException(Kind kind, String pointer, long line, long column, Throwable cause) {
        this(kind, pointer, line, column, "", "", cause);
    }

    private JsonReadException(Kind kind, String pointer, long line, long column, String limit, String reason,
            Throwable cause) {
        super(kind + " error at " + (pointer.isEmpty() ? "line " + line + ", column " + column : pointer)
                + (limit.isEmpty() ? "" : ": past the " + limit), cause);
        this.kind = kind;
        this.pointer = pointer;
        this.line = line;
        this.column = column;
        this.limit = limit;
        this.reason = reason;
    }

    /**
     * A {@link Kind#LIMIT} failure.
     *
     * @param limit which limit, with its value, client-safe: "nesting depth 500"
     */
    public static JsonReadException limit(String limit, long line, long column, Throwable cause) {
        return new JsonReadException(Kind.LIMIT, "", line, column, limit, "", cause);
    }

    /**
     * A {@link Kind#DATA} failure where a record's constructor refused a value with
     * {@code cause}: its {@link #reason()} is client-safe.
     *
     * @param pointer the refused field's JSON pointer
     */
    public static JsonReadException invalidValue(String pointer, String reason, RuntimeException cause) {
        return new JsonReadException(Kind.DATA, pointer, 0, 0, "", reason, cause);
    }

    /** For a value a record's constructor refused (see {@link #invalidValue}), its client-safe reason; else empty. */
    public String reason() {
        return reason;
    }

    /** For a {@link Kind#LIMIT} failure, which limit ("nesting depth 500"); else empty. */
    public String limit() {
        return limit;
    }

    public Kind kind() {
        return kind;
    }

    /** An RFC 6901 pointer to the value that did not fit; empty for the root or a syntax error. */
    public String pointer() {
        return pointer;
    }

    public long line() {
        return line;
    }

    public long column() {
        return column;
    }
}
