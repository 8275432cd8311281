package dev.weft.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.extract.RejectedException;
import dev.weft.extract.Rejection;
import dev.weft.health.Check;
import dev.weft.response.Response;
import dev.weft.routing.Router;
import dev.weft.test.TestClient;
import dev.weft.test.TestResponse;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The behaviour every database must show; run on H2 (DatabaseTest) and PostgreSQL (PostgresIT). */
abstract class DatabaseContract {
    private final List<Database> open = new ArrayList<>();

    /** Settings for a fresh, empty database (its own schema). */
    abstract Database.Settings fresh();

    Database start(Database.Settings settings) {
        Database db = Database.start(settings);
        open.add(db);
        return db;
    }

    Database migrated() {
        Database db = start(fresh());
        db.migrate();
        return db;
    }

    @AfterEach
    void close() {
        open.forEach(Database::close);
    }

    static long count(Database db) {
        return db.transaction(tx -> tx.one("SELECT count(*) FROM items", r -> r.getLong(1)).orElseThrow());
    }

    /** Sleeps inside JDBC work; an interrupt ends it as a failed statement would. */
    static void pause(long millis) throws SQLException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted", e);
        }
    }

    static void await(Database db) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (db.poolState().active() != 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    @Test
    void a_transaction_that_returns_is_committed_and_rows_map_to_records() {
        Database db = migrated();
        List<DatabaseExamples.Item> items = DatabaseExamples.transaction(db);
        assertThat(items).extracting(DatabaseExamples.Item::name).containsExactly("apples");
        assertThat(count(db)).isEqualTo(1);
        java.util.Optional<String> none =
                db.transaction(tx -> tx.one("SELECT name FROM items WHERE name = ?", r -> r.getString(1), "pears"));
        assertThat(none).isEmpty();
    }

    @Test
    void every_kind_of_exception_rolls_the_transaction_back() {
        Database db = migrated();
        List<RuntimeException> thrown = List.of(new IllegalStateException("boom"),
                new RejectedException(new Rejection.Unavailable("x", "later", 1)));
        for (RuntimeException e : thrown) {
            assertThatThrownBy(() -> db.transaction(tx -> {
                tx.update("INSERT INTO items (name) VALUES (?)", "lost");
                throw e;
            })).isSameAs(e);
        }
        assertThatThrownBy(() -> db.transaction(tx -> {
            tx.update("INSERT INTO items (name) VALUES (?)", "lost");
            throw new SQLException("checked", "42000");
        })).isInstanceOf(DatabaseException.class).satisfies(e ->
                assertThat(((DatabaseException) e).sqlState()).contains("42000"));
        // a constraint violation inside the transaction: the earlier insert goes too
        assertThatThrownBy(() -> db.transaction(tx -> {
            tx.update("INSERT INTO items (name) VALUES (?)", "twice");
            return tx.update("INSERT INTO items (name) VALUES (?)", "twice");
        })).isInstanceOf(DatabaseException.class)
                .satisfies(e -> assertThat(((DatabaseException) e).sqlState()).contains("23505"));
        assertThat(count(db)).isZero();
        assertThat(db.poolState().active()).isZero();
    }

    @Test
    void an_interrupted_transaction_is_rolled_back_even_when_its_work_returned() throws Exception {
        Database db = migrated();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = Thread.ofVirtual().start(() -> {
            try {
                db.transaction(tx -> {
                    tx.update("INSERT INTO items (name) VALUES (?)", "cancelled");
                    Thread.currentThread().interrupt(); // the request was cancelled while the work ran
                    return null;
                });
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        t.join();
        assertThat(failure.get()).isInstanceOf(DatabaseException.class).hasMessageContaining("interrupted");
        await(db);
        assertThat(count(db)).isZero();
    }

    /** How a client leaves while its request's transaction runs. */
    enum Leaving {
        /** It closes the connection: the server sees the end of its input (a FIN). */
        CLOSE,
        /** It resets the connection (SO_LINGER 0): the server sees the connection fail. */
        RESET
    }

    @ParameterizedTest
    @EnumSource(Leaving.class)
    void a_client_that_leaves_mid_transaction_leaves_nothing_behind(Leaving leaving) throws Exception {
        Database db = migrated();
        CountDownLatch inserted = new CountDownLatch(1);
        CountDownLatch ended = new CountDownLatch(1);
        AtomicReference<Throwable> outcome = new AtomicReference<>();
        Router app = Router.builder()
                .post("/order", () -> {
                    try {
                        return db.transaction(tx -> {
                            tx.update("INSERT INTO items (name) VALUES (?)", "abandoned");
                            inserted.countDown();
                            pause(30_000); // only an interrupt ends it in time
                            return Response.text("committed");
                        });
                    } catch (RuntimeException e) {
                        outcome.set(e);
                        throw e;
                    } finally {
                        ended.countDown();
                    }
                })
                .build();
        try (TestClient client = TestClient.start(app)) {
            Socket socket = new Socket(InetAddress.getLoopbackAddress(), client.port());
            socket.getOutputStream().write("POST /order HTTP/1.1\r\nhost: db\r\ncontent-length: 0\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            assertThat(inserted.await(10, TimeUnit.SECONDS)).isTrue();
            if (leaving == Leaving.RESET) {
                socket.setSoLinger(true, 0);
            }
            socket.close();

            assertThat(ended.await(10, TimeUnit.SECONDS)).as("the handler was interrupted").isTrue();
        }
        assertThat(outcome.get()).isInstanceOf(DatabaseException.class);
        await(db);
        assertThat(count(db)).isZero();
        assertThat(db.poolState().active()).isZero();
    }

    @Test
    void an_exhausted_pool_answers_503_with_retry_after_within_the_acquire_timeout() throws Exception {
        Duration acquire = Duration.ofMillis(500);
        Database db = start(fresh().withPool(2, 2).withAcquireTimeout(acquire));
        Router app = Router.builder()
                .get("/slow", () -> db.withConnection(c -> {
                    try {
                        Thread.sleep(1_500);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return Response.text("held");
                }))
                .build();
        var logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(Database.class);
        var logged = new ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent>();
        logged.start();
        logger.addAppender(logged);
        long started = System.nanoTime();
        try (TestClient client = TestClient.start(app); ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<long[]>> calls = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                calls.add(pool.submit(() -> {
                    long start = System.nanoTime();
                    TestResponse r = client.get("/slow");
                    long ms = (System.nanoTime() - start) / 1_000_000;
                    if (r.status() == 503) {
                        assertThat(r.header("retry-after")).contains("1");
                        assertThat(r.contentType()).startsWith("application/problem+json");
                        assertThat(r.body()).contains("database-pool");
                    }
                    return new long[] {r.status(), ms};
                }));
            }
            int ok = 0;
            int unavailable = 0;
            for (Future<long[]> f : calls) {
                long[] r = f.get();
                assertThat(r[0]).isIn(200L, 503L);
                if (r[0] == 503) {
                    unavailable++;
                    // the rejection comes after the acquire timeout, not Hikari's 30 s
                    assertThat(r[1]).isLessThan(acquire.toMillis() + 3_000);
                } else {
                    ok++;
                }
            }
            assertThat(ok).isGreaterThanOrEqualTo(2);
            assertThat(unavailable).isGreaterThanOrEqualTo(3);
        } finally {
            logger.detachAppender(logged);
        }
        // the pool state is logged, but at most once a second however many requests were refused
        long seconds = (System.nanoTime() - started) / 1_000_000_000L;
        List<String> exhausted = logged.list.stream().map(e -> e.getFormattedMessage())
                .filter(m -> m.startsWith("database pool exhausted")).toList();
        assertThat(exhausted).isNotEmpty().hasSizeLessThanOrEqualTo((int) seconds + 1);
        assertThat(exhausted.getFirst()).contains("total=2", "active=2", "idle=0", "waiting=");
        await(db);
        assertThat(db.poolState().active()).isZero();
    }

    @Test
    void a_soak_of_mixed_outcomes_leaves_every_connection_idle() throws Exception {
        Database db = start(fresh().withPool(4, 4).withAcquireTimeout(Duration.ofMillis(300)));
        db.migrate();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> tasks = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                int n = i;
                tasks.add(pool.submit(() -> {
                    try {
                        db.transaction(tx -> {
                            tx.update("INSERT INTO items (name) VALUES (?)", "item-" + n);
                            switch (n % 4) {
                                case 1 -> throw new IllegalStateException("fail " + n);
                                case 2 -> tx.update("INSERT INTO items (name) VALUES (?)", "item-" + n); // duplicate
                                case 3 -> pause(5);
                                default -> { }
                            }
                            return null;
                        });
                    } catch (RuntimeException expected) {
                        // failures, duplicates, interrupts and 503s are all part of the mix
                    }
                    return null;
                }));
            }
            // cancel a share of them while they run (a client going away)
            for (int i = 0; i < tasks.size(); i += 7) {
                tasks.get(i).cancel(true);
            }
        }
        await(db);
        Database.PoolState state = db.poolState();
        assertThat(state.active()).isZero();
        assertThat(state.idle()).isEqualTo(state.total());
        assertThat(state.waiting()).isZero();
        // only the plain successes (n % 4 == 0 or 3) may have committed
        long committed = count(db);
        assertThat(committed).isPositive().isLessThanOrEqualTo(150);
    }

    @Test
    void insert_returns_the_generated_key() {
        Database db = migrated();
        long first = db.transaction(tx -> tx.insert("INSERT INTO items (name) VALUES (?)", "id", "a"));
        long second = db.transaction(tx -> tx.insert("INSERT INTO items (name) VALUES (?)", "id", "b"));
        assertThat(second).isGreaterThan(first);
        java.util.Optional<String> name =
                db.transaction(tx -> tx.one("SELECT name FROM items WHERE id = ?", r -> r.getString(1), second));
        assertThat(name).contains("b");
    }

    @Test
    void migrating_twice_applies_nothing_the_second_time() {
        Database db = start(fresh());
        assertThat(db.migrate()).isEqualTo(1);
        assertThat(db.migrate()).isZero();
    }

    @Test
    void the_health_check_passes_while_open_and_fails_after_close() throws Exception {
        Database db = start(fresh());
        assertThat(db.healthCheck().check().status()).isEqualTo(Check.Status.PASS);
        db.close();
        assertThat(db.healthCheck().check().status()).isEqualTo(Check.Status.FAIL);
    }

    @Test
    void concurrent_callers_block_no_carrier_and_all_finish() throws Exception {
        Database db = start(fresh().withPool(3, 3));
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<CompletableFuture<Integer>> all = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                all.add(CompletableFuture.supplyAsync(() -> db.withConnection(c -> {
                    try (var st = c.createStatement(); var rs = st.executeQuery("SELECT 1")) {
                        rs.next();
                        return rs.getInt(1);
                    }
                }), pool));
            }
            assertThat(all.stream().mapToInt(CompletableFuture::join).sum()).isEqualTo(200);
        }
    }
}
