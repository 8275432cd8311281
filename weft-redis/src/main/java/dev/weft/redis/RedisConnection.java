package dev.weft.redis;

import dev.weft.WeftException;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Lettuce connection to Redis shaped for serving requests, with the outage behaviour every
 * Weft Redis integration shares: {@link RedisSessionStore} and weft-ratelimit's
 * {@code RedisBuckets} are each built on one. It owns its Lettuce client (2 I/O threads) and one
 * multiplexed connection with {@code byte[]} keys and values; the user decides what a failure
 * means for a request (a 503, a request let through).
 *
 * {@snippet class=dev.weft.redis.RedisConnectionExamples region=counter}
 *
 * <p><b>One connection for several users.</b> An application may build one and give it to
 * {@link RedisSessionStore#builder(RedisConnection)}, {@code RedisBuckets.builder(RedisConnection)}
 * and its own code: one Lettuce client and connection, one outage state (a failure of any user
 * makes {@link #unavailable()} true for all, the first answer ends it for all), one WARN line
 * per {@code warnInterval} for all of them (logged by the user whose failure made it due, with
 * the failures of every user since the last one) and one {@code onRecovered} call per outage.
 * The users do not close it; the application closes it after them.
 *
 * <table class="striped">
 *   <caption>Options</caption>
 *   <thead><tr><th>option</th><th>default</th><th>meaning</th></tr></thead>
 *   <tbody>
 *   <tr><td>{@code timeout}</td><td>200 ms</td><td>the longest one command (so a request) waits for Redis</td></tr>
 *   <tr><td>{@code connectTimeout}</td><td>1 s</td><td>the longest one (background) connection attempt takes</td></tr>
 *   <tr><td>{@code reconnectInterval}</td><td>1 s</td><td>the pause between connection attempts while Redis is away</td></tr>
 *   <tr><td>{@code warnInterval}</td><td>1 min</td><td>{@link #failed()} asks for a WARN line at most once per interval</td></tr>
 *   <tr><td>{@code name}</td><td>{@code redis}</td><td>what the connection serves, in its thread's name and DEBUG lines</td></tr>
 *   <tr><td>{@code onRecovered}</td><td>nothing</td><td>called with how Redis came back ({@code "connected to Redis"} or {@code "Redis answers again"}) after an outage</td></tr>
 *   </tbody>
 * </table>
 *
 * <p><b>When Redis is down or slow</b> no caller waits longer than {@code timeout}: while
 * disconnected, commands are rejected at once instead of queued, {@link #connection()} is empty
 * until the first connection succeeds, and {@link #await} gives up a command after
 * {@code timeout}. Connection attempts never run on a request: the first is made by
 * {@link Builder#build()} (which never fails because Redis is away), later ones on a virtual
 * thread at most once per {@code reconnectInterval}; Lettuce itself reconnects an established
 * connection after Redis comes back. The password, database and TLS settings are those of the
 * {@link RedisURI}; its timeout is replaced by {@code timeout}. Thread-safe; {@link #close()} it
 * on shutdown.
 */
public final class RedisConnection implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RedisConnection.class);

    private final String name;
    private final Duration timeout;
    private final long reconnectNanos;
    private final long warnIntervalNanos;
    private final Consumer<String> onRecovered;
    private final ClientResources resources;
    private final RedisClient client;
    private final AtomicBoolean connecting = new AtomicBoolean();
    private final AtomicBoolean down = new AtomicBoolean();
    private final AtomicLong nextAttempt = new AtomicLong(System.nanoTime());
    private final AtomicLong nextWarn = new AtomicLong(System.nanoTime());
    private final LongAdder sinceWarn = new LongAdder();
    private volatile StatefulRedisConnection<byte[], byte[]> connection;
    private volatile boolean closed;

    private RedisConnection(Builder builder) {
        this.name = builder.name;
        this.timeout = builder.timeout;
        this.reconnectNanos = builder.reconnectInterval.toNanos();
        this.warnIntervalNanos = builder.warnInterval.toNanos();
        this.onRecovered = builder.onRecovered;
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
        // One attempt now, so the first request is served when Redis is up; when it is not, the
        // service starts anyway and connects in the background.
        connect();
    }

    /** A builder for the Redis at {@code uri}, e.g. {@code RedisURI.create("redis://cache:6379")}. */
    public static Builder builder(RedisURI uri) {
        return new Builder(uri);
    }

    /**
     * The connection, or empty when there is none yet (or this is closed); then a background
     * connection attempt is started if one is due. Never blocks.
     */
    public Optional<StatefulRedisConnection<byte[], byte[]>> connection() {
        StatefulRedisConnection<byte[], byte[]> c = closed ? null : connection;
        if (c == null) {
            connectInBackground();
        }
        return Optional.ofNullable(c);
    }

    /**
     * Waits at most {@code timeout} for a command's answer. An answer ends an outage
     * ({@code onRecovered} is told {@code "Redis answers again"}); on timeout the command is
     * cancelled. Does not count failures: callers decide which ones are outages and call
     * {@link #failed()}.
     *
     * @throws TimeoutException when Redis did not answer within {@code timeout}
     * @throws ExecutionException when the command failed (an error reply, a lost connection)
     * @throws InterruptedException when the waiting thread was interrupted
     */
    public <T> T await(Future<T> answer) throws TimeoutException, ExecutionException, InterruptedException {
        T value;
        try {
            value = answer.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            answer.cancel(false);
            throw e;
        }
        recovered("Redis answers again");
        return value;
    }

    /**
     * Records one call that failed because Redis could not answer: Redis counts as unavailable
     * until a command or a connection attempt succeeds.
     *
     * @return the number of such failures since the last WARN line when one is due now (at most
     *     once per {@code warnInterval}; the caller logs it), else 0
     */
    public long failed() {
        down.set(true);
        sinceWarn.increment();
        long now = System.nanoTime();
        long due = nextWarn.get();
        if (now - due >= 0 && nextWarn.compareAndSet(due, now + warnIntervalNanos)) {
            return sinceWarn.sumThenReset();
        }
        return 0;
    }

    /** Whether the last Redis call failed (a connection attempt, a command or its timeout). */
    public boolean unavailable() {
        return down.get();
    }

    /** Whether {@link #close()} was called. */
    public boolean closed() {
        return closed;
    }

    /** The longest one command waits for Redis. */
    public Duration timeout() {
        return timeout;
    }

    /** Closes the connection and Lettuce's threads; {@link #connection()} is empty from then on. */
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
        return "RedisConnection[" + name + "]";
    }

    /**
     * The problem with {@code keyPrefix} as the prefix of the keys an integration writes, if any:
     * it must be non-empty printable ASCII without spaces, so keys stay readable in
     * {@code redis-cli} and {@code MONITOR}.
     */
    public static Optional<String> keyPrefixProblem(String keyPrefix) {
        if (keyPrefix == null || keyPrefix.isEmpty() || keyPrefix.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
            return Optional.of("keyPrefix must be non-empty printable ASCII without spaces, got "
                    + (keyPrefix == null ? "null" : "'" + keyPrefix + "'"));
        }
        return Optional.empty();
    }

    /**
     * Where a Redis integration's connection comes from, for the integration's builder: one it
     * builds itself (and closes), or one the application shares between several users. The
     * connection options set on the integration's builder ({@code timeout}, {@code connectTimeout},
     * …) go to its own connection; on a shared one, which every user sees the same way, each is a
     * problem {@link #problems} reports instead. Not thread-safe, like the builders that hold it.
     */
    public static final class Source {
        private final Builder own;
        private final RedisConnection shared;
        /** Connection options set while the connection is shared: each is a problem. */
        private final Set<String> misplaced = new LinkedHashSet<>();

        private Source(Builder own, RedisConnection shared) {
            this.own = own;
            this.shared = shared;
        }

        /** The integration builds its own connection from {@code builder} and closes it. */
        public static Source own(Builder builder) {
            return new Source(Objects.requireNonNull(builder, "builder"), null);
        }

        /** The integration uses {@code connection}, which the application shares and closes. */
        public static Source shared(RedisConnection connection) {
            return new Source(null, Objects.requireNonNull(connection, "connection"));
        }

        /** Whether the connection is the application's, shared. */
        public boolean isShared() {
            return shared != null;
        }

        /** Sets the connection option named {@code option} on the own connection; on a shared one it is a problem. */
        public void set(String option, Consumer<Builder> set) {
            if (own == null) {
                misplaced.add(option);
            } else {
                set.accept(own);
            }
        }

        /**
         * Every problem, one sentence each in a new modifiable list: the own connection's options,
         * or that the shared connection is closed and each connection option set on the
         * integration; then the options every integration has, {@code retryAfter} (at least
         * 1 s) and {@code keyPrefix} ({@link #keyPrefixProblem}).
         */
        public List<String> problems(Duration retryAfter, String keyPrefix) {
            List<String> problems;
            if (own != null) {
                problems = own.problems();
            } else {
                problems = new ArrayList<>();
                if (shared.closed()) {
                    problems.add("the shared " + shared + " is closed");
                }
                for (String option : misplaced) {
                    problems.add(option + " is an option of the shared " + shared
                            + ": set it on RedisConnection.builder(..), not here");
                }
            }
            if (retryAfter == null || retryAfter.compareTo(Duration.ofSeconds(1)) < 0) {
                problems.add("retryAfter must be at least 1 s, got " + retryAfter);
            }
            keyPrefixProblem(keyPrefix).ifPresent(problems::add);
            return problems;
        }

        /** The own connection, built now (it makes its first attempt), or the shared one. */
        public RedisConnection open() {
            return own != null ? own.build() : shared;
        }
    }

    private void recovered(String how) {
        if (down.compareAndSet(true, false)) {
            onRecovered.accept(how);
        }
    }

    private void connectInBackground() {
        if (closed || System.nanoTime() - nextAttempt.get() < 0 || connecting.get()) {
            return;
        }
        Thread.ofVirtual().name("weft-redis-connect-" + name).start(this::connect);
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
            recovered("connected to Redis");
        } catch (RuntimeException e) {
            down.set(true);
            nextAttempt.set(System.nanoTime() + reconnectNanos);
            log.debug("cannot connect to Redis for {}", name, e);
        } finally {
            connecting.set(false);
        }
    }

    /**
     * Options of {@link RedisConnection}; {@link #build} checks them all at once. A builder of an
     * integration may embed one and report {@link #problems()} with its own. Not thread-safe.
     */
    public static final class Builder {
        private final RedisURI uri;
        private Duration timeout = Duration.ofMillis(200);
        private Duration connectTimeout = Duration.ofSeconds(1);
        private Duration reconnectInterval = Duration.ofSeconds(1);
        private Duration warnInterval = Duration.ofMinutes(1);
        private String name = "redis";
        private Consumer<String> onRecovered = how -> {};

        private Builder(RedisURI uri) {
            this.uri = Objects.requireNonNull(uri, "uri");
        }

        /** The longest one command waits for Redis (default 200 ms). */
        public Builder timeout(Duration value) { this.timeout = value; return this; }

        /** The longest one connection attempt takes (default 1 s); attempts never run on a request. */
        public Builder connectTimeout(Duration value) { this.connectTimeout = value; return this; }

        /** The pause between connection attempts while Redis is away (default 1 s). */
        public Builder reconnectInterval(Duration value) { this.reconnectInterval = value; return this; }

        /** How often {@link RedisConnection#failed()} asks for a WARN line at most (default 1 min). */
        public Builder warnInterval(Duration value) { this.warnInterval = value; return this; }

        /** What the connection serves, e.g. {@code "sessions"}: in its thread's name and DEBUG lines. */
        public Builder name(String value) { this.name = value; return this; }

        /** Called (on a Lettuce or request thread) with how Redis came back after an outage; e.g. to log it. */
        public Builder onRecovered(Consumer<String> value) { this.onRecovered = value; return this; }

        /** Every invalid option, one sentence each, in a new modifiable list; empty when all are valid. */
        public List<String> problems() {
            List<String> problems = new ArrayList<>();
            positive(problems, "timeout", timeout);
            positive(problems, "connectTimeout", connectTimeout);
            positive(problems, "reconnectInterval", reconnectInterval);
            positive(problems, "warnInterval", warnInterval);
            if (name == null || name.isBlank()) {
                problems.add("name must not be blank, got " + (name == null ? "null" : "'" + name + "'"));
            }
            if (onRecovered == null) {
                problems.add("onRecovered must not be null");
            }
            return problems;
        }

        /**
         * Checks every option, then connects (one attempt of at most {@code connectTimeout}; when
         * it fails the connection is still built and keeps trying in the background).
         *
         * @throws WeftException listing every invalid option, one per line
         */
        public RedisConnection build() {
            List<String> problems = problems();
            if (!problems.isEmpty()) {
                throw new WeftException("invalid RedisConnection options:\n  - " + String.join("\n  - ", problems));
            }
            return new RedisConnection(this);
        }

        private static void positive(List<String> problems, String name, Duration value) {
            if (value == null || value.isNegative() || value.isZero()) {
                problems.add(name + " must be positive, got " + value);
            }
        }
    }
}
