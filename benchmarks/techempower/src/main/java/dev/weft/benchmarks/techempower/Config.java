package dev.weft.benchmarks.techempower;

import dev.weft.server.InvalidConfigException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The app's settings, read from the environment:
 *
 * <table>
 *   <caption>Environment</caption>
 *   <tr><th>variable</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code HOST}</td><td>{@code 0.0.0.0}</td><td>address to bind</td></tr>
 *   <tr><td>{@code PORT}</td><td>8080</td><td>HTTP port</td></tr>
 *   <tr><td>{@code WEFT_DB_URL}</td><td>{@code jdbc:postgresql://127.0.0.1:55432/hello_world}</td><td>JDBC URL of the database</td></tr>
 *   <tr><td>{@code WEFT_DB_USER}</td><td>{@code benchmarkdbuser}</td><td>database user</td></tr>
 *   <tr><td>{@code WEFT_DB_PASSWORD}</td><td>{@code benchmarkdbpass}</td><td>database password</td></tr>
 *   <tr><td>{@code WEFT_DB_POOL}</td><td>2 × available processors</td><td>connections in weft-jdbc's pool (1..1000, as {@code DATABASE_MAX_CONNECTIONS}), all opened at startup; the peers read the same variable</td></tr>
 * </table>
 *
 * @param host address to bind
 * @param port HTTP port
 * @param dbUrl JDBC URL
 * @param dbUser database user
 * @param dbPassword database password
 * @param poolSize connections in the pool, opened at startup and kept
 */
public record Config(String host, int port, String dbUrl, String dbUser, String dbPassword, int poolSize) {
    public static final String DEFAULT_DB_URL = "jdbc:postgresql://127.0.0.1:55432/hello_world";

    /**
     * Reads the settings from {@code env}.
     *
     * @throws InvalidConfigException listing every invalid variable, not just the first
     */
    public static Config fromEnv(Map<String, String> env) {
        List<String> problems = new ArrayList<>();
        String host = env.getOrDefault("HOST", "0.0.0.0");
        int port = integer(env, "PORT", 8080, 0, 65535, problems);
        String url = env.getOrDefault("WEFT_DB_URL", DEFAULT_DB_URL);
        if (!url.startsWith("jdbc:postgresql:")) {
            problems.add("WEFT_DB_URL must be a PostgreSQL JDBC URL (jdbc:postgresql://host:port/database), got '" + url + "'");
        }
        String user = env.getOrDefault("WEFT_DB_USER", "benchmarkdbuser");
        String password = env.getOrDefault("WEFT_DB_PASSWORD", "benchmarkdbpass");
        int pool = integer(env, "WEFT_DB_POOL", 2 * Runtime.getRuntime().availableProcessors(), 1, 1000, problems);
        if (!problems.isEmpty()) {
            throw new InvalidConfigException(problems);
        }
        return new Config(host, port, url, user, password, pool);
    }

    private static int integer(Map<String, String> env, String name, int fallback, int min, int max, List<String> problems) {
        String text = env.get(name);
        if (text == null) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(text.trim());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problems.add(name + " must be an integer from " + min + " to " + max + ", got '" + text + "'");
        return fallback;
    }

    @Override
    public String toString() {
        return "Config[host=" + host + ", port=" + port + ", dbUrl=" + dbUrl + ", dbUser=" + dbUser
                + ", poolSize=" + poolSize + "]";
    }
}
