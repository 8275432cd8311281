package dev.weft.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The contract against the throwaway PostgreSQL 15 that the build starts (benchmarks/db/pg-start
 * on the port in {@code weft.pg.port}); each test gets a schema of its own.
 */
class PostgresIT extends DatabaseContract {
    private static final AtomicInteger SCHEMAS = new AtomicInteger();
    private static String base;

    @BeforeAll
    static void postgres() {
        String port = System.getProperty("weft.pg.port", "");
        assumeTrue(!port.isBlank() && !port.startsWith("$"),
                "PostgreSQL was not started by the build (no PostgreSQL 15 binaries, or -Dweft.pg.skip): skipping");
        base = "127.0.0.1:" + port + "/hello_world";
        try (Connection c = admin()) {
            assumeTrue(c.isValid(2), "PostgreSQL on " + base + " does not answer: skipping");
        } catch (SQLException e) {
            assumeTrue(false, "PostgreSQL on " + base + " is not reachable (" + e.getMessage() + "): skipping");
        }
    }

    private static Connection admin() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://" + base, "benchmarkdbuser", "benchmarkdbpass");
    }

    static String newSchema() {
        String schema = "weft_jdbc_" + ProcessHandle.current().pid() + "_" + SCHEMAS.incrementAndGet();
        try (Connection c = admin(); Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            st.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return schema;
    }

    static Database.Settings settingsFor(String schema) {
        return Database.Settings.defaults()
                .withUrl("postgres://benchmarkdbuser:benchmarkdbpass@" + base + "?currentSchema=" + schema)
                .withPool(4, 1);
    }

    @Override
    Database.Settings fresh() {
        return settingsFor(newSchema());
    }

    @Test
    void the_url_in_use_never_shows_the_password() {
        Database db = start(fresh());
        assertThat(db.url()).startsWith("jdbc:postgresql://127.0.0.1:").doesNotContain("benchmarkdbpass");
        assertThat(db.toString()).doesNotContain("benchmarkdbpass");
    }

    /**
     * Starting on the running server with {@code url} fails with one line, without the password,
     * at once: retrying until the (generous) startup timeout cannot fix a refusal.
     */
    private static DatabaseException refused(String userInfo, String database) {
        String host = base.substring(0, base.indexOf('/'));
        String url = "postgres://" + userInfo + "@" + host + "/" + database;
        Duration timeout = Duration.ofSeconds(20);
        Database.Settings s = Database.Settings.defaults().withUrl(url).withStartupTimeout(timeout);
        long started = System.nanoTime();
        Throwable thrown = catchThrowable(() -> Database.start(s).close());
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(timeout);
        assertThat(thrown).isInstanceOf(DatabaseException.class);
        assertThat(thrown.getMessage()).startsWith("database at " + host + " ")
                .doesNotContain("\n").doesNotContain("hunter2").doesNotContain("benchmarkdbpass")
                .doesNotContain("unreachable");
        return (DatabaseException) thrown;
    }

    @Test
    void a_wrong_password_says_authentication_failed_not_unreachable() {
        DatabaseException e = refused("benchmarkdbuser:hunter2", "hello_world");
        assertThat(e.getMessage()).contains("refused the login: authentication failed", "benchmarkdbuser");
        assertThat(e.sqlState()).contains("28P01");
        assertThat(refused("nosuchuser:hunter2", "hello_world").getMessage())
                .contains("authentication failed");
    }

    @Test
    void a_database_that_does_not_exist_is_named() {
        DatabaseException e = refused("benchmarkdbuser:benchmarkdbpass", "no_such_db");
        assertThat(e.getMessage()).contains("the database does not exist", "no_such_db");
        assertThat(e.sqlState()).contains("3D000");
    }

    @Test
    void two_instances_migrating_at_once_apply_each_migration_exactly_once() throws Exception {
        String schema = newSchema();
        Database a = start(settingsFor(schema));
        Database b = start(settingsFor(schema));
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Integer>> applied = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Database db : List.of(a, b)) {
                applied.add(pool.submit(() -> {
                    go.await();
                    return db.migrate();
                }));
            }
            go.countDown();
            // Flyway's advisory lock serializes them: one applies V1, the other finds it done
            assertThat(applied.get(0).get() + applied.get(1).get()).isEqualTo(1);
        }
        long history = a.transaction(tx -> tx.one(
                "SELECT count(*) FROM flyway_schema_history WHERE success AND version = '1'", r -> r.getLong(1))
                .orElseThrow());
        assertThat(history).isEqualTo(1);
        assertThat(count(b)).isZero();
    }
}
