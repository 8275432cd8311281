package dev.weft.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.WeftException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigTest {
    @TempDir
    Path dir;

    private static ConfigException problems(Config config) {
        try {
            config.check();
        } catch (ConfigException e) {
            return e;
        }
        throw new AssertionError("no problems in\n" + config.table());
    }

    @Test
    void several_problems_are_reported_together_in_one_table() {
        Config config = Config.from(Map.of("DATABASE_ACQUIRE_TIMEOUT", "5 seconds", "DEBUG", "yes",
                "WEFT_PORT", "70000", "WEFT_IDLE_TIMEOUT", "-5s", "WEFT_TRUSTED_PROXIES", "10.0.0.0/33,nope"));
        config.required("DATABASE_MAX_CONNECTIONS", Parsers.integer(1, 1000));
        config.optional("DATABASE_ACQUIRE_TIMEOUT", Parsers.duration(), Duration.ofSeconds(5));
        config.optional("DEBUG", Parsers.bool(), false);
        ServerEnv.read(config);
        ConfigException e = problems(config);
        assertThat(e.problems()).extracting(ConfigEntry::name).containsExactly("DATABASE_MAX_CONNECTIONS",
                "DATABASE_ACQUIRE_TIMEOUT", "DEBUG", "WEFT_PORT", "WEFT_IDLE_TIMEOUT", "WEFT_TRUSTED_PROXIES");
        assertThat(e.getMessage()).startsWith("configuration is invalid (6 problems); nothing was started\n")
                .contains("NAME", "VALUE", "EXPECTED")
                .containsPattern("DATABASE_MAX_CONNECTIONS +\\| missing +\\| integer 1\\.\\.1000")
                .containsPattern("DEBUG +\\| \"yes\" +\\| true or false \\(write true, not 'yes'\\)")
                .contains("\"5 seconds\"", "\"70000\"", "port 0..65535", "prefix length", "item 2");
        // one line per problem, plus the title and the header
        assertThat(e.getMessage().lines()).hasSize(8);
    }

    @Test
    void secrets_are_masked_in_the_table_the_exception_and_to_string() {
        Map<String, String> env = Map.of("DATABASE_PASSWORD", "hunter2", "API_TOKEN", "tok-123", "SIGNING_KEY", "k3y",
                "CLIENT_SECRET", "s3cr3t", "DATABASE_URL", "postgres://app:pa55@db/app?sslpassword=x9&ssl=true",
                "GIT_URL", "https://ghp_abc@github.example/x", "ADMIN_PASSWORD", "notabool", "PIN", "1234x");
        Config config = Config.from(env);
        config.required("DATABASE_PASSWORD", Parsers.string());
        config.required("API_TOKEN", Parsers.string());
        config.required("SIGNING_KEY", Parsers.string());
        config.required("CLIENT_SECRET", Parsers.string());
        config.required("DATABASE_URL", Parsers.string());
        config.required("GIT_URL", Parsers.string());
        config.required("ADMIN_PASSWORD", Parsers.bool());                 // invalid: reason must not quote it
        config.required("PIN", Parsers.sensitive(Parsers.integer(0, 9999))); // invalid, marked secret
        String table = config.table();
        ConfigException e = problems(config);
        for (String text : List.of(table, e.getMessage(), e.toString(), config.toString(), e.problems().toString())) {
            assertThat(text).doesNotContain("hunter2", "tok-123", "k3y", "s3cr3t", "pa55", "x9", "ghp_abc", "notabool", "1234x");
        }
        assertThat(table).contains("postgres://app:****@db/app?sslpassword=****&ssl=true", "https://****@github.example/x");
        assertThat(e.problems()).extracting(ConfigEntry::shownValue).containsOnly("****");
        assertThat(e.problems()).extracting(p -> p.problem().orElseThrow()).containsOnly("invalid");
    }

    @Test
    void hostile_values_cannot_forge_table_lines_or_flood_it() {
        Config config = Config.from(Map.of("A", "1\nB | \"ok\" | forged", "C", "x".repeat(10_000), "D", "\u001b[31mred"));
        config.required("A", Parsers.integer());
        config.required("C", Parsers.integer());
        config.required("D", Parsers.integer());
        String message = problems(config).getMessage();
        assertThat(message.lines()).hasSize(5);
        assertThat(message).contains("1\\u000aB").contains("\\u001b[31mred").doesNotContain("\u001b").hasSizeLessThan(1000);
    }

    @Test
    void an_empty_value_counts_as_unset() {
        Config config = Config.from(Map.of("PORT", "", "HOST", ""));
        assertThat(config.optional("HOST", Parsers.string(), "0.0.0.0")).isEqualTo("0.0.0.0");
        config.required("PORT", Parsers.port());
        assertThat(problems(config).problems()).singleElement().satisfies(p -> assertThat(p.shownValue()).isEqualTo("missing"));
    }

    @Test
    void a_required_primitive_that_is_missing_gives_a_placeholder_so_every_problem_is_collected() {
        Config config = Config.from(Map.of());
        int port = config.required("PORT", Parsers.port());
        boolean debug = config.required("DEBUG", Parsers.bool());
        assertThat(port).isEqualTo(1);
        assertThat(debug).isFalse();
        assertThat(problems(config).problems()).hasSize(2);
    }

    @Test
    void the_file_indirection_reads_the_value_and_trims_one_newline() throws Exception {
        Path secret = Files.writeString(dir.resolve("db-password"), "hunter2\n");
        Path crlf = Files.writeString(dir.resolve("token"), "t0k\r\n");
        Path two = Files.writeString(dir.resolve("two"), "v\n\n");
        Config config = Config.from(Map.of("DATABASE_PASSWORD_FILE", secret.toString(), "API_TOKEN_FILE", crlf.toString(),
                "TWO_FILE", two.toString()));
        assertThat(config.required("DATABASE_PASSWORD", Parsers.secret()).reveal()).isEqualTo("hunter2");
        assertThat(config.required("API_TOKEN", Parsers.string())).isEqualTo("t0k");
        assertThat(config.required("TWO", Parsers.string())).isEqualTo("v\n");
        config.check();
        assertThat(config.entries()).extracting(ConfigEntry::source).containsOnly(ConfigEntry.Source.FILE);
        assertThat(config.table()).doesNotContain("hunter2", "t0k").contains("file");
        assertThat(config.warnings()).isEmpty();
    }

    @Test
    void file_indirection_problems_name_the_path_never_the_content() throws Exception {
        Path readable = Files.writeString(dir.resolve("pw"), "hunter2");
        Path big = Files.write(dir.resolve("big"), new byte[Config.MAX_FILE_BYTES + 1]);
        Path latin1 = Files.write(dir.resolve("latin1"), "caf\u00e9".getBytes(StandardCharsets.ISO_8859_1));
        Path empty = Files.writeString(dir.resolve("empty"), "\n");
        Map<String, String> env = new HashMap<>();
        env.put("BOTH", "hunter2");
        env.put("BOTH_FILE", readable.toString());
        env.put("GONE_FILE", dir.resolve("missing").toString());
        env.put("DIRECTORY_FILE", dir.toString());
        env.put("BIG_FILE", big.toString());
        env.put("LATIN_FILE", latin1.toString());
        env.put("EMPTY_FILE", empty.toString());
        env.put("NUL_FILE", "a\u0000b");
        Config config = Config.from(env);
        for (String name : List.of("BOTH", "GONE", "DIRECTORY", "BIG", "LATIN", "EMPTY", "NUL")) {
            config.required(name, Parsers.string());
        }
        ConfigException e = problems(config);
        assertThat(e.problems()).hasSize(7);
        assertThat(e.getMessage()).doesNotContain("hunter2", "caf")
                .contains("both BOTH and BOTH_FILE are set", dir.resolve("missing") + "\": no such file",
                        "larger than 65536 bytes", "not UTF-8", "empty file", "not a valid path");
    }

    @Test
    void an_unknown_weft_variable_gets_a_did_you_mean() {
        Config config = Config.from(Map.of("WEFT_POTR", "8080", "WEFT_IDLE_TIMOUT", "5s", "WEFT_ZZZZZZZZZZ", "1",
                "WEFT_PORT_FILE", "/nope-is-fine-unread", "OTHER_THING", "x"));
        ServerEnv.read(config);
        assertThat(config.warnings()).containsExactly(
                "unknown configuration variable WEFT_IDLE_TIMOUT (ignored); did you mean WEFT_IDLE_TIMEOUT?",
                "unknown configuration variable WEFT_POTR (ignored); did you mean WEFT_PORT?",
                "unknown configuration variable WEFT_ZZZZZZZZZZ (ignored)");
    }

    public record Pool(String databaseUrl, int maxSize, Optional<Duration> idleTimeout, boolean enabled, List<Integer> ports) {
        public Pool {
            if (maxSize < 0) {
                throw new IllegalArgumentException("maxSize must not be negative");
            }
        }
    }

    @Test
    void bind_derives_names_and_reports_every_component() {
        Config config = Config.from(Map.of("POOL_MAX_SIZE", "many", "POOL_ENABLED", "1", "POOL_PORTS", "80,x"));
        Pool pool = config.binding(Pool.class).prefix("POOL_").bind();
        assertThat(pool).isNotNull();
        assertThat(problems(config).problems()).extracting(ConfigEntry::name)
                .containsExactly("POOL_DATABASE_URL", "POOL_MAX_SIZE", "POOL_ENABLED", "POOL_PORTS");
    }

    @Test
    void bind_takes_given_names_and_turns_a_constructor_refusal_into_a_problem() {
        Config config = Config.from(Map.of("JDBC_URL", "jdbc:h2:mem:", "POOL_MAX", "-1", "ENABLED", "true", "PORTS", "80"));
        Pool pool = config.binding(Pool.class).name("databaseUrl", "JDBC_URL").name("maxSize", "POOL_MAX").bind();
        assertThat(pool).isNull();
        assertThat(problems(config).getMessage()).contains("Pool", "maxSize must not be negative");
    }

    @Test
    void bind_reads_valid_values() {
        Config config = Config.from(Map.of("DATABASE_URL", "jdbc:h2:mem:", "MAX_SIZE", "3", "IDLE_TIMEOUT", "PT1M",
                "ENABLED", "false", "PORTS", "80, 443"));
        assertThat(config.bind(Pool.class))
                .isEqualTo(new Pool("jdbc:h2:mem:", 3, Optional.of(Duration.ofMinutes(1)), false, List.of(80, 443)));
        config.check();
    }

    @Test
    void bind_refuses_types_it_cannot_parse_as_a_programming_error() {
        record Odd(Object thing) {}
        assertThatThrownBy(() -> Config.from(Map.of()).bind(Odd.class)).isInstanceOf(WeftException.class)
                .hasMessageContaining("no parser for component thing");
        assertThatThrownBy(() -> Config.from(Map.of()).binding(Pool.class).name("nope", "X"))
                .hasMessageContaining("has no component nope");
    }

    @Test
    void derived_names_split_camel_case_acronyms_and_digits() {
        assertThat(Binding.envName("databaseMaxConnections")).isEqualTo("DATABASE_MAX_CONNECTIONS");
        assertThat(Binding.envName("baseURL")).isEqualTo("BASE_URL");
        assertThat(Binding.envName("httpURLPath")).isEqualTo("HTTP_URL_PATH");
        assertThat(Binding.envName("http2MaxFrameBytes")).isEqualTo("HTTP2_MAX_FRAME_BYTES");
        assertThat(Binding.envName("port")).isEqualTo("PORT");
    }

    @Test
    void secret_sounding_names_are_recognised() {
        for (String name : List.of("DATABASE_PASSWORD", "API_TOKEN", "SIGNING_KEY", "CLIENT_SECRET", "AWS_SECRET_ACCESS_KEY",
                "GITHUB_ACCESS_TOKEN", "PGPASSWORD", "TLS_PRIVATE_KEY_PEM", "GCP_CREDENTIALS", "PASSWORD")) {
            assertThat(Tables.secretName(name)).as(name).isTrue();
        }
        for (String name : List.of("PORT", "DATABASE_URL", "KEYCLOAK_URL", "MONKEY_COUNT")) {
            assertThat(Tables.secretName(name)).as(name).isFalse();
        }
    }
}
