package dev.weft.session;

import dev.weft.WeftException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link SessionStore} in this JVM's memory, bounded: at most {@code maxSessions} entries; when
 * a new one would pass that, expired entries are swept and, if it is still full, the least
 * recently used entry is evicted (its user starts a new session). Expired entries are also swept
 * every {@code sweepEvery} operations, so memory follows the live sessions. Sessions do not
 * survive a restart and are not shared between instances: use a shared store for several.
 *
 * <table class="striped">
 * <caption>Options and defaults</caption>
 * <thead><tr><th>option</th><th>default</th><th>meaning</th></tr></thead>
 * <tbody>
 * <tr><td>{@code maxSessions}</td><td>100 000</td><td>entries kept; past it, the least recently used goes</td></tr>
 * <tr><td>{@code sweepEvery}</td><td>1024</td><td>operations between two sweeps of expired entries</td></tr>
 * <tr><td>{@code clock}</td><td>the system clock</td><td>what expiry is measured with (tests inject one)</td></tr>
 * </tbody>
 * </table>
 *
 * <p>Thread-safe: one lock guards the map; each operation is short (no I/O under it).
 *
 * {@snippet class=dev.weft.session.SessionExamples region=store}
 */
public final class MemorySessionStore implements SessionStore {
    private record Entry(byte[] data, long expiresAtMillis) {}

    private final int maxSessions;
    private final int sweepEvery;
    private final Clock clock;
    /** Access-ordered: the first entry is the least recently used. Guarded by {@code this}. */
    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
    private int operations;
    private long evictions;

    private MemorySessionStore(Builder b) {
        this.maxSessions = b.maxSessions;
        this.sweepEvery = b.sweepEvery;
        this.clock = b.clock;
    }

    /** A store with the defaults. */
    public static MemorySessionStore create() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public synchronized Optional<byte[]> load(String key) {
        long now = tick();
        Entry entry = entries.get(key);
        if (entry == null) {
            return Optional.empty();
        }
        if (entry.expiresAtMillis <= now) {
            entries.remove(key);
            return Optional.empty();
        }
        return Optional.of(entry.data.clone());
    }

    @Override
    public synchronized void save(String key, byte[] data, Duration ttl) {
        long now = tick();
        if (!entries.containsKey(key) && entries.size() >= maxSessions) {
            sweep(now);
            if (entries.size() >= maxSessions) {
                Iterator<String> eldest = entries.keySet().iterator();
                eldest.next();
                eldest.remove();
                evictions++;
            }
        }
        entries.put(key, new Entry(data.clone(), deadline(now, ttl)));
    }

    @Override
    public synchronized boolean update(String key, byte[] data, Duration ttl) {
        long now = tick();
        Entry entry = entries.get(key);
        if (entry == null || entry.expiresAtMillis <= now) {
            entries.remove(key);
            return false;
        }
        entries.put(key, new Entry(data.clone(), deadline(now, ttl)));
        return true;
    }

    @Override
    public synchronized boolean touch(String key, Duration ttl) {
        long now = tick();
        Entry entry = entries.get(key);
        if (entry == null || entry.expiresAtMillis <= now) {
            entries.remove(key);
            return false;
        }
        entries.put(key, new Entry(entry.data, deadline(now, ttl)));
        return true;
    }

    @Override
    public synchronized void delete(String key) {
        tick();
        entries.remove(key);
    }

    /** How many entries are held now, expired ones not yet swept included. */
    public synchronized int size() {
        return entries.size();
    }

    /** How many live entries were evicted because the store was full. */
    public synchronized long evictions() {
        return evictions;
    }

    private long tick() {
        long now = clock.millis();
        if (++operations >= sweepEvery) {
            operations = 0;
            sweep(now);
        }
        return now;
    }

    private void sweep(long now) {
        entries.values().removeIf(e -> e.expiresAtMillis <= now);
    }

    private static long deadline(long now, Duration ttl) {
        long millis = Math.max(1, ttl.toMillis());
        return now > Long.MAX_VALUE - millis ? Long.MAX_VALUE : now + millis;
    }

    @Override
    public String toString() {
        return "MemorySessionStore[max " + maxSessions + "]";
    }

    /** Configures a {@link MemorySessionStore}; {@link #build()} reports every problem at once. Not thread-safe. */
    public static final class Builder {
        private int maxSessions = 100_000;
        private int sweepEvery = 1024;
        private Clock clock = Clock.systemUTC();

        private Builder() {}

        /** The most entries kept; 100 000 by default. */
        public Builder maxSessions(int maxSessions) {
            this.maxSessions = maxSessions;
            return this;
        }

        /** Operations between sweeps of expired entries; 1024 by default. */
        public Builder sweepEvery(int operations) {
            this.sweepEvery = operations;
            return this;
        }

        /** The clock expiry is measured with; the system clock by default. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * The store.
         *
         * @throws WeftException listing every problem: a non-positive maxSessions or sweepEvery
         */
        public MemorySessionStore build() {
            List<String> problems = new ArrayList<>();
            if (maxSessions < 1) {
                problems.add("maxSessions must be at least 1, got " + maxSessions);
            }
            if (sweepEvery < 1) {
                problems.add("sweepEvery must be at least 1, got " + sweepEvery);
            }
            if (!problems.isEmpty()) {
                throw new WeftException("invalid MemorySessionStore:\n  " + String.join("\n  ", problems));
            }
            return new MemorySessionStore(this);
        }
    }
}
