/**
 * Pooled JDBC for Weft: {@link dev.weft.jdbc.Database} (HikariCP from {@code DATABASE_*}
 * variables, 503 when the pool is exhausted, transactions, Flyway migrations, metrics, readiness)
 * and {@link dev.weft.jdbc.Tx} (plain-JDBC helpers for records). See docs/database.md.
 */
package dev.weft.jdbc;
