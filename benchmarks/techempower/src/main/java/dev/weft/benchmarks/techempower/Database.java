package dev.weft.benchmarks.techempower;

import dev.weft.jdbc.Database.Settings;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The {@code world} and {@code fortune} tables through weft-jdbc's fixed-size pool (the one every
 * Weft app gets from {@code dev.weft.jdbc.Database}), with prepared statements and plain blocking
 * JDBC.
 *
 * <p>Every method runs on the request's virtual thread and blocks it while it waits for a
 * connection or for PostgreSQL; the carrier thread is free meanwhile. A request holds one
 * connection (in auto-commit mode, from {@code withConnection}) for all of its queries. A request
 * that finds no free connection within weft-jdbc's acquire timeout (5 s) is answered 503 with
 * {@code retry-after}, as in any app on weft-jdbc. Thread-safe.
 */
public final class Database implements AutoCloseable {
    /** Rows in {@code world}, ids 1 to 10,000. */
    public static final int WORLD_ROWS = 10_000;

    private static final String SELECT_WORLD = "SELECT id, randomnumber FROM world WHERE id = ?";
    private static final String UPDATE_WORLD = "UPDATE world SET randomnumber = ? WHERE id = ?";
    private static final String SELECT_FORTUNES = "SELECT id, message FROM fortune";
    private static final Comparator<World> BY_ID = Comparator.comparingInt(World::id);

    private final dev.weft.jdbc.Database db;

    private Database(dev.weft.jdbc.Database db) {
        this.db = db;
    }

    /**
     * Opens the pool with weft-jdbc: {@code config.poolSize()} connections, all opened at startup
     * and kept (minimum = maximum), weft-jdbc's defaults for everything else.
     *
     * @throws dev.weft.jdbc.DatabaseException naming host and port if the database cannot be
     *     reached within weft-jdbc's startup timeout (10 s)
     */
    public static Database connect(Config config) {
        return new Database(dev.weft.jdbc.Database.start(settings(config)));
    }

    /**
     * The weft-jdbc settings for {@code config}: its JDBC URL with the user and password added as
     * pgjdbc parameters (weft-jdbc takes credentials from the URL and masks the password in every
     * log line), and a fixed pool of {@code config.poolSize()} connections.
     */
    static Settings settings(Config config) {
        String url = config.dbUrl() + (config.dbUrl().indexOf('?') < 0 ? '?' : '&')
                + "user=" + URLEncoder.encode(config.dbUser(), StandardCharsets.UTF_8)
                + "&password=" + URLEncoder.encode(config.dbPassword(), StandardCharsets.UTF_8);
        return Settings.defaults().withUrl(url).withPool(config.poolSize(), config.poolSize());
    }

    /** The pool's numbers now (total, active, idle, waiting). */
    public dev.weft.jdbc.Database.PoolState poolState() {
        return db.poolState();
    }

    /** One random row. */
    public World randomWorld() {
        return db.withConnection(connection -> {
            try (PreparedStatement select = connection.prepareStatement(SELECT_WORLD)) {
                return read(select, randomId(ThreadLocalRandom.current()));
            }
        });
    }

    /** {@code count} random rows, each read by its own query as the rules require; ids may repeat. */
    public World[] randomWorlds(int count) {
        return db.withConnection(connection -> {
            World[] worlds = new World[count];
            ThreadLocalRandom random = ThreadLocalRandom.current();
            try (PreparedStatement select = connection.prepareStatement(SELECT_WORLD)) {
                for (int i = 0; i < count; i++) {
                    worlds[i] = read(select, randomId(random));
                }
            }
            return worlds;
        });
    }

    /**
     * Reads {@code count} random rows one query each, gives each a new random number (never its
     * old one, so every row really changes) and writes them back in one JDBC batch.
     *
     * <p>The batch updates rows in id order, so two concurrent requests lock rows in the same
     * order and cannot deadlock. A row drawn twice is written once, and both entries of the
     * answer carry the number that was written. The answer is sorted by id.
     */
    public World[] updateRandomWorlds(int count) {
        return db.withConnection(connection -> updateRandomWorlds(connection, count));
    }

    private static World[] updateRandomWorlds(Connection connection, int count) throws SQLException {
        World[] worlds = new World[count];
        ThreadLocalRandom random = ThreadLocalRandom.current();
        try (PreparedStatement select = connection.prepareStatement(SELECT_WORLD)) {
            for (int i = 0; i < count; i++) {
                World old = read(select, randomId(random));
                worlds[i] = new World(old.id(), newRandomNumber(random, old.randomNumber()));
            }
        }
        Arrays.sort(worlds, BY_ID);
        try (PreparedStatement update = connection.prepareStatement(UPDATE_WORLD)) {
            for (int i = 0; i < count; i++) {
                if (i > 0 && worlds[i].id() == worlds[i - 1].id()) {
                    worlds[i] = worlds[i - 1];
                    continue;
                }
                update.setInt(1, worlds[i].randomNumber());
                update.setInt(2, worlds[i].id());
                update.addBatch();
            }
            update.executeBatch();
        }
        return worlds;
    }

    /** Every row of {@code fortune}, in table order, in a list the caller may change. */
    public List<Fortune> fortunes() {
        return db.withConnection(connection -> {
            List<Fortune> fortunes = new ArrayList<>(16);
            try (PreparedStatement select = connection.prepareStatement(SELECT_FORTUNES);
                    ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    fortunes.add(new Fortune(rows.getInt(1), rows.getString(2)));
                }
            }
            return fortunes;
        });
    }

    /** Closes every connection of the pool. */
    @Override
    public void close() {
        db.close();
    }

    private static World read(PreparedStatement select, int id) throws SQLException {
        select.setInt(1, id);
        try (ResultSet row = select.executeQuery()) {
            if (!row.next()) {
                throw new IllegalStateException("world " + id + " is missing; load benchmarks/db/schema.sql");
            }
            return new World(row.getInt(1), row.getInt(2));
        }
    }

    private static int randomId(ThreadLocalRandom random) {
        return random.nextInt(1, WORLD_ROWS + 1);
    }

    /** A random number from 1 to 10,000 other than {@code old}. */
    private static int newRandomNumber(ThreadLocalRandom random, int old) {
        int value = random.nextInt(1, WORLD_ROWS);  // 1 .. 9,999: one value fewer than the range
        return value >= old ? value + 1 : value;    // skip old, keeping the draw uniform
    }
}
