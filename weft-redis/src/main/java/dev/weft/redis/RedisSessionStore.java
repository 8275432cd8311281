package dev.weft.redis;

import dev.weft.WeftException;
import dev.weft.session.SessionStore;
import dev.weft.session.SessionStoreUnavailableException;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SetArgs;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link SessionStore} in Redis, so every instance of a service behind a load balancer sees the
 * same sessions: give it to {@code Sessions.store(..)}. Each operation is one Redis command on one
 * key, {@code keyPrefix} followed by the SHA-256 of the session id that {@code Sessions} passes:
 * {@code load} is {@code GET}, {@code save} {@code SET PX}, {@code update} {@code SET XX PX} (so a
 * late write cannot bring back a session another instance invalidated or rotated away),
 * {@code touch} {@code PEXPIRE}, {@code delete} {@code DEL}. Expiry is Redis's own time to live:
 * nothing to sweep.
 *
 * {@snippet class=dev.weft.redis.RedisSessionExamples region=store}
 *
 * <table class="striped">
 *   <caption>Options</caption>
 *   <thead><tr><th>option</th><th>default</th><th>meaning</th></tr></thead>
 *   <tbody>
 *   <tr><td>{@code timeout}</td><td>200 ms</td><td>the longest one operation (so a request) waits for Redis</td></tr>
 *   <tr><td>{@code connectTimeout}</td><td>1 s</td><td>the longest one (background) connection attempt takes</td></tr>
 *   <tr><td>{@code reconnectInterval}</td><td>1 s</td><td>the pause between connection attempts while Redis is away</td></tr>
 *   <tr><td>{@code retryAfter}</td><td>5 s</td><td>the {@code retry-after} of the 503 answered while Redis is away</td></tr>
 *   <tr><td>{@code warnInterval}</td><td>1 min</td><td>at most one WARN line per interval while Redis fails</td></tr>
 *   <tr><td>{@code keyPrefix}</td><td>{@code weft:session:}</td><td>the prefix of every key this writes</td></tr>
 *   </tbody>
 * </table>
 *
 * <p><b>When Redis is down or slow</b> (not reachable, refusing, or slower than {@code timeout})
 * every operation throws {@link SessionStoreUnavailableException} within {@code timeout}: while
 * disconnected, commands fail at once instead of queueing. {@code Sessions} answers the requests
 * that carry or change a session {@code 503} problem+json with {@code retry-after}, instead of
 * treating their users as logged out; requests without a session are not affected. Failures are
 * counted ({@link #failures()}) and logged at WARN at most once per {@code warnInterval}, with the
 * number since the last line. The connection is re-established in the background every
 * {@code reconnectInterval} (also when Redis is absent at startup: {@link Builder#build()} never
 * fails for that); once Redis answers, sessions are served again without a restart and an INFO
 * line says so. Sessions are as durable as the Redis holding them.
 *
 * <p>A Redis error reply (a key of another type under the prefix, a server refusing writes) is
 * not an outage: it is thrown as a {@link WeftException} and the request fails with 500. Thread-safe;
 * one value serves every request over one multiplexed connection. {@link #close()} it on shutdown.
 */
public final class RedisSessionStore implements SessionStore, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RedisSessionStore.class);

    private final long timeoutNanos;
    private final long reconnectNanos;
    private final Duration retryAfter;
    private final long warnIntervalNanos;
    private final String keyPrefix;
    private final byte[] prefix;
    private final ClientResources resources;
    private final RedisClient client;
    private final AtomicBoolean connecting = new AtomicBoolean();
    private final AtomicBoolean down = new AtomicBoolean();
    private final AtomicLong nextAttempt = new AtomicLong(System.nanoTime());
    private final AtomicLong nextWarn = new AtomicLong(System.nanoTime());
    private final LongAdder failures = new LongAdder();
    private final LongAdder sinceWarn = new LongAdder();
    private volatile StatefulRedisConnection<byte[], byte[]> connection;
    private volatile boolean closed;

    private RedisSessionStore(Builder builder) {
        this.timeoutNanos = builder.timeout.toNanos();
        this.reconnectNanos = builder.reconnectInterval.toNanos();
        this.retryAfter = builder.retryAfter;
        this.warnIntervalNanos = builder.warnInterval.toNanos();
        this.keyPrefix = builder.keyPrefix;
        this.prefix = builder.keyPrefix.getBytes(StandardCharsets.US_ASCII);
        this.resources = DefaultClientResources.builder()
                .ioThreadPoolSize(2)
                .computationThreadPoolSize(2)
                .reconnectDelay(Delay.constant(builder.reconnectInterval))
                .build();
        this.client = RedisClient.create(resources, RedisURI.builder(builder.uri).withTimeout(builder.timeout).build());
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                // While disconnected, fail at once instead of queueing commands (and requests).
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .socketOptions(SocketOptions.builder().connectTimeout(builder.connectTimeout).build())
                // Lettuce drops a command nobody waits for any more, also when Redis stalls.
                .timeoutOptions(TimeoutOptions.enabled(builder.timeout))
                .build());
        // One attempt now, so sessions work from the first request when Redis is up; when it is
        // not, the service starts anyway and connects in the background.
        connect();
    }

    /** A builder for the Redis at {@code uri}, e.g. {@code RedisURI.create("redis://cache:6379")}. */
    public static Builder builder(RedisURI uri) {
        return new Builder(uri);
    }

    @Override
    public Optional<byte[]> load(String key) {
        return Optional.ofNullable(call("GET", c -> c.get(key(key))));
    }

    @Override
    public void save(String key, byte[] data, Duration ttl) {
        call("SET", c -> c.set(key(key), data, SetArgs.Builder.px(millis(ttl))));
    }

    @Override
    public boolean update(String key, byte[] data, Duration ttl) {
        // SET XX answers nil (no reply) when the key is gone: nothing was written.
        return "OK".equals(call("SET XX", c -> c.set(key(key), data, SetArgs.Builder.xx().px(millis(ttl)))));
    }

    @Override
    public boolean touch(String key, Duration ttl) {
        return Boolean.TRUE.equals(call("PEXPIRE", c -> c.pexpire(key(key), millis(ttl))));
    }

    @Override
    public void delete(String key) {
        call("DEL", c -> c.del(key(key)));
    }

    /** Operations that failed because Redis could not answer (each one a 503 or an unrefreshed expiry). */
    public long failures() {
        return failures.sum();
    }

    /** Whether the last Redis call failed (a connection attempt, a command or its timeout). */
    public boolean unavailable() {
        return down.get();
    }

    /** The prefix of every key this store writes. */
    public String keyPrefix() {
        return keyPrefix;
    }

    /** Closes the connection and Lettuce's threads; every operation then fails as unavailable. */
    @Override
    public void close() {
        closed = true;
        StatefulRedisConnection<byte[], byte[]> c = connection;
        if (c != null) {
            c.close();
        }
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }

    @Override
    public String toString() {
        return "RedisSessionStore[" + keyPrefix + "]";
    }

    private byte[] key(String key) {
        byte[] suffix = key.getBytes(StandardCharsets.UTF_8);
        byte[] full = new byte[prefix.length + suffix.length];
        System.arraycopy(prefix, 0, full, 0, prefix.length);
        System.arraycopy(suffix, 0, full, prefix.length, suffix.length);
        return full;
    }

    private static long millis(Duration ttl) {
        return Math.max(1, ttl.toMillis());
    }

    /** Runs one command and waits at most {@code timeout} for its answer. */
    private <T> T call(String command, Function<RedisAsyncCommands<byte[], byte[]>, RedisFuture<T>> send) {
        StatefulRedisConnection<byte[], byte[]> c = closed ? null : connection;
        if (c == null) {
            connectInBackground();
            throw failed(command, closed ? "the store is closed" : "not connected to Redis", null);
        }
        RedisFuture<T> answer;
        try {
            answer = send.apply(c.async());
        } catch (RuntimeException e) {
            throw failed(command, "Redis did not answer", e);
        }
        try {
            T value = answer.get(timeoutNanos, TimeUnit.NANOSECONDS);
            if (down.compareAndSet(true, false)) {
                log.info("Redis answers again: sessions are served again");
            }
            return value;
        } catch (TimeoutException e) {
            answer.cancel(false);
            throw failed(command, "Redis did not answer within " + Duration.ofNanos(timeoutNanos).toMillis() + " ms", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RedisCommandExecutionException refused) {
                // Redis answered, with an error: a bug or a misconfiguration, not an outage.
                throw new WeftException("Redis refused " + command + " on a session key: " + refused.getMessage(), refused);
            }
            throw failed(command, "Redis did not answer", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failed(command, "interrupted while waiting for Redis", e);
        }
    }

    /** Counts a failure, logs at most one WARN per interval, and returns the exception to throw. */
    private SessionStoreUnavailableException failed(String command, String why, Throwable cause) {
        down.set(true);
        failures.increment();
        sinceWarn.increment();
        long now = System.nanoTime();
        long due = nextWarn.get();
        if (now - due >= 0 && nextWarn.compareAndSet(due, now + warnIntervalNanos)) {
            log.warn("session store: Redis unavailable ({}{}); {} operation(s) failed since the last warning,"
                            + " requests with a session answered 503", why, cause == null ? "" : ": " + cause,
                    sinceWarn.sumThenReset());
        }
        return new SessionStoreUnavailableException(command + ": " + why, retryAfter, cause);
    }

    private void connectInBackground() {
        if (closed || System.nanoTime() - nextAttempt.get() < 0 || connecting.get()) {
            return;
        }
        Thread.ofVirtual().name("weft-redis-session-connect").start(this::connect);
    }

    /**
     * One connection attempt; on failure the next is due after {@code reconnectInterval}. Once
     * connected, Lettuce itself reconnects the connection after Redis comes back.
     */
    private void connect() {
        if (!connecting.compareAndSet(false, true)) {
            return;
        }
        try {
            if (connection != null || closed) {
                return;
            }
            connection = client.connect(ByteArrayCodec.INSTANCE);
            if (down.compareAndSet(true, false)) {
                log.info("connected to Redis: sessions are served again");
            }
        } catch (RuntimeException e) {
            down.set(true);
            nextAttempt.set(System.nanoTime() + reconnectNanos);
            log.debug("cannot connect to Redis for sessions", e);
        } finally {
            connecting.set(false);
        }
    }

    /** Options of {@link RedisSessionStore}; {@link #build} checks them all at once. Not thread-safe. */
    public static final class Builder {
        private final RedisURI uri;
        private Duration timeout = Duration.ofMillis(200);
        private Duration connectTimeout = Duration.ofSeconds(1);
        private Duration reconnectInterval = Duration.ofSeconds(1);
        private Duration retryAfter = Duration.ofSeconds(5);
        private Duration warnInterval = Duration.ofMinutes(1);
        private String keyPrefix = "weft:session:";

        private Builder(RedisURI uri) {
            this.uri = Objects.requireNonNull(uri, "uri");
        }

        /** The longest one operation waits for Redis (default 200 ms). */
        public Builder timeout(Duration value) { this.timeout = value; return this; }

        /** The longest one connection attempt takes (default 1 s); attempts never run on a request. */
        public Builder connectTimeout(Duration value) { this.connectTimeout = value; return this; }

        /** The pause between connection attempts while Redis is away (default 1 s). */
        public Builder reconnectInterval(Duration value) { this.reconnectInterval = value; return this; }

        /** The {@code retry-after} of the 503 answered while Redis is away (default 5 s; whole seconds, rounded up). */
        public Builder retryAfter(Duration value) { this.retryAfter = value; return this; }

        /** At most one WARN line per interval while Redis fails (default 1 min). */
        public Builder warnInterval(Duration value) { this.warnInterval = value; return this; }

        /** The prefix of every key this writes (default {@code weft:session:}); one per application sharing a Redis. */
        public Builder keyPrefix(String value) { this.keyPrefix = value; return this; }

        /**
         * Checks every option, then connects (one attempt of at most {@code connectTimeout}; when
         * it fails the store is still built and keeps trying in the background).
         *
         * @throws WeftException listing every invalid option, one per line
         */
        public RedisSessionStore build() {
            List<String> problems = new ArrayList<>();
            positive(problems, "timeout", timeout);
            positive(problems, "connectTimeout", connectTimeout);
            positive(problems, "reconnectInterval", reconnectInterval);
            positive(problems, "warnInterval", warnInterval);
            if (retryAfter == null || retryAfter.compareTo(Duration.ofSeconds(1)) < 0) {
                problems.add("retryAfter must be at least 1 s, got " + retryAfter);
            }
            if (keyPrefix == null || keyPrefix.isEmpty() || keyPrefix.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
                problems.add("keyPrefix must be non-empty printable ASCII without spaces, got "
                        + (keyPrefix == null ? "null" : "'" + keyPrefix + "'"));
            }
            if (!problems.isEmpty()) {
                throw new WeftException("invalid RedisSessionStore options:\n  - " + String.join("\n  - ", problems));
            }
            return new RedisSessionStore(this);
        }

        private static void positive(List<String> problems, String name, Duration value) {
            if (value == null || value.isNegative() || value.isZero()) {
                problems.add(name + " must be positive, got " + value);
            }
        }
    }
}
