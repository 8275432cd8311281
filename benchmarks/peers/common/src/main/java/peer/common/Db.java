package peer.common;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Plain JDBC over HikariCP. Blocking by design: every request runs on its own virtual
 * thread, which parks while it waits for a connection or for Postgres. pgjdbc turns the
 * repeated statements into server-side prepared statements and caches them per connection.
 */
public final class Db implements AutoCloseable {

    public record World(int id, int randomNumber) {
    }

    private static final String SELECT_WORLD = "SELECT id, randomnumber FROM world WHERE id = ?";
    private static final String UPDATE_WORLD = "UPDATE world SET randomnumber = ? WHERE id = ?";
    private static final String SELECT_FORTUNES = "SELECT id, message FROM fortune";

    private final HikariDataSource pool;

    public Db(int pgPort, int poolSize) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("peer");
        config.setJdbcUrl("jdbc:postgresql://127.0.0.1:" + pgPort + "/hello_world");
        config.setUsername("benchmarkdbuser");
        config.setPassword("benchmarkdbpass");
        config.setMaximumPoolSize(poolSize);
        config.setMinimumIdle(poolSize);
        pool = new HikariDataSource(config);
    }

    public World world() throws SQLException {
        try (Connection c = pool.getConnection(); PreparedStatement select = c.prepareStatement(SELECT_WORLD)) {
            return read(select, Tfb.randomId());
        }
    }

    public World[] worlds(int n) throws SQLException {
        World[] worlds = new World[n];
        try (Connection c = pool.getConnection(); PreparedStatement select = c.prepareStatement(SELECT_WORLD)) {
            for (int i = 0; i < n; i++) {
                worlds[i] = read(select, Tfb.randomId());
            }
        }
        return worlds;
    }

    public World[] update(int n) throws SQLException {
        World[] worlds = new World[n];
        try (Connection c = pool.getConnection();
             PreparedStatement select = c.prepareStatement(SELECT_WORLD);
             PreparedStatement update = c.prepareStatement(UPDATE_WORLD)) {
            for (int i = 0; i < n; i++) {
                worlds[i] = new World(read(select, Tfb.randomId()).id(), Tfb.randomId());
            }
            // One batch, one round trip; sorted ids keep concurrent batches from deadlocking.
            World[] sorted = worlds.clone();
            Arrays.sort(sorted, Comparator.comparingInt(World::id));
            for (World w : sorted) {
                update.setInt(1, w.randomNumber());
                update.setInt(2, w.id());
                update.addBatch();
            }
            update.executeBatch();
        }
        return worlds;
    }

    public List<Fortune> fortunes() throws SQLException {
        List<Fortune> fortunes = new ArrayList<>(16);
        try (Connection c = pool.getConnection();
             PreparedStatement select = c.prepareStatement(SELECT_FORTUNES);
             ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                fortunes.add(new Fortune(rs.getInt(1), rs.getString(2)));
            }
        }
        return fortunes;
    }

    private static World read(PreparedStatement select, int id) throws SQLException {
        select.setInt(1, id);
        try (ResultSet rs = select.executeQuery()) {
            rs.next();
            return new World(rs.getInt(1), rs.getInt(2));
        }
    }

    @Override
    public void close() {
        pool.close();
    }
}
