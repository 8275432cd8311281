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

    @Test
    void todos_created_over_http_are_still_there_after_a_restart() throws Exception {
        String url = emptySchema();
        try (HttpClient http = HttpClient.newHttpClient()) {
            try (DemoProcess first = DemoProcess.start(Map.of("DATABASE_URL", url))) {
                int api = first.apiPort();
                assertThat(DemoProcess.postJson(http, api, "/todos", "{\"title\":\"buy milk\"}").statusCode())
                        .isEqualTo(201);
                assertThat(DemoProcess.postJson(http, api, "/todos", "{\"title\":\"write docs\"}").statusCode())
                        .isEqualTo(201);
                assertThat(DemoProcess.get(http, api, "/todos").body()).contains("buy milk", "write docs");

                HttpResponse<String> ready = DemoProcess.get(http, first.adminPort(), "/health/ready");
                assertThat(ready.statusCode()).isEqualTo(200);
                assertThat(ready.body()).contains("\"database\":[{\"status\":\"pass\"");
                assertThat(DemoProcess.get(http, first.adminPort(), "/metrics").body())
                        .contains("hikaricp_connections_active");
                assertThat(first.output()).contains("1 applied").doesNotContain(PASSWORD);
            }
            try (DemoProcess second = DemoProcess.start(Map.of("DATABASE_URL", url))) {
                String todos = DemoProcess.get(http, second.apiPort(), "/todos").body();
                assertThat(todos).contains("buy milk", "write docs");
                assertThat(second.output()).contains("0 applied").doesNotContain(PASSWORD);
            }
        }
        assertThat(query(url, "SELECT count(*) FROM todos")).isEqualTo(2);
    }

    @Test
    void two_demos_starting_at_once_on_an_empty_database_migrate_once_and_both_serve() throws Exception {
        String url = emptySchema();
        try (HttpClient http = HttpClient.newHttpClient();
                DemoProcess a = DemoProcess.start(Map.of("DATABASE_URL", url));
                DemoProcess b = DemoProcess.start(Map.of("DATABASE_URL", url))) {
            int apiA = a.apiPort();
            int apiB = b.apiPort();
            assertThat(DemoProcess.postJson(http, apiA, "/todos", "{\"title\":\"from a\"}").statusCode()).isEqualTo(201);
            assertThat(DemoProcess.postJson(http, apiB, "/todos", "{\"title\":\"from b\"}").statusCode()).isEqualTo(201);
            // one database: each instance sees what the other wrote
            assertThat(DemoProcess.get(http, apiA, "/todos").body()).contains("from a", "from b");
            assertThat(DemoProcess.get(http, apiB, "/todos").body()).contains("from a", "from b");
            for (DemoProcess demo : List.of(a, b)) {
                assertThat(DemoProcess.get(http, demo.adminPort(), "/health/ready").statusCode()).isEqualTo(200);
            }
            // Flyway's advisory lock: one applied V1, the other found it done
            assertThat(List.of(a.output(), b.output()))
                    .filteredOn(out -> out.contains("database migrations: 1 applied")).hasSize(1);
            assertThat(List.of(a.output(), b.output()))
                    .filteredOn(out -> out.contains("database migrations: 0 applied")).hasSize(1);
            assertThat(a.output() + b.output()).doesNotContain(PASSWORD);
        }
        assertThat(query(url, "SELECT count(*) FROM flyway_schema_history WHERE success AND version = '1'"))
                .isEqualTo(1);
    }

    @Test
    void a_wrong_password_is_one_line_saying_authentication_failed_not_unreachable() throws Exception {
        String line = DatabaseStartupTest.failsAtStart("postgres://benchmarkdbuser:" + DatabaseStartupTest.PASSWORD
                + "@" + hostPort + "/hello_world");
        assertThat(line).contains(hostPort, "authentication failed", "benchmarkdbuser").doesNotContain("unreachable");
    }

    @Test
    void an_unknown_user_is_one_line_saying_authentication_failed() throws Exception {
        String line = DatabaseStartupTest.failsAtStart("postgres://nobody_here:" + DatabaseStartupTest.PASSWORD
                + "@" + hostPort + "/hello_world");
        assertThat(line).contains(hostPort, "authentication failed").doesNotContain("unreachable");
    }

    @Test
    void a_database_that_does_not_exist_is_one_line_naming_it() throws Exception {
        String line = DatabaseStartupTest.failsAtStart("postgres://benchmarkdbuser:" + PASSWORD
                + "@" + hostPort + "/no_such_todo_db");
        assertThat(line).contains(hostPort, "does not exist", "no_such_todo_db").doesNotContain("unreachable")
                .doesNotContain(PASSWORD);
    }
}
