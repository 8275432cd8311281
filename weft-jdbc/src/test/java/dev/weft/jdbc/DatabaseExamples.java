package dev.weft.jdbc;

import dev.weft.config.Config;
import dev.weft.config.ConfigCheck;
import dev.weft.health.Health;
import java.util.List;

/** Snippets for the Javadoc of {@link Database}; compiled, and run by DatabaseTest. */
final class DatabaseExamples {
    private DatabaseExamples() {}

    record Item(long id, String name) {}

    static Database start(String[] args) {
        // @start region=start
        Config config = Config.fromEnvironment();
        Database.Settings settings = Database.settings(config); // DATABASE_* problems join the others
        ConfigCheck.run(args, config);                           // one table, exit 78
        Database db;
        try {
            db = Database.start(settings);                       // fails within DATABASE_STARTUP_TIMEOUT
            db.migrate();                                        // classpath:db/migration, before readiness
        } catch (DatabaseException e) {
            System.err.println(e.getMessage());                  // one line naming host and port
            System.exit(Database.EX_UNAVAILABLE);                // 69: the database cannot be used
            throw e;                                             // not reached
        }
        Health health = Health.builder().readiness("database", db.healthCheck()).build();
        // @end
        return health == null ? null : db;
    }

    static List<Item> transaction(Database db) {
        // @start region=transaction
        return db.transaction(tx -> {
            tx.update("INSERT INTO items (name) VALUES (?)", "apples");
            return tx.query("SELECT id, name FROM items ORDER BY id",
                    row -> new Item(row.getLong("id"), row.getString("name")));
        }); // committed here; any exception (or an interrupt) rolls back
        // @end
    }
}
