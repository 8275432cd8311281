package dev.weft.redis;

import dev.weft.WeftException;
import dev.weft.session.SessionStore;
import dev.weft.session.SessionStoreUnavailableException;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
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
 * one value serves every request over one multiplexed connection (a {@link RedisConnection}).
 * {@link #close()} it on shutdown.
 *
 * <p><b>On a shared connection</b> ({@link #builder(RedisConnection)}, e.g. the one weft-ratelimit's
 * {@code RedisBuckets} also uses) the store owns only {@code retryAfter} and {@code keyPrefix}:
 * {@code timeout}, {@code connectTimeout}, {@code reconnectInterval} and {@code warnInterval} are
 * the connection's (set on this builder they are reported by {@link Builder#build()}), the WARN
 * line is shared with the other users (one per interval for all), the "served again" line is the
 * connection's {@code onRecovered}, and {@link #close()} leaves the connection open.
 */
public final class RedisSessionStore implements SessionStore, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RedisSessionStore.class);

    private final RedisConnection redis;
    /** Whether this store built {@link #redis} (then it closes it), or was given it (the application closes it). */
    private final boolean ownsConnection;
    private final Duration retryAfter;
    private final String keyPrefix;
    private final byte[] prefix;
    private final LongAdder failures = new LongAdder();
    private volatile boolean closed;

    private RedisSessionStore(Builder builder) {
        this.retryAfter = builder.retryAfter;
        this.keyPrefix = builder.keyPrefix;
        this.prefix = builder.keyPrefix.getBytes(StandardCharsets.US_ASCII);
        this.ownsConnection = !builder.source.isShared();
        // Connects now, so sessions work from the first request when Redis is up; when it is
        // not, the service starts anyway and connects in the background.
        this.redis = builder.source.open();
    }

    /**
     * A builder for the Redis at {@code uri}, e.g. {@code RedisURI.create("redis://cache:6379")}:
     * the store builds its own connection and closes it in {@link #close()}.
     */
    public static Builder builder(RedisURI uri) {
        return new Builder(RedisConnection.Source.own(RedisConnection.builder(Objects.requireNonNull(uri, "uri"))
                .name("sessions").onRecovered(how -> log.info("{}: sessions are served again", how))));
    }

    /**
     * A builder for a store on {@code connection}, which the application shares with other users
     * (weft-ratelimit's {@code RedisBuckets}, its own commands): one connection, one outage state,
     * one WARN line per interval. The connection's options ({@code timeout},
     * {@code connectTimeout}, {@code reconnectInterval}, {@code warnInterval}, {@code onRecovered})
     * apply; setting them on this builder is reported by {@link Builder#build()}. The store does
     * not close the connection: the application does, after closing its users.
     *
     * {@snippet class=dev.weft.redis.RedisSessionExamples region=shared}
     */
    public static Builder builder(RedisConnection connection) {
        return new Builder(RedisConnection.Source.shared(connection));
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
        return redis.unavailable();
    }

    /** The prefix of every key this store writes. */
    public String keyPrefix() {
        return keyPrefix;
    }

    /** The connection this store uses (its own or the shared one): for tests. */
    RedisConnection connection() {
        return redis;
    }

    /** Whether this store was built on a connection the application shares (and closes). */
    public boolean sharesConnection() {
        return !ownsConnection;
    }

    /**
     * Every operation then fails as unavailable. Closes the connection and Lettuce's threads when
     * the store built them ({@link #builder(RedisURI)}); a shared connection
     * ({@link #builder(RedisConnection)}) stays open for its other users.
     */
    @Override
    public void close() {
        closed = true;
        if (ownsConnection) {
            redis.close();
        }
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
        if (closed) {
            throw failed(command, "the store is closed", null);
        }
        StatefulRedisConnection<byte[], byte[]> c = redis.connection().orElse(null);
        if (c == null) {
            throw failed(command, redis.closed() ? "the Redis connection is closed" : "not connected to Redis", null);
        }
        RedisFuture<T> answer;
        try {
            answer = send.apply(c.async());
        } catch (RuntimeException e) {
            throw failed(command, "Redis did not answer", e);
        }
        try {
            return redis.await(answer);
        } catch (TimeoutException e) {
            throw failed(command, "Redis did not answer within " + redis.timeout().toMillis() + " ms", e);
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
        failures.increment();
        // A closed store is not an outage: on a shared connection it must not mark Redis
        // unavailable for the other users.
        long sinceWarn = closed ? 0 : redis.failed();
        if (sinceWarn > 0 && ownsConnection) {
            log.warn("session store: Redis unavailable ({}{}); {} operation(s) failed since the last warning,"
                    + " requests with a session answered 503", why, cause == null ? "" : ": " + cause, sinceWarn);
        } else if (sinceWarn > 0) {
            // The count is the shared connection's: every user's failed calls, not only this store's.
            log.warn("session store: Redis unavailable ({}{}); {} call(s) on the shared {} failed since the last"
                    + " warning, requests with a session answered 503", why, cause == null ? "" : ": " + cause,
                    sinceWarn, redis);
        }
        return new SessionStoreUnavailableException(command + ": " + why, retryAfter, cause);
    }

    /**
     * Options of {@link RedisSessionStore}; {@link #build} checks them all at once. On a shared
     * connection ({@link RedisSessionStore#builder(RedisConnection)}) the connection options
     * ({@code timeout}, {@code connectTimeout}, {@code reconnectInterval}, {@code warnInterval})
     * are the connection's: setting one here is a problem {@link #build} reports. Not thread-safe.
     */
    public static final class Builder {
        /** The connection this store builds, or the shared one. */
        private final RedisConnection.Source source;
        private Duration retryAfter = Duration.ofSeconds(5);
        private String keyPrefix = "weft:session:";

        private Builder(RedisConnection.Source source) {
            this.source = source;
        }

        /** The longest one operation waits for Redis (default 200 ms). */
        public Builder timeout(Duration value) { return connection("timeout", c -> c.timeout(value)); }

        /** The longest one connection attempt takes (default 1 s); attempts never run on a request. */
        public Builder connectTimeout(Duration value) { return connection("connectTimeout", c -> c.connectTimeout(value)); }

        /** The pause between connection attempts while Redis is away (default 1 s). */
        public Builder reconnectInterval(Duration value) { return connection("reconnectInterval", c -> c.reconnectInterval(value)); }

        /** The {@code retry-after} of the 503 answered while Redis is away (default 5 s; whole seconds, rounded up). */
        public Builder retryAfter(Duration value) { this.retryAfter = value; return this; }

        /** At most one WARN line per interval while Redis fails (default 1 min). */
        public Builder warnInterval(Duration value) { return connection("warnInterval", c -> c.warnInterval(value)); }

        /** The prefix of every key this writes (default {@code weft:session:}); one per application sharing a Redis. */
        public Builder keyPrefix(String value) { this.keyPrefix = value; return this; }

        /**
         * Checks every option, then connects (one attempt of at most {@code connectTimeout}; when
         * it fails the store is still built and keeps trying in the background).
         *
         * @throws WeftException listing every invalid option, one per line
         */
        public RedisSessionStore build() {
            List<String> problems = source.problems(retryAfter, keyPrefix);
            if (!problems.isEmpty()) {
                throw new WeftException("invalid RedisSessionStore options:\n  - " + String.join("\n  - ", problems));
            }
            return new RedisSessionStore(this);
        }

        private Builder connection(String option, Consumer<RedisConnection.Builder> set) {
            source.set(option, set);
            return this;
        }
    }
}
