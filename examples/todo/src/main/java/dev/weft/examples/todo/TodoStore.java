package dev.weft.examples.todo;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/** Todos held in memory. Thread-safe: handlers run concurrently on virtual threads. */
public final class TodoStore {
    /** A title the store refuses; mapped to 422 in one place by the router. */
    public static final class InvalidTitle extends RuntimeException {
        private static final long serialVersionUID = 1L;

        InvalidTitle(String message) {
            super(message, null, false, false);
        }
    }

    static final int MAX_TITLE = 200;

    private final ConcurrentMap<Long, Todo> todos = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();

    public Todo add(String title) {
        String checked = check(title);
        long id = ids.incrementAndGet();
        Todo todo = new Todo(id, checked, false);
        todos.put(id, todo);
        return todo;
    }

    public Optional<Todo> find(long id) {
        return Optional.ofNullable(todos.get(id));
    }

    /** Todos by id, optionally only those with {@code done}, at most {@code limit}. */
    public List<Todo> list(Optional<Boolean> done, int limit) {
        return todos.values().stream()
                .filter(t -> done.map(d -> t.done() == d).orElse(true))
                .sorted(Comparator.comparingLong(Todo::id))
                .limit(limit)
                .toList();
    }

    /** Every todo by id, as a stream (for export). */
    public Stream<Todo> all() {
        return todos.values().stream().sorted(Comparator.comparingLong(Todo::id));
    }

    public Optional<Todo> update(long id, Optional<String> title, Optional<Boolean> done) {
        title.ifPresent(TodoStore::check);
        return Optional.ofNullable(todos.computeIfPresent(id, (key, old) ->
                new Todo(key, title.map(String::strip).orElse(old.title()), done.orElse(old.done()))));
    }

    public boolean delete(long id) {
        return todos.remove(id) != null;
    }

    public int size() {
        return todos.size();
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
