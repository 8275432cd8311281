package dev.weft.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import com.zaxxer.hikari.pool.HikariPool;
import dev.weft.config.Config;
import dev.weft.config.Parsers;
import dev.weft.config.ValueParser;
import dev.weft.extract.RejectedException;
import dev.weft.extract.Rejection;
import dev.weft.health.Check;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pooled database (HikariCP 7.1) configured from {@code DATABASE_*} variables, with transactions
 * that commit or roll back, plain-JDBC helpers for records ({@link Tx}), Flyway migrations, pool
 * metrics and a readiness check.
 *
 * {@snippet class=dev.weft.jdbc.DatabaseExamples region=start}
 *
 * <table class="striped">
 * <caption>Variables (read by {@link #settings(Config)})</caption>
 * <thead><tr><th>variable</th><th>default</th><th>meaning</th></tr></thead>
 * <tbody>
 * <tr><td>{@code DATABASE_URL}</td><td>embedded H2 (PostgreSQL mode, in memory)</td><td>{@code postgres://user:password@host:port/db},
 *     {@code postgresql://…} or a {@code jdbc:} URL; the password is masked everywhere</td></tr>
 * <tr><td>{@code DATABASE_MAX_CONNECTIONS}</td><td>10 (required with {@link #settings(Config, boolean)})</td><td>pool size, 1..1000</td></tr>
 * <tr><td>{@code DATABASE_MIN_CONNECTIONS}</td><td>= max (a fixed pool)</td><td>idle connections kept, 0..max</td></tr>
 * <tr><td>{@code DATABASE_ACQUIRE_TIMEOUT}</td><td>5s</td><td>wait for a free connection before answering 503</td></tr>
 * <tr><td>{@code DATABASE_MAX_LIFETIME}</td><td>30m</td><td>a connection's age limit; keep it below any proxy's cut</td></tr>
 * <tr><td>{@code DATABASE_IDLE_TIMEOUT}</td><td>10m</td><td>idle connections above min are closed after this</td></tr>
 * <tr><td>{@code DATABASE_STARTUP_TIMEOUT}</td><td>10s</td><td>how long {@link #start} tries to open the first connection</td></tr>
 * <tr><td>{@code DATABASE_LEAK_DETECTION}</td><td>off</td><td>log a connection held longer than this (at least 2s)</td></tr>
 * </tbody>
 * </table>
 *
 * <p>Thread-safe; one instance per database, shared by every handler.
 */
public final class Database implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Database.class);
    private static final Pattern PASSWORD_IN_USERINFO = Pattern.compile("(://[^:/@?#]*:)[^@/?#]*@");
    private static final Pattern PASSWORD_PARAM = Pattern.compile("(?i)((?:password|pass|pwd|sslpassword)=)[^&;\\s]*");
    private static final AtomicInteger POOLS = new AtomicInteger();

    /**
     * {@code EX_UNAVAILABLE} from {@code sysexits.h}: the exit code for a {@code main} whose
     * database cannot be used at start ({@link #start} or {@link #migrate()} threw a
     * {@link DatabaseException}). A malformed {@code DATABASE_*} variable is a configuration error
     * instead ({@code 78}, {@link dev.weft.config.ConfigCheck#EX_CONFIG}).
     */
    public static final int EX_UNAVAILABLE = 69;

    /** The embedded development default: an in-memory H2 in PostgreSQL mode, kept until {@link #close}. */
    public static final String H2_DEFAULT = "jdbc:h2:mem:weft-%d;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;"
            + "DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1";

    /**
     * Validated pool settings; read them with {@link Database#settings(Config)}.
     *
     * @param url the {@code DATABASE_URL}, empty for the embedded H2 default
     * @param maxConnections pool size
     * @param minConnections idle connections kept (at most {@code maxConnections})
     * @param acquireTimeout wait for a connection before {@code 503}
     * @param maxLifetime a connection's age limit
     * @param idleTimeout idle connections above {@code minConnections} are closed after this
     * @param startupTimeout how long {@link Database#start} tries to open the first connection
     * @param leakDetection log a connection held longer than this; empty: off
     */
    public record Settings(Optional<String> url, int maxConnections, int minConnections, Duration acquireTimeout,
            Duration maxLifetime, Duration idleTimeout, Duration startupTimeout, Optional<Duration> leakDetection) {
        public Settings {
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(acquireTimeout, "acquireTimeout");
            Objects.requireNonNull(maxLifetime, "maxLifetime");
            Objects.requireNonNull(idleTimeout, "idleTimeout");
            Objects.requireNonNull(startupTimeout, "startupTimeout");
            Objects.requireNonNull(leakDetection, "leakDetection");
        }

        /** The defaults with the embedded H2 database. */
        public static Settings defaults() {
            return new Settings(Optional.empty(), 10, 10, Duration.ofSeconds(5), Duration.ofMinutes(30),
                    Duration.ofMinutes(10), Duration.ofSeconds(10), Optional.empty());
        }

        /** A copy with {@code url}. */
        public Settings withUrl(String value) {
            return new Settings(Optional.of(value), maxConnections, minConnections, acquireTimeout, maxLifetime,
                    idleTimeout, startupTimeout, leakDetection);
        }

        /** A copy with a pool of {@code max} connections, {@code min} kept idle. */
        public Settings withPool(int max, int min) {
            return new Settings(url, max, min, acquireTimeout, maxLifetime, idleTimeout, startupTimeout, leakDetection);
        }

        /** A copy with {@code value} as acquire timeout. */
        public Settings withAcquireTimeout(Duration value) {
            return new Settings(url, maxConnections, minConnections, value, maxLifetime, idleTimeout, startupTimeout,
                    leakDetection);
        }

        /** A copy with {@code value} as startup timeout. */
        public Settings withStartupTimeout(Duration value) {
            return new Settings(url, maxConnections, minConnections, acquireTimeout, maxLifetime, idleTimeout, value,
                    leakDetection);
        }

        @Override
        public String toString() {
            return "Settings[url=" + url.map(Database::mask).orElse("(embedded H2)") + ", maxConnections="
                    + maxConnections + ", minConnections=" + minConnections + ", acquireTimeout=" + acquireTimeout
                    + ", maxLifetime=" + maxLifetime + ", idleTimeout=" + idleTimeout + ", startupTimeout="
                    + startupTimeout + ", leakDetection=" + leakDetection + "]";
        }
    }

    /**
     * The pool's numbers at one moment.
     *
     * @param total open connections
     * @param active connections lent out
     * @param idle connections waiting in the pool
     * @param waiting threads waiting for a connection
     */
    public record PoolState(int total, int active, int idle, int waiting) {
        @Override
        public String toString() {
            return "total=" + total + ", active=" + active + ", idle=" + idle + ", waiting=" + waiting;
        }
    }

    private final HikariDataSource pool;
    private final DatabaseUrl url;
    private final Settings settings;
    private final AtomicLong lastExhaustedLog = new AtomicLong(Long.MIN_VALUE / 2);

    private Database(HikariDataSource pool, DatabaseUrl url, Settings settings) {
        this.pool = pool;
        this.url = url;
        this.settings = settings;
    }

    /**
     * Reads the {@code DATABASE_*} variables; problems are recorded in {@code config} (reported
     * with every other one by {@link Config#check()}), not thrown. {@code DATABASE_MAX_CONNECTIONS}
     * defaults to 10.
     */
    public static Settings settings(Config config) {
        return settings(config, false);
    }

    /**
     * Reads the {@code DATABASE_*} variables; with {@code maxConnectionsRequired}, an unset
     * {@code DATABASE_MAX_CONNECTIONS} is a problem (for services where the pool size must be a
     * decision made per deployment).
     */
    public static Settings settings(Config config, boolean maxConnectionsRequired) {
        Settings d = Settings.defaults();
        Optional<String> url = config.optional("DATABASE_URL", urlParser());
        ValueParser<Integer> size = Parsers.integer(1, 1000);
        int max = maxConnectionsRequired ? config.required("DATABASE_MAX_CONNECTIONS", size)
                : config.optional("DATABASE_MAX_CONNECTIONS", size, d.maxConnections());
        int min = config.optional("DATABASE_MIN_CONNECTIONS", Parsers.integer(0, Math.max(max, 1)), max);
        Duration acquire = config.optional("DATABASE_ACQUIRE_TIMEOUT",
                Parsers.duration(Duration.ofMillis(250), Duration.ofMinutes(5)), d.acquireTimeout());
        Duration lifetime = config.optional("DATABASE_MAX_LIFETIME",
                Parsers.duration(Duration.ofSeconds(30), Duration.ofDays(1)), d.maxLifetime());
        Duration idle = config.optional("DATABASE_IDLE_TIMEOUT",
                Parsers.duration(Duration.ofSeconds(10), Duration.ofDays(1)), d.idleTimeout());
        Duration startup = config.optional("DATABASE_STARTUP_TIMEOUT",
                Parsers.duration(Duration.ofSeconds(1), Duration.ofMinutes(10)), d.startupTimeout());
        Optional<Duration> leak = config.optional("DATABASE_LEAK_DETECTION",
                Parsers.duration(Duration.ofSeconds(2), Duration.ofDays(1)));
        return new Settings(url.map(String::strip), max, Math.min(min, max), acquire, lifetime, idle, startup, leak);
    }

    private static ValueParser<String> urlParser() {
        return Parsers.of("postgres://user:password@host:port/db or jdbc:...", "", text -> {
            DatabaseUrl.parse(text);
            return text;
        });
    }

    /**
     * Reads the settings from the process environment, checks them (a problem throws
     * {@link dev.weft.config.ConfigException}) and {@linkplain #start starts} the pool.
     */
    public static Database fromEnvironment() {
        return start(Config.fromEnvironment().read(Database::settings));
    }

    /**
     * Opens the pool and its first connection, giving up after the startup timeout.
     *
     * @throws DatabaseException with a one-line message naming the host and port (password masked)
     *     when no connection could be opened within the startup timeout: the host does not
     *     resolve, nothing answers, the credentials are refused or the database does not exist;
     *     a {@code main} prints that line and exits {@link #EX_UNAVAILABLE}
     */
    public static Database start(Settings settings) {
        DatabaseUrl url = settings.url().map(DatabaseUrl::parse)
                .orElseGet(() -> DatabaseUrl.parse(H2_DEFAULT.formatted(POOLS.incrementAndGet())));
        if (settings.url().isEmpty()) {
            LOG.info("DATABASE_URL is not set: using an in-memory H2 database in PostgreSQL mode (a development "
                    + "default; its data is lost when the process stops)");
        }
        HikariConfig hc = new HikariConfig();
        hc.setPoolName("weft-db-" + POOLS.incrementAndGet());
        hc.setJdbcUrl(url.jdbcUrl());
        if (url.user() != null) {
            hc.setUsername(url.user());
        }
        if (url.password() != null) {
            hc.setPassword(url.password());
        }
        hc.setMaximumPoolSize(settings.maxConnections());
        hc.setMinimumIdle(settings.minConnections());
        hc.setConnectionTimeout(settings.acquireTimeout().toMillis());
        hc.setMaxLifetime(settings.maxLifetime().toMillis());
        hc.setIdleTimeout(settings.idleTimeout().toMillis());
        // No fail-fast in HikariCP's constructor: it retries with a 1 s pause after each attempt until its
        // timeout has passed, so it gave up as late as timeout + one attempt + 1 s. Here the first borrow
        // below waits at most the startup timeout, while the pool keeps trying in the background.
        hc.setInitializationFailTimeout(-1);
        settings.leakDetection().ifPresent(d -> hc.setLeakDetectionThreshold(d.toMillis()));
        hc.setValidationTimeout(Math.min(settings.acquireTimeout().toMillis(), 5_000));
        hc.setAutoCommit(true);
        if (url.jdbcUrl().startsWith("jdbc:postgresql:")) {
            // pgjdbc's own connect and login timeouts, so that one attempt cannot outlast the startup timeout
            long seconds = Math.max(1, settings.startupTimeout().toSeconds());
            hc.addDataSourceProperty("connectTimeout", Long.toString(seconds));
            hc.addDataSourceProperty("loginTimeout", Long.toString(seconds));
            hc.addDataSourceProperty("ApplicationName", "weft");
        }
        long started = System.nanoTime();
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(hc);
        } catch (RuntimeException e) {
            // HikariCP refused the configuration (e.g. "Failed to get driver instance" for a jdbc: URL without a driver)
            throw startupFailure(url, settings.startupTimeout(), Duration.ofNanos(System.nanoTime() - started), e);
        }
        try {
            firstConnection((HikariPool) pool.getHikariPoolMXBean(), started + settings.startupTimeout().toNanos());
        } catch (SQLException e) {
            // An attempt still in flight (a listener that never answers) ends only at pgjdbc's login
            // timeout, and close() waits for it: close in the background, fail now.
            Thread.ofVirtual().name(hc.getPoolName() + "-close").start(pool::close);
            throw startupFailure(url, settings.startupTimeout(), Duration.ofNanos(System.nanoTime() - started), e);
        }
        LOG.info("database pool {} open on {} ({} connections, acquire timeout {})", hc.getPoolName(),
                mask(url.jdbcUrl()), settings.maxConnections(), settings.acquireTimeout());
        return new Database(pool, url, settings);
    }

    /**
     * Waits until the pool (filling itself in the background) has opened a connection, at most
     * until {@code deadline}; short borrows so that a definite refusal (credentials, no such
     * database) fails at once instead of at the deadline: retrying cannot fix a wrong password.
     */
    private static void firstConnection(HikariPool pool, long deadline) throws SQLException {
        while (true) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            try {
                pool.getConnection(Math.clamp(left, 1, 250)).close(); // back to the pool
                return;
            } catch (SQLTransientConnectionException e) {
                // HikariCP's timeout carries the last attempt's failure as its cause
                if (left <= 250 || (e.getCause() instanceof SQLException s && refusal(s.getSQLState()))) {
                    throw e;
                }
            }
        }
    }

    /** A server's definite no: 28xxx (credentials, pg_hba.conf) or 3D000 (no such database). */
    private static boolean refusal(String sqlState) {
        return sqlState != null && (sqlState.startsWith("28") || sqlState.equals("3D000"));
    }

    /**
     * Why the first connection could not be opened, as one line that names the host and port and
     * says which of the ways a database can be wrong at start it was: a host that does not resolve,
     * nothing answering (refused, timed out), credentials refused, a database that does not exist,
     * or anything else the server or driver said. The cause is the driver's {@link SQLException}
     * when there is one, so {@link DatabaseException#sqlState()} tells them apart in code.
     */
    static DatabaseException startupFailure(DatabaseUrl url, Duration timeout, Duration took, Throwable e) {
        SQLException sql = null;
        boolean unknownHost = false;
        boolean noAnswer = false;
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException s && s.getSQLState() != null) {
                sql = s; // the deepest: the driver's, not HikariCP's "request timed out" that copies its state
            }
            unknownHost |= t instanceof UnknownHostException;
            noAnswer |= t instanceof ConnectException || t instanceof SocketTimeoutException
                    || t instanceof NoRouteToHostException;
        }
        String state = sql == null ? "" : sql.getSQLState();
        String where = url.address();
        String gaveUp = "gave up after " + took.toMillis() + " ms, DATABASE_STARTUP_TIMEOUT " + human(timeout);
        // the server's own words where it answered (e.g. 'FATAL: password authentication failed for user "app"')
        String reason = oneLine(sql != null && !noAnswer && !unknownHost ? mask(String.valueOf(sql.getMessage()))
                : rootMessage(e));
        String message;
        if (!(e instanceof SQLException)) {
            message = "DATABASE_URL " + where + " cannot be used: " + reason;
        } else if (unknownHost) {
            message = "database host " + url.host() + " does not resolve (DATABASE_URL names " + where + "; " + gaveUp
                    + ")";
        } else if (state.startsWith("28")) {
            // 28P01 wrong password, 28000 no such role or no pg_hba.conf entry: the server answered, so not "unreachable"
            message = "database at " + where + " refused the login: authentication failed; check the user and "
                    + "password in DATABASE_URL (SQLSTATE " + state + ": " + reason + ")";
        } else if (state.equals("3D000")) {
            message = "database at " + where + " is reachable but the database does not exist; create it or fix "
                    + "the name in DATABASE_URL (SQLSTATE " + state + ": " + reason + ")";
        } else if (noAnswer || state.startsWith("08")) {
            message = "database at " + where + " unreachable (" + gaveUp + "): " + reason;
        } else if (e.getCause() == null) {
            // no attempt had ended yet: the first one was still waiting for an answer
            message = "database at " + where + " unreachable (" + gaveUp + "): no connection attempt finished "
                    + "in time (a silent or very slow server)";
        } else {
            message = "database at " + where + " did not accept a connection (" + gaveUp + "): "
                    + (state.isEmpty() ? "" : "SQLSTATE " + state + ": ") + reason;
        }
        return new DatabaseException(message, sql != null ? sql : e);
    }

    private static String human(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }

    /** Server and driver messages may carry Detail/Hint/Position lines: one line, separated by "; ". */
    static String oneLine(String text) {
        return text.replaceAll("\\s*\\R[\\s-]*", "; ").strip();
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return mask(String.valueOf(t.getMessage()));
    }

    /** {@code text} with passwords in URL userinfo and password parameters replaced by {@code ****}. */
    static String mask(String text) {
        String s = PASSWORD_IN_USERINFO.matcher(text).replaceAll("$1****@");
        return PASSWORD_PARAM.matcher(s).replaceAll("$1****");
    }

    /** The JDBC URL in use, its password masked. */
    public String url() {
        return mask(url.jdbcUrl());
    }

    /** The settings this pool was started with. */
    public Settings settings() {
        return settings;
    }

    /** The pool, for libraries that take a {@link DataSource} (Jdbi, jOOQ). Its borrow is not mapped to 503. */
    public DataSource dataSource() {
        return pool;
    }

    /** The pool's numbers now. */
    public PoolState poolState() {
        HikariPoolMXBean mx = pool.getHikariPoolMXBean();
        if (mx == null) {
            return new PoolState(0, 0, 0, 0);
        }
        return new PoolState(mx.getTotalConnections(), mx.getActiveConnections(), mx.getIdleConnections(),
                mx.getThreadsAwaitingConnection());
    }

    /**
     * Borrows a connection, waiting at most the acquire timeout.
     *
     * @throws RejectedException with {@link Rejection.Unavailable} (503, {@code retry-after: 1})
     *     when the pool has no free connection in time
     */
    Connection borrow() throws SQLException {
        try {
            return pool.getConnection();
        } catch (SQLTransientConnectionException e) {
            PoolState state = poolState();
            long now = System.nanoTime();
            long last = lastExhaustedLog.get();
            if (now - last >= 1_000_000_000L && lastExhaustedLog.compareAndSet(last, now)) {
                LOG.warn("database pool exhausted: no connection within {} ({}); answering 503",
                        settings.acquireTimeout(), state);
            }
            throw new RejectedException(new Rejection.Unavailable("database-pool",
                    "No database connection became free within " + settings.acquireTimeout().toMillis()
                            + " ms; try again shortly.", 1), e);
        }
    }

    /**
     * Runs {@code work} with a connection in auto-commit mode and gives the connection back.
     *
     * @throws RejectedException (503) when no connection is free within the acquire timeout
     * @throws DatabaseException wrapping an {@link SQLException}
     */
    public <T> T withConnection(Work<Connection, T> work) {
        Objects.requireNonNull(work, "work");
        try (Connection c = borrow()) {
            return work.apply(c);
        } catch (SQLException e) {
            throw DatabaseException.wrap(e);
        }
    }

    /**
     * Runs {@code work} in one transaction: committed when it returns, rolled back when it throws
     * anything (a {@link RejectedException} included) or when the thread was interrupted (a
     * cancelled request), so a half-done transaction never commits.
     *
     * {@snippet class=dev.weft.jdbc.DatabaseExamples region=transaction}
     *
     * @throws RejectedException (503) when no connection is free within the acquire timeout
     * @throws DatabaseException wrapping an {@link SQLException}, or when interrupted
     */
    public <T> T transaction(Work<Tx, T> work) {
        Objects.requireNonNull(work, "work");
        try (Connection c = borrow()) {
            c.setAutoCommit(false);
            try {
                T result = work.apply(new Tx(c));
                if (Thread.currentThread().isInterrupted()) {
                    throw new DatabaseException("interrupted before commit; rolled back", null);
                }
                c.commit();
                return result;
            } catch (Throwable t) {
                rollback(c, t);
                throw t;
            } finally {
                restoreAutoCommit(c);
            }
        } catch (SQLException e) {
            throw DatabaseException.wrap(e);
        }
    }

    private static void rollback(Connection c, Throwable cause) {
        try {
            c.rollback();
        } catch (SQLException | RuntimeException e) {
            // the connection may be broken (an interrupt closes a virtual thread's socket); the pool evicts it
            cause.addSuppressed(e);
        }
    }

    private static void restoreAutoCommit(Connection c) {
        try {
            if (!c.isClosed()) {
                c.setAutoCommit(true);
            }
        } catch (SQLException ignored) {
            // a broken connection: HikariCP evicts it on close
        }
    }

    /** A unit of work on a connection or transaction. */
    @FunctionalInterface
    public interface Work<C, T> {
        /** Does the work; an exception rolls a transaction back. */
        T apply(C on) throws SQLException;
    }

    /**
     * Applies the migrations in {@code classpath:db/migration} with Flyway ({@code clean}
     * disabled). On PostgreSQL several instances starting at once are serialized by Flyway's
     * advisory lock. Run it before readiness turns true.
     *
     * @return how many migrations were applied
     * @throws DatabaseException with a one-line message when a migration fails (Flyway's
     *     exception is its cause)
     */
    public int migrate() {
        return migrate("classpath:db/migration");
    }

    /** Applies the migrations in {@code locations}; see {@link #migrate()}. */
    public int migrate(String... locations) {
        Flyway flyway = Flyway.configure(Database.class.getClassLoader())
                .dataSource(pool)
                .locations(locations)
                .cleanDisabled(true)
                .load();
        MigrateResult result;
        try {
            result = flyway.migrate();
        } catch (FlywayException e) {
            // Flyway's messages span several lines (a banner, SQL state, the statement): one line here
            throw new DatabaseException("database migration on " + url.address() + " failed: "
                    + oneLine(String.valueOf(e.getMessage())), e);
        }
        LOG.info("database migrations: {} applied, schema at version {}", result.migrationsExecuted,
                result.targetSchemaVersion == null ? "(unchanged)" : result.targetSchemaVersion);
        return result.migrationsExecuted;
    }

    /**
     * A readiness check: borrows a connection (waiting at most the acquire timeout) and validates
     * it with a bounded query ({@code Connection.isValid(1)}). Never use it for liveness: a
     * database blip would restart every instance at once.
     */
    public Check healthCheck() {
        return () -> {
            try (Connection c = pool.getConnection()) {
                boolean valid = c.isValid(1);
                return Check.Result.of(valid, valid ? "connection valid" : "validation query failed")
                        .withDetail("pool", poolState().toString());
            } catch (SQLException e) {
                return Check.Result.fail("no valid connection to " + url.address() + ": " + rootMessage(e))
                        .withDetail("pool", poolState().toString());
            }
        };
    }

    /**
     * Publishes HikariCP's meters ({@code hikaricp_connections_active}, {@code _idle},
     * {@code _pending}, {@code _timeout}, acquire timing) to {@code registry}, an
     * {@code io.micrometer.core.instrument.MeterRegistry} (for weft-metrics:
     * {@code metrics.registry()}). Micrometer is an optional dependency; call this only when it is
     * on the class path. Call it once, before the first connection is borrowed by a request.
     */
    public void bindMetrics(Object registry) {
        MicrometerBinding.bind(pool, registry);
    }

    /** Closes every connection; borrowing afterwards fails. */
    @Override
    public void close() {
        pool.close();
    }

    @Override
    public String toString() {
        return "Database[" + url() + ", " + poolState() + "]";
    }
}
