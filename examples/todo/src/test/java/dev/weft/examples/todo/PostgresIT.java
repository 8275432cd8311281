package dev.weft.examples.todo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The demo as real processes against the throwaway PostgreSQL 15 that the build starts
 * (benchmarks/db/pg-start on the port in {@code weft.pg.port}): todos persist across a restart,
 * two instances starting at once migrate once, readiness reports the database, the password is
 * never printed, and a server that refuses the login or lacks the database is one clear line.
 * Each test gets an empty schema of its own ({@code ?currentSchema=}).
 */
class PostgresIT {
    private static final String PASSWORD = "benchmarkdbpass";
    private static final AtomicInteger SCHEMAS = new AtomicInteger();
    /*
     * Generous: a refused login fails as soon as the first attempt ends (retrying cannot fix it),
     * but that attempt (pgjdbc's classes, SCRAM) can take seconds on a busy machine, and a test
     * with 2 s could see "no attempt finished" instead.
     */
    private static final java.time.Duration REFUSAL_TIMEOUT = java.time.Duration.ofSeconds(20);
    private static String hostPort;

    @BeforeAll
    static void postgres() {
        String port = System.getProperty("weft.pg.port", "");
        assumeTrue(!port.isBlank() && !port.startsWith("$"),
                "PostgreSQL was not started by the build (no PostgreSQL 15 binaries, or -Dweft.pg.skip): skipping");
        hostPort = "127.0.0.1:" + port;
        try (Connection c = admin()) {
            assumeTrue(c.isValid(2), "PostgreSQL on " + hostPort + " does not answer: skipping");
        } catch (SQLException e) {
            assumeTrue(false, "PostgreSQL on " + hostPort + " is not reachable (" + e.getMessage() + "): skipping");
        }
    }

    private static Connection admin() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://" + hostPort + "/hello_world", "benchmarkdbuser", PASSWORD);
    }

    /** A DATABASE_URL for a new, empty schema (hello_world already holds the TechEmpower tables). */
    private static String emptySchema() throws SQLException {
        String schema = "todo_" + ProcessHandle.current().pid() + "_" + SCHEMAS.incrementAndGet();
        try (Connection c = admin(); Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            st.execute("CREATE SCHEMA " + schema);
        }
        return "postgres://benchmarkdbuser:" + PASSWORD + "@" + hostPort + "/hello_world?currentSchema=" + schema;
    }

    private static long query(String url, String sql) throws SQLException {
        String schema = url.substring(url.indexOf("currentSchema=") + "currentSchema=".length());
        try (Connection c = admin(); Statement st = c.createStatement()) {
            st.execute("SET search_path TO " + schema);
            try (ResultSet rs = st.executeQuery(sql)) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /*
     * One test rather than several: every demo start costs a JVM, Flyway and a pool (seconds on a
     * busy CI machine), and these behaviours share the same three starts.
     */
    @Test
    void two_demos_starting_at_once_migrate_once_share_the_todos_and_a_restart_keeps_them() throws Exception {
        String url = emptySchema();
        StringBuilder output = new StringBuilder();
        try (HttpClient http = HttpClient.newHttpClient()) {
            try (DemoProcess a = DemoProcess.start(Map.of("DATABASE_URL", url));
                    DemoProcess b = DemoProcess.start(Map.of("DATABASE_URL", url))) {
                int apiA = a.apiPort();
                int apiB = b.apiPort();
                assertThat(DemoProcess.postJson(http, apiA, "/todos", "{\"title\":\"buy milk\"}").statusCode())
                        .isEqualTo(201);
                assertThat(DemoProcess.postJson(http, apiB, "/todos", "{\"title\":\"write docs\"}").statusCode())
                        .isEqualTo(201);
                // one database: each instance lists what the other wrote
                assertThat(DemoProcess.get(http, apiA, "/todos").body()).contains("buy milk", "write docs");
                assertThat(DemoProcess.get(http, apiB, "/todos").body()).contains("buy milk", "write docs");
                for (DemoProcess demo : List.of(a, b)) {
                    HttpResponse<String> ready = DemoProcess.get(http, demo.adminPort(), "/health/ready");
                    assertThat(ready.statusCode()).isEqualTo(200);
                    assertThat(ready.body()).contains("\"database\":[{\"status\":\"pass\"");
                }
                assertThat(DemoProcess.get(http, a.adminPort(), "/metrics").body()).contains("hikaricp_connections_active");
                // Flyway's advisory lock: one instance applied V1, the other found it done
                assertThat(List.of(a.output(), b.output()))
                        .filteredOn(out -> out.contains("database migrations: 1 applied")).hasSize(1);
                assertThat(List.of(a.output(), b.output()))
                        .filteredOn(out -> out.contains("database migrations: 0 applied")).hasSize(1);
                output.append(a.output()).append(b.output());
            }
            assertThat(query(url, "SELECT count(*) FROM flyway_schema_history WHERE success AND version = '1'"))
                    .isEqualTo(1);
            try (DemoProcess restarted = DemoProcess.start(Map.of("DATABASE_URL", url))) {
                assertThat(DemoProcess.get(http, restarted.apiPort(), "/todos").body()).contains("buy milk", "write docs");
                assertThat(restarted.output()).contains("database migrations: 0 applied");
                output.append(restarted.output());
            }
        }
        assertThat(query(url, "SELECT count(*) FROM todos")).isEqualTo(2);
        assertThat(output).as("the password is masked everywhere").doesNotContain(PASSWORD)
                .contains("127.0.0.1:" + hostPort.substring(hostPort.indexOf(':') + 1));
    }

    /** The demo's one line for {@code url}, which the server refuses: at once, not at the startup timeout. */
    private static String refused(String url) throws Exception {
        long started = System.nanoTime();
        String line = DatabaseStartupTest.failsAtStart(url, REFUSAL_TIMEOUT);
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - started)).as("retrying cannot fix a refusal")
                .isLessThan(REFUSAL_TIMEOUT);
        return line;
    }

    @Test
    void a_wrong_password_is_one_line_saying_authentication_failed_not_unreachable() throws Exception {
        String line = refused("postgres://benchmarkdbuser:" + DatabaseStartupTest.PASSWORD + "@" + hostPort
                + "/hello_world");
        assertThat(line).contains(hostPort, "authentication failed", "benchmarkdbuser").doesNotContain("unreachable");
    }

    @Test
    void an_unknown_user_is_one_line_saying_authentication_failed() throws Exception {
        String line = refused("postgres://nobody_here:" + DatabaseStartupTest.PASSWORD + "@" + hostPort + "/hello_world");
        assertThat(line).contains(hostPort, "authentication failed").doesNotContain("unreachable");
    }

    @Test
    void a_database_that_does_not_exist_is_one_line_naming_it() throws Exception {
        String line = refused("postgres://benchmarkdbuser:" + PASSWORD + "@" + hostPort + "/no_such_todo_db");
        assertThat(line).contains(hostPort, "does not exist", "no_such_todo_db").doesNotContain("unreachable")
                .doesNotContain(PASSWORD);
    }
}
