package dev.weft.json;

/**
 * Why a JSON document could not be read: malformed text, or a value that does not fit the type.
 * The message is for logs only; clients see {@link #pointer()} or the position.
 */
public final class JsonReadException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Which of the two failures this is. */
    public enum Kind {
        /** Not JSON at all: answered with 400. */
        SYNTAX,
        /** JSON of the wrong shape: answered with 422. */
        DATA
    }

    private final Kind kind;
    private final String pointer;
    private final long line;
    private final long column;

    public JsonReadException(Kind kind, String pointer, long line, long column, Throwable cause) {
        super(kind + " error at " + (pointer.isEmpty() ? "line " + line + ", column " + column : pointer), cause);
        this.kind = kind;
        this.pointer = pointer;
        this.line = line;
        this.column = column;
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
