package dev.weft.benchmarks.techempower;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.jdbc.Database.Settings;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The app's WEFT_DB_* variables mapped onto weft-jdbc's settings. */
class DatabaseSettingsTest {

    @Test
    void the_pool_is_fixed_at_weft_db_pool_connections() {
        Settings settings = Database.settings(Config.fromEnv(Map.of("WEFT_DB_POOL", "16")));
        assertThat(settings.maxConnections()).isEqualTo(16);
        assertThat(settings.minConnections()).isEqualTo(16);
    }

    @Test
    void everything_else_is_weft_jdbc_s_default() {
        Settings settings = Database.settings(Config.fromEnv(Map.of()));
        Settings defaults = Settings.defaults();
        assertThat(settings.acquireTimeout()).isEqualTo(defaults.acquireTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.maxLifetime()).isEqualTo(defaults.maxLifetime());
        assertThat(settings.idleTimeout()).isEqualTo(defaults.idleTimeout());
        assertThat(settings.startupTimeout()).isEqualTo(defaults.startupTimeout());
        assertThat(settings.leakDetection()).isEmpty();
    }

    @Test
    void user_and_password_travel_as_encoded_jdbc_parameters() {
        Settings settings = Database.settings(Config.fromEnv(Map.of(
                "WEFT_DB_URL", "jdbc:postgresql://db:5432/bench", "WEFT_DB_USER", "bench user",
                "WEFT_DB_PASSWORD", "p&ss=w@rd")));
        assertThat(settings.url()).contains("jdbc:postgresql://db:5432/bench?user=bench+user&password=p%26ss%3Dw%40rd");
    }

    @Test
    void parameters_already_in_the_url_are_kept() {
        Settings settings = Database.settings(Config.fromEnv(Map.of(
                "WEFT_DB_URL", "jdbc:postgresql://db/bench?sslmode=disable")));
        assertThat(settings.url()).contains(
                "jdbc:postgresql://db/bench?sslmode=disable&user=benchmarkdbuser&password=benchmarkdbpass");
    }

    @Test
    void the_password_is_masked_when_the_settings_are_printed() {
        Settings settings = Database.settings(Config.fromEnv(Map.of("WEFT_DB_PASSWORD", "s3cret")));
        assertThat(settings).asString().doesNotContain("s3cret").contains("password=****");
    }
}
