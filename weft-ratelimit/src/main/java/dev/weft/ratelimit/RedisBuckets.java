package dev.weft.ratelimit;

import dev.weft.WeftException;
import dev.weft.redis.RedisConnection;
import dev.weft.response.Problem;
import dev.weft.response.Response;
import dev.weft.response.Status;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.VerboseResult;
import io.github.bucket4j.distributed.AsyncBucketProxy;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.AsyncProxyManager;
import io.github.bucket4j.distributed.proxy.optimization.Optimizations;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rate-limit buckets kept in Redis (Bucket4j's compare-and-swap Lettuce integration), so every
 * instance using the same Redis and limit name enforces one limit. Give it to
 * {@link RateLimit.Builder#redis}; one value may serve several limits. Needs the module
 * {@code dev.weft:weft-redis} (an optional dependency of this module, which brings Lettuce): its
 * {@link RedisConnection} holds the connection. Without it, {@link #builder} throws a
 * {@link WeftException} saying so.
 *
 * {@snippet class=dev.weft.ratelimit.RedisRateLimitExamples region=redis}
 *
 * <table class="striped">
 *   <caption>Options</caption>
 *   <thead><tr><th>option</th><th>default</th><th>meaning</th></tr></thead>
 *   <tbody>
 *   <tr><td>{@code timeout}</td><td>200 ms</td><td>the longest a request waits for Redis; then the failure policy applies</td></tr>
 *   <tr><td>{@code connectTimeout}</td><td>1 s</td><td>the longest a (background) connection attempt takes</td></tr>
 *   <tr><td>{@code reconnectInterval}</td><td>1 s</td><td>the pause between connection attempts while Redis is away</td></tr>
 *   <tr><td>{@code failOpen} / {@code failClosed}</td><td>open</td><td>what a request gets when Redis cannot answer</td></tr>
 *   <tr><td>{@code retryAfter}</td><td>5 s</td><td>the {@code retry-after} of the 503 sent when failing closed</td></tr>
 *   <tr><td>{@code warnInterval}</td><td>1 min</td><td>at most one WARN line per interval while Redis fails</td></tr>
 *   <tr><td>{@code keyPrefix}</td><td>{@code weft:ratelimit:}</td><td>the prefix of every Redis key (then the limit name and the key)</td></tr>
 *   </tbody>
 * </table>
 *
 * <p><b>When Redis is down or slow</b> (not reachable, refusing, or slower than {@code timeout}):
 * by default the request is let through (fail open: an outage of the limiter must not become an
 * outage of the service), counted by {@link #allowedWithoutRedis()}, and a WARN line is logged at
 * most once per {@code warnInterval} with the number of such requests. With {@link
 * Builder#failClosed()} the request is answered {@code 503} problem+json with {@code retry-after}
 * instead, counted by {@link #refusedWithoutRedis()}. No request waits longer than
 * {@code timeout}: while disconnected, commands fail at once rather than queue. The connection is
 * re-established in the background every {@code reconnectInterval}; once Redis answers again
 * limits apply again, without a restart (an INFO line says so). Buckets lost with Redis start
 * full.
 *
 * <p><b>In Redis</b> each bucket is one key, {@code keyPrefix + limitName + ":" + key}, that
 * expires once the bucket would be full again (plus 5 s), so idle keys cost nothing. Instances
 * compute refills with their own clocks: keep them synchronised (NTP). A limit changed in a
 * deployment takes effect for a key once its old bucket expires.
 *
 * <p><b>On a shared connection</b> ({@link #builder(RedisConnection)}, e.g. the one weft-redis's
 * {@code RedisSessionStore} also uses) this value owns only the failure policy,
 * {@code retryAfter} and {@code keyPrefix}: {@code timeout}, {@code connectTimeout},
 * {@code reconnectInterval} and {@code warnInterval} are the connection's (set on this builder
 * they are reported by {@link Builder#build()}), the WARN line is shared with the other users
 * (one per interval for all), the "enforced again" line is the connection's {@code onRecovered},
 * and {@link #close()} leaves the connection open. Bucket4j's commands are single {@code EVAL}
 * scripts (no {@code MULTI} or {@code WATCH}), so they interleave safely with other users'
 * commands on the one multiplexed connection.
 */
public final class RedisBuckets implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RedisBuckets.class);
    private static final Duration KEEP_AFTER_FULL = Duration.ofSeconds(5);

    private final RedisConnection redis;
    /** Whether this value built {@link #redis} (then it closes it), or was given it (the application closes it). */
    private final boolean ownsConnection;
    private volatile boolean closed;
    private final boolean failOpen;
    private final long retryAfterSeconds;
    private final String keyPrefix;
    private final LongAdder allowed = new LongAdder();
    private final LongAdder refused = new LongAdder();
    /**
     * One bucket proxy per key, with Bucket4j's batching: concurrent requests for one key share one
     * compare-and-swap round trip instead of racing each other's (a single busy key, one heavy
     * client or a NAT, otherwise retried its CAS dozens of times per request and timed out).
     * Bound to the connection its manager was built on; dropped whole when it grows past
     * {@link #MAX_PROXIES}.
     */
    private volatile ProxyCache buckets = new ProxyCache(null, null);

    /** Keys whose batching proxies are kept at most; past it the cache starts again. */
    static final int MAX_PROXIES = 10_000;

    private record ProxyCache(StatefulRedisConnection<byte[], byte[]> connection, AsyncProxyManager<byte[]> manager,
            ConcurrentHashMap<String, AsyncBucketProxy> proxies) {
        ProxyCache(StatefulRedisConnection<byte[], byte[]> connection, AsyncProxyManager<byte[]> manager) {
            this(connection, manager, new ConcurrentHashMap<>());
        }
    }

    private RedisBuckets(Builder builder) {
        this.failOpen = builder.failOpen;
        this.retryAfterSeconds = RateLimit.ceilSeconds(builder.retryAfter.toNanos());
        this.keyPrefix = builder.keyPrefix;
        this.ownsConnection = !builder.source.isShared();
        // Connects now, so limits apply from the first request when Redis is up; when it is not,
        // the service starts anyway and connects later.
        this.redis = builder.source.open();
    }

    /**
     * A builder for the Redis at {@code uri}, e.g. {@code RedisURI.create("redis://cache:6379")}:
     * the value builds its own connection and closes it in {@link #close()}.
     *
     * @throws WeftException when the module {@code dev.weft:weft-redis} is not on the class path
     */
    public static Builder builder(RedisURI uri) {
        requireWeftRedis();
        return new Builder(RedisConnection.Source.own(RedisConnection.builder(Objects.requireNonNull(uri, "uri"))
                .name("rate-limits").onRecovered(how -> log.info("{}: rate limits are enforced again", how))));
    }

    /**
     * A builder for buckets on {@code connection}, which the application shares with other users
     * (weft-redis's {@code RedisSessionStore}, its own commands): one connection, one outage
     * state, one WARN line per interval. The connection's options ({@code timeout},
     * {@code connectTimeout}, {@code reconnectInterval}, {@code warnInterval}, {@code onRecovered})
     * apply; setting them on this builder is reported by {@link Builder#build()}. This value does
     * not close the connection: the application does, after closing its users.
     *
     * {@snippet class=dev.weft.ratelimit.RedisRateLimitExamples region=shared}
     */
    public static Builder builder(RedisConnection connection) {
        return new Builder(RedisConnection.Source.shared(connection));
    }

    /**
     * weft-redis is optional: without this check an application that shares limits but forgot it
     * would fail with a bare NoClassDefFoundError; this names the missing dependency at startup.
     */
    private static void requireWeftRedis() {
        try {
            Class.forName("dev.weft.redis.RedisConnection", false, RedisBuckets.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new WeftException("RedisBuckets needs the module dev.weft:weft-redis (an optional dependency of"
                    + " weft-ratelimit): add it to the application's dependencies to keep rate limits in Redis", e);
        }
    }

    /** Requests let through without a limit because Redis could not answer (fail open). */
    public long allowedWithoutRedis() {
        return allowed.sum();
    }

    /** Requests answered 503 because Redis could not answer (fail closed). */
    public long refusedWithoutRedis() {
        return refused.sum();
    }

    /** Whether the last Redis call failed (a connection attempt, a command or its timeout). */
    public boolean unavailable() {
        return redis.unavailable();
    }

    /** The connection this value uses (its own or the shared one): for tests. */
    RedisConnection connection() {
        return redis;
    }

    /** Whether this value was built on a connection the application shares (and closes). */
    public boolean sharesConnection() {
        return !ownsConnection;
    }

    /**
     * Limits using this value then fail by their policy. Closes the connection and Lettuce's
     * threads when this value built them ({@link #builder(RedisURI)}); a shared connection
     * ({@link #builder(RedisConnection)}) stays open for its other users.
     */
    @Override
    public void close() {
        closed = true;
        if (ownsConnection) {
            redis.close();
        }
    }

    /** Takes one token from the bucket of {@code key} in the limit {@code limitName}, within {@code timeout}. */
    Buckets.Decision consume(String limitName, String key, BucketConfiguration configuration)
            throws Buckets.UnavailableException {
        StatefulRedisConnection<byte[], byte[]> connection = closed ? null : redis.connection().orElse(null);
        if (connection == null) {
            throw new Buckets.UnavailableException(closed ? "the Redis buckets are closed"
                    : redis.closed() ? "the Redis connection is closed" : "not connected to Redis", null);
        }
        String fullName = keyPrefix + limitName + ":" + key;
        CompletableFuture<VerboseResult<ConsumptionProbe>> result;
        try {
            result = bucket(connection, fullName, configuration).asVerbose().tryConsumeAndReturnRemaining(1);
        } catch (RuntimeException e) {
            throw failed(e);
        }
        try {
            return Buckets.Decision.of(redis.await(result));
        } catch (TimeoutException e) {
            throw failed(e);
        } catch (ExecutionException e) {
            throw failed(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Buckets.UnavailableException("interrupted", e);
        }
    }

    private AsyncBucketProxy bucket(StatefulRedisConnection<byte[], byte[]> connection, String name,
            BucketConfiguration configuration) {
        ProxyCache cache = buckets;
        if (cache.connection() != connection) {
            cache = new ProxyCache(connection, Bucket4jLettuce.casBasedBuilder(connection)
                    .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(KEEP_AFTER_FULL))
                    .build()
                    .asAsync());
            buckets = cache; // a lost race only costs a few proxies built twice
        } else if (cache.proxies().size() >= MAX_PROXIES) {
            cache = new ProxyCache(connection, cache.manager());
            buckets = cache;
        }
        AsyncProxyManager<byte[]> manager = cache.manager();
        return cache.proxies().computeIfAbsent(name, n -> manager.builder()
                .withOptimization(Optimizations.batching())
                .build(n.getBytes(StandardCharsets.UTF_8), () -> CompletableFuture.completedFuture(configuration)));
    }

    private static Buckets.UnavailableException failed(Throwable cause) {
        return new Buckets.UnavailableException("Redis did not answer", cause);
    }

    /**
     * Applies the failure policy to one request of {@code limitName}: counts it and, at most once
     * per interval, logs a WARN. Returns whether the request may go on.
     */
    boolean allowWithoutRedis(String limitName, Buckets.UnavailableException e) {
        (failOpen ? allowed : refused).increment();
        // Closed buckets are not an outage: on a shared connection they must not mark Redis
        // unavailable for the other users.
        long sinceWarn = closed ? 0 : redis.failed();
        if (sinceWarn > 0) {
            Throwable cause = e.getCause();
            String policy = failOpen ? "let through without a limit (fail open)" : "refused with 503 (fail closed)";
            if (ownsConnection) {
                log.warn("rate limit '{}': Redis unavailable ({}{}); {} request(s) {} since the last warning",
                        limitName, e.getMessage(), cause == null ? "" : ": " + cause, sinceWarn, policy);
            } else {
                // The count is the shared connection's: every user's failed calls, not only this value's.
                log.warn("rate limit '{}': Redis unavailable ({}{}); {} call(s) on the shared {} failed since the"
                        + " last warning, requests {}", limitName, e.getMessage(), cause == null ? "" : ": " + cause,
                        sinceWarn, redis, policy);
            }
        }
        return failOpen;
    }

    /** The 503 of a request refused because Redis could not answer (fail closed). */
    Response refusal(String limitName) {
        return Problem.of(Status.SERVICE_UNAVAILABLE,
                        "rate limit '" + limitName + "' cannot be checked right now; retry later")
                .with("limit", limitName)
                .toResponse()
                .withHeader("retry-after", Long.toString(retryAfterSeconds));
    }

    /**
     * Options of {@link RedisBuckets}; {@link #build} checks them all at once. On a shared
     * connection ({@link RedisBuckets#builder(RedisConnection)}) the connection options
     * ({@code timeout}, {@code connectTimeout}, {@code reconnectInterval}, {@code warnInterval})
     * are the connection's: setting one here is a problem {@link #build} reports.
     */
    public static final class Builder {
        /** The connection this value builds, or the shared one. */
        private final RedisConnection.Source source;
        private boolean failOpen = true;
        private Duration retryAfter = Duration.ofSeconds(5);
        private String keyPrefix = "weft:ratelimit:";

        private Builder(RedisConnection.Source source) {
            this.source = source;
        }

        /** The longest a request waits for Redis (default 200 ms). */
        public Builder timeout(Duration value) { return connection("timeout", c -> c.timeout(value)); }

        /** The longest one connection attempt takes (default 1 s); attempts never run on a request. */
        public Builder connectTimeout(Duration value) { return connection("connectTimeout", c -> c.connectTimeout(value)); }

        /** The pause between connection attempts while Redis is away (default 1 s). */
        public Builder reconnectInterval(Duration value) { return connection("reconnectInterval", c -> c.reconnectInterval(value)); }

        /** When Redis cannot answer, let requests through (the default). */
        public Builder failOpen() { this.failOpen = true; return this; }

        /** When Redis cannot answer, answer 503 with {@code retry-after}. */
        public Builder failClosed() { this.failOpen = false; return this; }

        /** The {@code retry-after} of a 503 when failing closed (default 5 s; whole seconds, rounded up). */
        public Builder retryAfter(Duration value) { this.retryAfter = value; return this; }

        /** At most one WARN line per interval while Redis fails (default 1 min). */
        public Builder warnInterval(Duration value) { return connection("warnInterval", c -> c.warnInterval(value)); }

        /** The prefix of every key this writes (default {@code weft:ratelimit:}). */
        public Builder keyPrefix(String value) { this.keyPrefix = value; return this; }

        /**
         * Checks every option, then connects (one attempt of at most {@code connectTimeout};
         * when it fails the value is still built and keeps trying in the background).
         *
         * @throws WeftException listing every invalid option, one per line
         */
        public RedisBuckets build() {
            List<String> problems = source.problems(retryAfter, keyPrefix);
            if (!problems.isEmpty()) {
                throw new WeftException("invalid RedisBuckets options:\n  - " + String.join("\n  - ", problems));
            }
            return new RedisBuckets(this);
        }

        private Builder connection(String option, Consumer<RedisConnection.Builder> set) {
            source.set(option, set);
            return this;
        }
    }
}
