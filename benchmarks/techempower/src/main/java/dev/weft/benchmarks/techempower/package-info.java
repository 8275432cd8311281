/**
 * The TechEmpower Framework Benchmarks test types on Weft: plaintext, JSON, single query,
 * multiple queries, fortunes and updates, over PostgreSQL with weft-jdbc's pool (HikariCP and pgjdbc).
 *
 * <p>Handlers are plain blocking JDBC on the request's virtual thread. The pool is the only
 * limit on database concurrency: requests beyond {@code WEFT_DB_POOL} wait for a connection
 * without holding a carrier thread. Run it as described in {@code benchmarks/techempower/README.md}.
 */
package dev.weft.benchmarks.techempower;
