package dev.weft.ratelimit;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.TimeMeter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Buckets in this process, at most {@code maxKeys} of them.
 *
 * <p><b>Eviction that cannot be bought.</b> A bucket is removed only once it has been idle for
 * {@code idleNanos}, the time an empty bucket takes to refill completely: by then it is full, so
 * removing it and later creating a fresh one changes nothing. A bucket still refilling is never
 * removed, however many new keys arrive; an LRU or random eviction would let an attacker who
 * sprays new keys (addresses, API keys) push out its own drained bucket and start afresh. When
 * every slot holds a bucket still in use, a request with an unknown key draws from one shared
 * overflow bucket with the same rates: under such a flood new clients are limited together
 * (they may see 429 early) rather than memory growing or any bucket being reset.
 *
 * <p>Sweeps of idle buckets run on a request's thread when a new key arrives: at most once per
 * {@code idleNanos} normally, at most once a second while the table is full. Thread-safe; the
 * buckets themselves are Bucket4j's lock-free ones.
 */
final class LocalBuckets {
    private static final long FULL_SWEEP_INTERVAL = TimeUnit.SECONDS.toNanos(1);

    private final ConcurrentHashMap<String, Entry> buckets = new ConcurrentHashMap<>();
    private final AtomicInteger size = new AtomicInteger();
    private final AtomicBoolean sweeping = new AtomicBoolean();
    private final LongAdder overflowed = new LongAdder();
    private final int maxKeys;
    private final long idleNanos;
    private final TimeMeter time;
    private final BucketConfiguration configuration;
    private final Entry overflow;
    private volatile long lastSweep;

    LocalBuckets(BucketConfiguration configuration, int maxKeys, long idleNanos, TimeMeter time) {
        this.configuration = configuration;
        this.maxKeys = maxKeys;
        this.idleNanos = idleNanos;
        this.time = time;
        this.lastSweep = time.currentTimeNanos();
        this.overflow = new Entry(newBucket(), lastSweep);
    }

    private Bucket newBucket() {
        var builder = Bucket.builder().withCustomTimePrecision(time);
        for (Bandwidth bandwidth : configuration.getBandwidths()) {
            builder.addLimit(bandwidth);
        }
        return builder.build();
    }

    /** Takes one token from {@code key}'s bucket. Never blocks. */
    Buckets.Decision consume(String key, BucketConfiguration ignored) {
        long now = time.currentTimeNanos();
        Entry entry = buckets.get(key);
        if (entry == null) {
            entry = insert(key, now);
        }
        entry.lastUsed = now;
        return Buckets.Decision.of(entry.bucket.asVerbose().tryConsumeAndReturnRemaining(1));
    }

    private Entry insert(String key, long now) {
        boolean full = size.get() >= maxKeys;
        sweepIfDue(now, full);
        if (full && size.get() >= maxKeys) {
            overflowed.increment();
            return overflow;
        }
        Entry fresh = new Entry(newBucket(), now);
        Entry prior = buckets.putIfAbsent(key, fresh);
        if (prior != null) {
            return prior;
        }
        if (size.incrementAndGet() > maxKeys) {
            // Lost a race for the last slot: give it back and share the overflow bucket.
            if (buckets.remove(key, fresh)) {
                size.decrementAndGet();
            }
            overflowed.increment();
            return overflow;
        }
        return fresh;
    }

    private void sweepIfDue(long now, boolean full) {
        long interval = full ? Math.min(FULL_SWEEP_INTERVAL, idleNanos) : idleNanos;
        if (now - lastSweep < interval || !sweeping.compareAndSet(false, true)) {
            return;
        }
        try {
            lastSweep = now;
            for (Map.Entry<String, Entry> e : buckets.entrySet()) {
                if (now - e.getValue().lastUsed >= idleNanos && buckets.remove(e.getKey(), e.getValue())) {
                    size.decrementAndGet();
                }
            }
        } finally {
            sweeping.set(false);
        }
    }

    /** Buckets held now. */
    int size() {
        return size.get();
    }

    /** Requests that drew from the shared overflow bucket because the table was full of live buckets. */
    long overflowed() {
        return overflowed.sum();
    }

    /** A bucket and when it last served a request (a racy read is fine: it only delays a removal). */
    private static final class Entry {
        final Bucket bucket;
        volatile long lastUsed;

        Entry(Bucket bucket, long lastUsed) {
            this.bucket = bucket;
            this.lastUsed = lastUsed;
        }
    }
}
