package dev.weft.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Plain-JDBC helpers on one transaction's connection: parameters are bound in order with
 * {@link PreparedStatement#setObject(int, Object)} (so never concatenate values into SQL), rows
 * are mapped by a {@link RowMapper} (typically a record's constructor). No ORM.
 *
 * <p>Valid only inside {@link Database#transaction}; not thread-safe.
 */
public final class Tx {
    private final Connection connection;

    Tx(Connection connection) {
        this.connection = connection;
    }

    /** Maps the current row of a result set. */
    @FunctionalInterface
    public interface RowMapper<T> {
        /** The value of the current row. */
        T map(ResultSet row) throws SQLException;
    }

    /** Every row of {@code sql}, mapped. */
    public <T> List<T> query(String sql, RowMapper<T> mapper, Object... params) throws SQLException {
        Objects.requireNonNull(mapper, "mapper");
        try (PreparedStatement st = prepare(sql, params); ResultSet rs = st.executeQuery()) {
            List<T> rows = new ArrayList<>();
            while (rs.next()) {
                rows.add(mapper.map(rs));
            }
            return rows;
        }
    }

    /**
     * The single row of {@code sql}, or empty when there is none.
     *
     * @throws SQLException when there is more than one row
     */
    public <T> Optional<T> one(String sql, RowMapper<T> mapper, Object... params) throws SQLException {
        Objects.requireNonNull(mapper, "mapper");
        try (PreparedStatement st = prepare(sql, params); ResultSet rs = st.executeQuery()) {
            if (!rs.next()) {
                return Optional.empty();
            }
            T value = mapper.map(rs);
            if (rs.next()) {
                throw new SQLException("expected at most one row: " + sql);
            }
            return Optional.ofNullable(value);
        }
    }

    /** Runs an INSERT, UPDATE or DELETE; returns the number of rows changed. */
    public int update(String sql, Object... params) throws SQLException {
        try (PreparedStatement st = prepare(sql, params)) {
            return st.executeUpdate();
        }
    }

    /**
     * Runs an INSERT and returns the generated key in {@code keyColumn} (through JDBC's generated
     * keys: PostgreSQL gets {@code RETURNING}, H2 its own mechanism).
     *
     * @throws SQLException when no key came back
     */
    public long insert(String sql, String keyColumn, Object... params) throws SQLException {
        Objects.requireNonNull(sql, "sql");
        Objects.requireNonNull(keyColumn, "keyColumn");
        try (PreparedStatement st = bind(connection.prepareStatement(sql, new String[] {keyColumn}), params)) {
            st.executeUpdate();
            try (ResultSet keys = st.getGeneratedKeys()) {
                if (!keys.next()) {
                    throw new SQLException("no generated key " + keyColumn + ": " + sql);
                }
                return keys.getLong(1);
            }
        }
    }

    /** The connection itself, for what the helpers do not cover (batches, COPY); do not close it. */
    public Connection connection() {
        return connection;
    }

    private PreparedStatement prepare(String sql, Object[] params) throws SQLException {
        Objects.requireNonNull(sql, "sql");
        return bind(connection.prepareStatement(sql), params);
    }

    /** Binds {@code params} in order; closes the statement when one cannot be bound. */
    private static PreparedStatement bind(PreparedStatement st, Object[] params) throws SQLException {
        try {
            for (int i = 0; i < params.length; i++) {
                st.setObject(i + 1, params[i]);
            }
            return st;
        } catch (SQLException | RuntimeException e) {
            st.close();
            throw e;
        }
    }
}
