package dev.weft.examples.todo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.jdbc.Database;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The demo process when its database is wrong at start and no PostgreSQL is needed to show it:
 * one line on stderr naming host and port, no stack trace, no password, exit 69, within the
 * startup timeout. PostgresIT adds the cases that need a server (credentials, database name).
 */
class DatabaseStartupTest {
    static final String PASSWORD = "hunter2-never-shown";
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(2);
    // JVM start, the demo's classes and the timeout itself, on 2 busy cores
    private static final Duration MARGIN = Duration.ofSeconds(20);

    /**
     * Starts the demo on {@code url} with a 2 s startup timeout and checks it failed the documented
     * way; returns its one stderr line.
     */
    static String failsAtStart(String url) throws Exception {
        return failsAtStart(url, STARTUP_TIMEOUT);
    }

    /** {@link #failsAtStart(String)} with another startup timeout. */
    static String failsAtStart(String url, Duration timeout) throws Exception {
        long started = System.nanoTime();
        DemoProcess demo = DemoProcess.start(Map.of("DATABASE_URL", url,
                "DATABASE_STARTUP_TIMEOUT", timeout.toSeconds() + "s"));
        try {
            assertThat(demo.exited(timeout.plus(MARGIN))).as("exited in time:\n%s", demo.output()).isTrue();
        } finally {
            demo.close();
        }
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(timeout.plus(MARGIN));
        List<String> stderr = demo.stderr();
        assertThat(demo.exitValue()).as(demo.output()).isEqualTo(Database.EX_UNAVAILABLE);
        assertThat(stderr).as(demo.output()).hasSize(1);
        String line = stderr.getFirst();
        assertThat(line).startsWith("weft-todo: cannot start: ");
        assertThat(demo.output()).doesNotContain(PASSWORD).doesNotContainPattern("\\n\\s+at ")
                .doesNotContain("Exception").doesNotContain("listening on");
        return line;
    }

    private static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort(); // closed again: nothing listens there
        }
    }

    @Test
    void nothing_listening_on_the_port_is_one_line_naming_host_and_port_and_exit_69() throws Exception {
        int port = closedPort();
        assertThat(failsAtStart("postgres://todo:" + PASSWORD + "@127.0.0.1:" + port + "/todo"))
                .contains("127.0.0.1:" + port, "unreachable", "DATABASE_STARTUP_TIMEOUT");
    }

    @Test
    void a_host_that_does_not_resolve_is_one_line_naming_the_host() throws Exception {
        assertThat(failsAtStart("postgres://todo:" + PASSWORD + "@todo-db.invalid:5432/todo"))
                .contains("todo-db.invalid does not resolve", "todo-db.invalid:5432");
    }

    @Test
    void a_listener_that_never_answers_cannot_hang_the_start() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            // the kernel completes the TCP handshake; nobody ever reads or answers
            assertThat(failsAtStart("postgres://todo:" + PASSWORD + "@127.0.0.1:" + silent.getLocalPort() + "/todo"))
                    .contains("127.0.0.1:" + silent.getLocalPort());
        }
    }

    @Test
    void a_malformed_url_is_a_configuration_error_exit_78_not_69() throws Exception {
        DemoProcess demo = DemoProcess.start(Map.of("DATABASE_URL", "postgres://todo:" + PASSWORD + "@/todo"));
        try {
            assertThat(demo.exited(Duration.ofSeconds(30))).isTrue();
        } finally {
            demo.close();
        }
        assertThat(demo.exitValue()).as(demo.output()).isEqualTo(78);
        assertThat(demo.output()).contains("DATABASE_URL").doesNotContain(PASSWORD).doesNotContain("listening on");
    }
}
