package dev.weft.benchmarks.techempower;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.json.JsonCodec;
import dev.weft.test.TestClient;
import dev.weft.test.TestResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Map;

/**
 * The app on a free port over the database the build started (WEFT_DB_URL, set by failsafe), and
 * plain JDBC to check what it answered against what is stored.
 */
final class RunningApp implements AutoCloseable {
    /** A JSON world with exactly the two fields the rules ask for. */
    static final String WORLD_JSON = "\\{\"id\":\\d+,\"randomNumber\":\\d+\\}";
    static final String WORLDS_JSON = "\\[" + WORLD_JSON + "(," + WORLD_JSON + ")*\\]";

    private final Config config;
    private final Database database;
    private final TestClient client;

    private RunningApp(Config config, Database database, TestClient client) {
        this.config = config;
        this.database = database;
        this.client = client;
    }

    static RunningApp start() {
        Config config = Config.fromEnv(System.getenv());
        Database database = Database.connect(config);
        return new RunningApp(config, database, TestClient.start(TechEmpowerApp.app(database)));
    }

    TestClient client() {
        return client;
    }

    /** Every row of {@code world} as id → randomnumber, read directly, not through the app. */
    Map<Integer, Integer> worldTable() throws SQLException {
        Map<Integer, Integer> rows = new HashMap<>();
        try (Connection connection = DriverManager.getConnection(config.dbUrl(), config.dbUser(), config.dbPassword());
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT id, randomnumber FROM world")) {
            while (result.next()) {
                rows.put(result.getInt(1), result.getInt(2));
            }
        }
        return rows;
    }

    static World[] worlds(TestResponse response) {
        return JsonCodec.jackson().read(response.bodyBytes(), World[].class);
    }

    static World world(TestResponse response) {
        return JsonCodec.jackson().read(response.bodyBytes(), World.class);
    }

    /** The headers every answer needs: {@code server} and a current {@code date}. */
    static void assertServerAndDate(TestResponse response) {
        assertThat(response.header("server")).as("server header of %s", response).contains("weft");
        String date = response.header("date").orElseThrow(() -> new AssertionError("no date header: " + response));
        ZonedDateTime sent = ZonedDateTime.parse(date, DateTimeFormatter.RFC_1123_DATE_TIME);
        assertThat(Duration.between(sent, ZonedDateTime.now()).abs()).isLessThan(Duration.ofMinutes(1));
    }

    @Override
    public void close() {
        try {
            client.close();
        } finally {
            database.close();
        }
    }
}
