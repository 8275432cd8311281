package dev.weft.jdbc;

import dev.weft.WeftException;
import java.sql.SQLException;

/** A database failure: an {@link SQLException} (its cause), an unreachable database, or an interrupted transaction. */
public final class DatabaseException extends WeftException {
    private static final long serialVersionUID = 1L;

    DatabaseException(String message, Throwable cause) {
        super(Database.mask(message), cause);
    }

    static DatabaseException wrap(SQLException e) {
        return new DatabaseException(e.getMessage() == null ? "database error" : e.getMessage(), e);
    }

    /** The SQLSTATE of the underlying {@link SQLException}, when there is one (e.g. {@code 23505}). */
    public java.util.Optional<String> sqlState() {
        return getCause() instanceof SQLException e ? java.util.Optional.ofNullable(e.getSQLState())
                : java.util.Optional.empty();
    }
}
