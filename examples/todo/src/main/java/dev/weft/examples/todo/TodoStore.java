package dev.weft.examples.todo;

import dev.weft.jdbc.Database;
import dev.weft.jdbc.Tx;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Todos in a database through weft-jdbc: the embedded H2 (PostgreSQL mode) by default, PostgreSQL
 * when {@code DATABASE_URL} names one. The table comes from the migration
 * {@code db/migration/V1__todos.sql}. Thread-safe: every call is its own transaction.
 */
public final class TodoStore {
    /** A title the store refuses; mapped to 422 in one place by the router. */
    public static final class InvalidTitle extends RuntimeException {
        private static final long serialVersionUID = 1L;

        InvalidTitle(String message) {
            super(message, null, false, false);
        }
    }

    static final int MAX_TITLE = 200;
    private static final Tx.RowMapper<Todo> TODO =
            row -> new Todo(row.getLong("id"), row.getString("title"), row.getBoolean("done"));

    private final Database db;

    /** A store in a fresh embedded database of its own (tests, and the demo without DATABASE_URL). */
    public TodoStore() {
        this(migrated(Database.start(Database.Settings.defaults().withPool(4, 1))));
    }

    /** A store in {@code db}, whose migrations must have run. */
    public TodoStore(Database db) {
        this.db = db;
    }

    private static Database migrated(Database db) {
        db.migrate();
        return db;
    }

    public Todo add(String title) {
        String checked = check(title);
        long id = db.transaction(tx -> tx.insert("INSERT INTO todos (title, done) VALUES (?, ?)", "id", checked, false));
        return new Todo(id, checked, false);
    }

    public Optional<Todo> find(long id) {
        return db.transaction(tx -> tx.one("SELECT id, title, done FROM todos WHERE id = ?", TODO, id));
    }

    /** Todos by id, optionally only those with {@code done}, at most {@code limit}. */
    public List<Todo> list(Optional<Boolean> done, int limit) {
        return db.transaction(tx -> done.isPresent()
                ? tx.query("SELECT id, title, done FROM todos WHERE done = ? ORDER BY id LIMIT ?", TODO, done.get(), limit)
                : tx.query("SELECT id, title, done FROM todos ORDER BY id LIMIT ?", TODO, limit));
    }

    /** Every todo by id, as a stream (for export). */
    public Stream<Todo> all() {
        return db.transaction(tx -> tx.query("SELECT id, title, done FROM todos ORDER BY id", TODO)).stream();
    }

    public Optional<Todo> update(long id, Optional<String> title, Optional<Boolean> done) {
        title.ifPresent(TodoStore::check);
        return db.transaction(tx -> {
            Optional<Todo> old = tx.one("SELECT id, title, done FROM todos WHERE id = ? FOR UPDATE", TODO, id);
            if (old.isEmpty()) {
                return Optional.<Todo>empty();
            }
            Todo updated = new Todo(id, title.map(String::strip).orElse(old.get().title()),
                    done.orElse(old.get().done()));
            tx.update("UPDATE todos SET title = ?, done = ? WHERE id = ?", updated.title(), updated.done(), id);
            return Optional.of(updated);
        });
    }

    public boolean delete(long id) {
        return db.transaction(tx -> tx.update("DELETE FROM todos WHERE id = ?", id)) > 0;
    }

    public int size() {
        return db.transaction(tx -> tx.one("SELECT count(*) FROM todos", r -> r.getInt(1)).orElse(0));
    }

    private static String check(String title) {
        if (title == null || title.isBlank()) {
            throw new InvalidTitle("title must not be blank");
        }
        if (title.length() > MAX_TITLE) {
            throw new InvalidTitle("title must be at most " + MAX_TITLE + " characters");
        }
        return title.strip();
    }
}
