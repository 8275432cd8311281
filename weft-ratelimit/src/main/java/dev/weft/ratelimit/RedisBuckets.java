package dev.weft.ratelimit;

import dev.weft.WeftException;
import dev.weft.response.Problem;
import dev.weft.response.Response;
import dev.weft.response.Status;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.VerboseResult;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.AsyncProxyManager;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.lettuce.core.resource.DefaultClientResources;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rate-limit buckets kept in Redis (Bucket4j's compare-and-swap Lettuce integration), so every
 * instance using the same Redis and limit name enforces one limit. Give it to
 * {@link RateLimit.Builder#redis}; one value may serve several limits. Needs
 * {@code io.lettuce:lettuce-core} on the class path (an optional dependency of this module).
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
 */
public final class RedisBuckets implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RedisBuckets.class);
    private static final Duration KEEP_AFTER_FULL = Duration.ofSeconds(5);

    private final Duration timeout;
    private final long reconnectNanos;
    private final boolean failOpen;
    private final long retryAfterSeconds;
    private final long warnIntervalNanos;
    private final String keyPrefix;
    private final ClientResources resources;
    private final RedisClient client;
    private final AtomicBoolean connecting = new AtomicBoolean();
    private final AtomicBoolean down = new AtomicBoolean();
    private final AtomicLong nextAttempt = new AtomicLong(System.nanoTime());
    private final AtomicLong nextWarn = new AtomicLong(System.nanoTime());
    private final LongAdder allowed = new LongAdder();
    private final LongAdder refused = new LongAdder();
    private final LongAdder sinceWarn = new LongAdder();
    private volatile StatefulRedisConnection<byte[], byte[]> connection;
    private volatile AsyncProxyManager<byte[]> proxies;
    /**
     * One bucket proxy per key, with Bucket4j's batching: concurrent requests for one key share one
     * compare-and-swap round trip instead of racing each other's (a single busy key, one heavy
     * client or a NAT, otherwise retried its CAS dozens of times per request and timed out).
     * Bound to the manager it was built with; dropped whole when it grows past {@link #MAX_PROXIES}.
     */
    private volatile ProxyCache buckets = new ProxyCache(null);
    private volatile boolean closed;

    /** Keys whose batching proxies are kept at most; past it the cache starts again. */
    static final int MAX_PROXIES = 10_000;

    private record ProxyCache(AsyncProxyManager<byte[]> manager,
            java.util.concurrent.ConcurrentHashMap<String, io.github.bucket4j.distributed.AsyncBucketProxy> proxies) {
        ProxyCache(AsyncProxyManager<byte[]> manager) {
            this(manager, new java.util.concurrent.ConcurrentHashMap<>());
        }
    }

    private RedisBuckets(Builder builder) {
        this.timeout = builder.timeout;
        this.reconnectNanos = builder.reconnectInterval.toNanos();
        this.failOpen = builder.failOpen;
        this.retryAfterSeconds = RateLimit.ceilSeconds(builder.retryAfter.toNanos());
        this.warnIntervalNanos = builder.warnInterval.toNanos();
        this.keyPrefix = builder.keyPrefix;
        this.resources = DefaultClientResources.builder()
                .ioThreadPoolSize(2)
                .computationThreadPoolSize(2)
                .reconnectDelay(Delay.constant(builder.reconnectInterval))
                .build();
        RedisURI uri = RedisURI.builder(builder.uri).withTimeout(builder.timeout).build();
        this.client = RedisClient.create(resources, uri);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                // While disconnected, fail at once instead of queueing commands (and requests).
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .socketOptions(SocketOptions.builder().connectTimeout(builder.connectTimeout).build())
                .timeoutOptions(TimeoutOptions.enabled(builder.timeout))
                .build());
        // One attempt now, so limits apply from the first request when Redis is up; when it is
        // not, the service starts anyway and connects later.
        connect();
    }

    /** A builder for the Redis at {@code uri}, e.g. {@code RedisURI.create("redis://cache:6379")}. */
    public static Builder builder(RedisURI uri) {
        return new Builder(uri);
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
        return down.get();
    }

    /** Closes the connection and Lettuce's threads; limits using this value then fail by their policy. */
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

    /** Takes one token from the bucket of {@code key} in the limit {@code limitName}, within {@code timeout}. */
    Buckets.Decision consume(String limitName, String key, BucketConfiguration configuration)
            throws Buckets.UnavailableException {
        AsyncProxyManager<byte[]> manager = proxies;
        if (manager == null) {
            connectInBackground();
            throw new Buckets.UnavailableException("not connected to Redis", null);
        }
        String fullName = keyPrefix + limitName + ":" + key;
        CompletableFuture<VerboseResult<ConsumptionProbe>> result;
        try {
            result = bucket(manager, fullName, configuration).asVerbose().tryConsumeAndReturnRemaining(1);
        } catch (RuntimeException e) {
            throw failed(e);
        }
        try {
            Buckets.Decision decision = Buckets.Decision.of(result.get(timeout.toNanos(), TimeUnit.NANOSECONDS));
            if (down.compareAndSet(true, false)) {
                log.info("Redis answers again: rate limits are enforced again");
            }
            return decision;
        } catch (TimeoutException e) {
            result.cancel(false);
            throw failed(e);
        } catch (ExecutionException e) {
            throw failed(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Buckets.UnavailableException("interrupted", e);
        }
    }

    private io.github.bucket4j.distributed.AsyncBucketProxy bucket(AsyncProxyManager<byte[]> manager, String name,
            BucketConfiguration configuration) {
        ProxyCache cache = buckets;
        if (cache.manager() != manager || cache.proxies().size() >= MAX_PROXIES) {
            cache = new ProxyCache(manager);
            buckets = cache; // a lost race only costs a few proxies built twice
        }
        return cache.proxies().computeIfAbsent(name, n -> manager.builder()
                .withOptimization(io.github.bucket4j.distributed.proxy.optimization.Optimizations.batching())
                .build(n.getBytes(StandardCharsets.UTF_8), () -> CompletableFuture.completedFuture(configuration)));
    }

    private Buckets.UnavailableException failed(Throwable cause) {
        down.set(true);
        return new Buckets.UnavailableException("Redis did not answer", cause);
    }

    /**
     * Applies the failure policy to one request of {@code limitName}: counts it and, at most once
     * per interval, logs a WARN. Returns whether the request may go on.
     */
    boolean allowWithoutRedis(String limitName, Buckets.UnavailableException e) {
        down.set(true);
        (failOpen ? allowed : refused).increment();
        sinceWarn.increment();
        long now = System.nanoTime();
        long due = nextWarn.get();
        if (now - due >= 0 && nextWarn.compareAndSet(due, now + warnIntervalNanos)) {
            long n = sinceWarn.sumThenReset();
            Throwable cause = e.getCause();
            log.warn("rate limit '{}': Redis unavailable ({}{}); {} request(s) {} since the last warning",
                    limitName, e.getMessage(), cause == null ? "" : ": " + cause, n,
                    failOpen ? "let through without a limit (fail open)" : "refused with 503 (fail closed)");
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

    private void connectInBackground() {
        long due = nextAttempt.get();
        if (closed || System.nanoTime() - due < 0 || connecting.get()) {
            return;
        }
        Thread.ofVirtual().name("weft-redis-connect").start(this::connect);
    }

    /** One connection attempt; on failure the next is due after {@code reconnectInterval}. */
    private void connect() {
        if (!connecting.compareAndSet(false, true)) {
            return;
        }
        try {
            if (proxies != null || closed) {
                return;
            }
            StatefulRedisConnection<byte[], byte[]> c = client.connect(ByteArrayCodec.INSTANCE);
            connection = c;
            proxies = Bucket4jLettuce.casBasedBuilder(c)
                    .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(KEEP_AFTER_FULL))
                    .build()
                    .asAsync();
            if (down.compareAndSet(true, false)) {
                log.info("connected to Redis: rate limits are enforced again");
            }
        } catch (RuntimeException e) {
            down.set(true);
            nextAttempt.set(System.nanoTime() + reconnectNanos);
            log.debug("cannot connect to Redis for rate limits", e);
        } finally {
            connecting.set(false);
        }
    }

    /** Options of {@link RedisBuckets}; {@link #build} checks them all at once. */
    public static final class Builder {
        private final RedisURI uri;
        private Duration timeout = Duration.ofMillis(200);
        private Duration connectTimeout = Duration.ofSeconds(1);
        private Duration reconnectInterval = Duration.ofSeconds(1);
        private boolean failOpen = true;
        private Duration retryAfter = Duration.ofSeconds(5);
        private Duration warnInterval = Duration.ofMinutes(1);
        private String keyPrefix = "weft:ratelimit:";

        private Builder(RedisURI uri) {
            this.uri = Objects.requireNonNull(uri, "uri");
        }

        /** The longest a request waits for Redis (default 200 ms). */
        public Builder timeout(Duration value) { this.timeout = value; return this; }

        /** The longest one connection attempt takes (default 1 s); attempts never run on a request. */
        public Builder connectTimeout(Duration value) { this.connectTimeout = value; return this; }

        /** The pause between connection attempts while Redis is away (default 1 s). */
        public Builder reconnectInterval(Duration value) { this.reconnectInterval = value; return this; }

        /** When Redis cannot answer, let requests through (the default). */
        public Builder failOpen() { this.failOpen = true; return this; }

        /** When Redis cannot answer, answer 503 with {@code retry-after}. */
        public Builder failClosed() { this.failOpen = false; return this; }

        /** The {@code retry-after} of a 503 when failing closed (default 5 s; whole seconds, rounded up). */
        public Builder retryAfter(Duration value) { this.retryAfter = value; return this; }

        /** At most one WARN line per interval while Redis fails (default 1 min). */
        public Builder warnInterval(Duration value) { this.warnInterval = value; return this; }

        /** The prefix of every key this writes (default {@code weft:ratelimit:}). */
        public Builder keyPrefix(String value) { this.keyPrefix = value; return this; }

        /**
         * Checks every option, then connects (one attempt of at most {@code connectTimeout};
         * when it fails the value is still built and keeps trying in the background).
         *
         * @throws WeftException listing every invalid option, one per line
         */
        public RedisBuckets build() {
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
                throw new WeftException("invalid RedisBuckets options:\n  - " + String.join("\n  - ", problems));
            }
            return new RedisBuckets(this);
        }

        private static void positive(List<String> problems, String name, Duration value) {
            if (value == null || value.isNegative() || value.isZero()) {
                problems.add(name + " must be positive, got " + value);
            }
        }
    }
}
