package dev.weft.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.server.Server;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The examples in the Javadoc of {@code dev.weft.config} and in docs/configuration.md. */
class ConfigExamples {
    // @start region=record
    /** The application's configuration: one component per variable. */
    public record AppConfig(
            java.net.URI databaseUrl,            // DATABASE_URL, required
            Secret databasePassword,             // DATABASE_PASSWORD (or DATABASE_PASSWORD_FILE), required, masked
            int databaseMaxConnections,          // DATABASE_MAX_CONNECTIONS, 1..1000 (see the binding)
            Duration databaseAcquireTimeout,     // DATABASE_ACQUIRE_TIMEOUT, default 5s
            Optional<String> sentryDsn,          // SENTRY_DSN, optional
            List<String> features) {}            // FEATURES, comma-separated, default empty
    // @end

    // @start region=bind
    static AppConfig bind(Config config) {
        return config.binding(AppConfig.class)
                .parser("databaseUrl", Parsers.uri("postgres", "postgresql"))
                .parser("databaseMaxConnections", Parsers.integer(1, 1000))
                .defaults(new AppConfig(null, null, 10, Duration.ofSeconds(5), Optional.empty(), List.of()))
                .bind();
    }
    // @end

    @Test
    void bind_reads_a_record_with_defaults() {
        Config config = Config.from(Map.of("DATABASE_URL", "postgres://db:5432/app",
                "DATABASE_PASSWORD", "hunter2", "FEATURES", "a, b"));
        AppConfig app = bind(config);
        config.check();
        assertThat(app.databaseUrl().getHost()).isEqualTo("db");
        assertThat(app.databaseMaxConnections()).isEqualTo(10);
        assertThat(app.databaseAcquireTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(app.features()).containsExactly("a", "b");
        assertThat(app.sentryDsn()).isEmpty();
        assertThat(app.toString()).doesNotContain("hunter2");
        assertThat(config.table()).contains("postgres://db:5432/app").doesNotContain("hunter2");
    }

    // @start region=fields
    record Db(String url, int maxConnections, Duration timeout, boolean migrate) {}

    static Db fields(Config config) {
        return config.read(c -> new Db(                              // check() runs after the reads
                c.required("DATABASE_URL", Parsers.string()),
                c.required("DATABASE_MAX_CONNECTIONS", Parsers.integer(1, 1000)),
                c.optional("DATABASE_TIMEOUT", Parsers.duration(), Duration.ofSeconds(5)),
                c.optional("DATABASE_MIGRATE", Parsers.bool()).orElse(true)));
    }
    // @end

    @Test
    void fields_report_every_problem_at_once() {
        assertThat(fields(Config.from(Map.of("DATABASE_URL", "jdbc:h2:mem:x", "DATABASE_MAX_CONNECTIONS", "5"))))
                .isEqualTo(new Db("jdbc:h2:mem:x", 5, Duration.ofSeconds(5), true));
        assertThatThrownBy(() -> fields(Config.from(Map.of("DATABASE_TIMEOUT", "5 seconds", "DATABASE_MIGRATE", "yes"))))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems()).extracting(ConfigEntry::name)
                        .containsExactly("DATABASE_URL", "DATABASE_MAX_CONNECTIONS", "DATABASE_TIMEOUT", "DATABASE_MIGRATE"));
    }

    // @start region=server
    static Server.Builder server(Config config) {
        return ServerEnv.read(config)          // WEFT_PORT, WEFT_IDLE_TIMEOUT, ... when set
                .shutdownOnSignal(true);        // what is not in the environment stays in code
    }
    // @end

    @Test
    void server_options_come_from_weft_variables() {
        Config config = Config.from(Map.of("WEFT_PORT", "0", "WEFT_IDLE_TIMEOUT", "90s"));
        Server server = server(config).build();
        config.check();
        assertThat(server).isNotNull();
        assertThat(config.table()).contains("WEFT_IDLE_TIMEOUT", "\"90s\"", "env");
    }

    // @start region=secret
    static String connect(Config config) {
        Secret password = config.required("DATABASE_PASSWORD", Parsers.secret());
        config.check();
        String shown = "password: " + password;          // "password: ****"
        return shown + " / length " + password.reveal().length();
    }
    // @end

    @Test
    void secret_never_shows_itself() {
        assertThat(connect(Config.from(Map.of("DATABASE_PASSWORD", "hunter2")))).isEqualTo("password: **** / length 7");
    }

    // @start region=main
    public static void main(String[] args) {
        Config config = Config.fromEnvironment();
        AppConfig app = bind(config);
        Server.Builder server = ServerEnv.read(config);
        ConfigCheck.run(args, config);   // problems: the table on stderr, exit 78; --check-config: table, exit 0/78
        // Only now is anything started.
        System.out.println("starting with " + app.databaseMaxConnections() + " connections on " + server);
    }
    // @end

    @Test
    void check_config_prints_the_sanitized_table_and_exits_zero() {
        Config config = Config.from(Map.of("DATABASE_URL", "postgres://app:hunter2@db/app",
                "DATABASE_PASSWORD", "hunter2", "WEFT_PORT", "8081"));
        bind(config);
        ServerEnv.read(config);
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        OptionalInt exit = ConfigCheck.evaluate(List.of("--check-config"), config,
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(exit).hasValue(0);
        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(printed).contains("DATABASE_PASSWORD", "****", "WEFT_PORT", "\"8081\"", "default", "unset")
                .doesNotContain("hunter2");
    }
}
