package dev.weft.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.weft.config.Config;
import dev.weft.config.ConfigException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The contract on the embedded H2 default, plus settings and URL handling. */
class DatabaseTest extends DatabaseContract {

    @Override
    Database.Settings fresh() {
        return Database.Settings.defaults(); // every start is a new in-memory database
    }

    @Test
    void unset_variables_give_the_documented_defaults_and_the_embedded_database() {
        Database.Settings s = Config.from(Map.of()).read(Database::settings);
        assertThat(s).isEqualTo(Database.Settings.defaults());
        Database db = start(s);
        assertThat(db.url()).startsWith("jdbc:h2:mem:").contains("MODE=PostgreSQL", "DATABASE_TO_LOWER=TRUE");
    }

    @Test
    void every_invalid_variable_is_reported_at_once_and_the_password_never_shown() {
        Config config = Config.from(Map.of(
                "DATABASE_URL", "mysql://app:hunter2@db:3306/app",
                "DATABASE_MAX_CONNECTIONS", "0",
                "DATABASE_MIN_CONNECTIONS", "lots",
                "DATABASE_ACQUIRE_TIMEOUT", "30ms",
                "DATABASE_MAX_LIFETIME", "1s",
                "DATABASE_IDLE_TIMEOUT", "forever",
                "DATABASE_STARTUP_TIMEOUT", "1h",
                "DATABASE_LEAK_DETECTION", "1ms"));
        assertThatThrownBy(() -> config.read(Database::settings))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> {
                    assertThat(((ConfigException) e).problems()).extracting(p -> p.name()).containsExactlyInAnyOrder(
                            "DATABASE_URL", "DATABASE_MAX_CONNECTIONS", "DATABASE_MIN_CONNECTIONS",
                            "DATABASE_ACQUIRE_TIMEOUT", "DATABASE_MAX_LIFETIME", "DATABASE_IDLE_TIMEOUT",
                            "DATABASE_STARTUP_TIMEOUT", "DATABASE_LEAK_DETECTION");
                    assertThat(e.getMessage()).doesNotContain("hunter2");
                });
        assertThat(config.table()).doesNotContain("hunter2");
    }

    @Test
    void an_app_can_make_the_pool_size_required() {
        Config config = Config.from(Map.of());
        assertThatThrownBy(() -> config.read(c -> Database.settings(c, true)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("DATABASE_MAX_CONNECTIONS");
    }

    @Test
    void min_connections_above_max_is_a_problem() {
        Config config = Config.from(Map.of("DATABASE_MAX_CONNECTIONS", "4", "DATABASE_MIN_CONNECTIONS", "5"));
        assertThatThrownBy(() -> config.read(Database::settings)).hasMessageContaining("DATABASE_MIN_CONNECTIONS");
    }

    @Test
    void postgres_urls_become_jdbc_urls_with_the_credentials_taken_out() {
        DatabaseUrl u = DatabaseUrl.parse("postgres://app:p%40ss:w@db.internal:6543/todos?sslmode=require");
        assertThat(u.jdbcUrl()).isEqualTo("jdbc:postgresql://db.internal:6543/todos?sslmode=require");
        assertThat(u.user()).isEqualTo("app");
        assertThat(u.password()).isEqualTo("p@ss:w");
        assertThat(u.address()).isEqualTo("db.internal:6543");
        assertThat(u.toString()).doesNotContain("p@ss");
        assertThat(DatabaseUrl.parse("postgresql://h/db").address()).isEqualTo("h:5432");
        assertThat(DatabaseUrl.parse("jdbc:postgresql://h:7/db?user=a&password=secret").address()).isEqualTo("h:7");
        assertThat(Database.mask("jdbc:postgresql://h:7/db?user=a&password=secret")).doesNotContain("secret");
        assertThat(Database.mask("postgres://a:secret@h/db")).isEqualTo("postgres://a:****@h/db");
        assertThat(Database.mask("at jdbc:x://h/db?password=secret cannot be used"))
                .isEqualTo("at jdbc:x://h/db?password=**** cannot be used");
        for (String bad : new String[] {"postgres://", "postgres://a:b@/db", "postgres://h", "http://h/db", "jdbc:", "x"}) {
            assertThatThrownBy(() -> DatabaseUrl.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .message().doesNotContain("secret");
        }
    }

    @Test
    void an_unreachable_database_fails_within_the_startup_timeout_naming_host_and_port() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // closed again: nothing listens there
        }
        assertThat(startupFailure("postgres://app:hunter2@127.0.0.1:" + port + "/app"))
                .startsWith("database at 127.0.0.1:" + port + " unreachable (gave up after ")
                .contains("DATABASE_STARTUP_TIMEOUT 1s");
    }

    /** Starting with {@code url} fails with one line, within the 1 s startup timeout plus a margin, without the password. */
    private static String startupFailure(String url) {
        Database.Settings s = Database.Settings.defaults().withUrl(url).withStartupTimeout(Duration.ofSeconds(1));
        long start = System.nanoTime();
        Throwable thrown = catchThrowable(() -> Database.start(s).close());
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(8));
        assertThat(thrown).isInstanceOf(DatabaseException.class);
        String message = thrown.getMessage();
        assertThat(message).doesNotContain("hunter2").doesNotContain("\n").doesNotContain("\r");
        return message;
    }

    @Test
    void a_host_that_does_not_resolve_is_named_as_such_not_as_unreachable() {
        assertThat(startupFailure("postgres://app:hunter2@db.invalid:5432/app"))
                .startsWith("database host db.invalid does not resolve").contains("db.invalid:5432");
    }

    @Test
    void a_listener_that_accepts_but_never_answers_fails_within_the_startup_timeout() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            // the kernel completes the TCP handshake; nobody ever reads or answers
            assertThat(startupFailure("postgres://app:hunter2@127.0.0.1:" + silent.getLocalPort() + "/app"))
                    .contains("127.0.0.1:" + silent.getLocalPort());
        }
    }

    @Test
    void a_listener_that_is_not_postgresql_fails_naming_host_and_port() throws Exception {
        try (ServerSocket http = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> {
                while (!http.isClosed()) {
                    try (java.net.Socket s = http.accept()) {
                        s.getOutputStream().write("HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n"
                                .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    } catch (java.io.IOException e) {
                        return;
                    }
                }
            });
            assertThat(startupFailure("postgres://app:hunter2@127.0.0.1:" + http.getLocalPort() + "/app"))
                    .contains("127.0.0.1:" + http.getLocalPort());
        }
    }

    @Test
    void a_jdbc_url_without_a_driver_says_the_url_cannot_be_used() {
        assertThat(startupFailure("jdbc:nosuchdriver://h/db?password=hunter2"))
                .startsWith("DATABASE_URL jdbc:nosuchdriver://h/db?password=**** cannot be used: ");
    }

    @Test
    void a_failing_migration_is_one_line_naming_the_migration() {
        Database db = start(fresh());
        assertThatThrownBy(() -> db.migrate("classpath:db/broken")).isInstanceOf(DatabaseException.class)
                .hasMessageStartingWith("database migration on embedded H2 failed: ")
                .hasMessageContaining("V1__broken")
                .message().doesNotContain("\n");
    }

    @Test
    void the_pool_meters_appear_in_a_micrometer_registry() {
        var registry = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        Database db = start(Database.Settings.defaults().withPool(3, 3));
        db.bindMetrics(registry);
        db.withConnection(c -> c.isValid(1));
        assertThat(registry.find("hikaricp.connections.active").gauge()).isNotNull();
        assertThat(registry.find("hikaricp.connections.idle").gauge()).isNotNull();
        assertThat(registry.find("hikaricp.connections.pending").gauge()).isNotNull();
        assertThat(registry.find("hikaricp.connections.timeout").counter()).isNotNull();
        assertThat(registry.find("hikaricp.connections.acquire").timer().count()).isPositive();
        assertThatThrownBy(() -> db.bindMetrics("not a registry")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void the_settings_never_print_a_password() {
        assertThat(Database.Settings.defaults().withUrl("postgres://a:hunter2@h/db").toString())
                .doesNotContain("hunter2").contains("****");
        assertThat(Database.Settings.defaults().url()).isEqualTo(Optional.empty());
    }
}
