package dev.weft.benchmarks.techempower;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.server.InvalidConfigException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigTest {

    @Test
    void defaults_point_at_the_pg_start_database() {
        Config config = Config.fromEnv(Map.of());
        assertThat(config.port()).isEqualTo(8080);
        assertThat(config.dbUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:55432/hello_world");
        assertThat(config.dbUser()).isEqualTo("benchmarkdbuser");
        assertThat(config.dbPassword()).isEqualTo("benchmarkdbpass");
        assertThat(config.poolSize()).isEqualTo(2 * Runtime.getRuntime().availableProcessors());
    }

    @Test
    void the_environment_overrides_every_default() {
        Config config = Config.fromEnv(Map.of("HOST", "127.0.0.1", "PORT", "9000",
                "WEFT_DB_URL", "jdbc:postgresql://db:5432/bench", "WEFT_DB_USER", "u", "WEFT_DB_PASSWORD", "p",
                "WEFT_DB_POOL", "64"));
        assertThat(config).isEqualTo(new Config("127.0.0.1", 9000, "jdbc:postgresql://db:5432/bench", "u", "p", 64));
    }

    @Test
    void every_invalid_variable_is_reported_at_once() {
        assertThatThrownBy(() -> Config.fromEnv(Map.of("PORT", "http", "WEFT_DB_POOL", "0", "WEFT_DB_URL", "postgres://x")))
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> assertThat(e.problems())
                        .hasSize(3)
                        .anySatisfy(p -> assertThat(p).startsWith("PORT"))
                        .anySatisfy(p -> assertThat(p).startsWith("WEFT_DB_POOL"))
                        .anySatisfy(p -> assertThat(p).startsWith("WEFT_DB_URL")));
    }

    @Test
    void the_password_is_not_printed() {
        assertThat(Config.fromEnv(Map.of("WEFT_DB_PASSWORD", "s3cret"))).asString().doesNotContain("s3cret");
    }
}
