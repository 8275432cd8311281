package dev.weft.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weft.health.Check;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The readiness check against a PostgreSQL cluster of this test's own (port
 * {@code weft.pg.outage.port}) that it stops and starts again with benchmarks/db/pg-start and
 * pg-stop: the check fails while the database is down and passes again once it is back.
 */
class PostgresOutageIT {
    private static final Path SCRIPTS = Path.of("../benchmarks/db").toAbsolutePath().normalize();
    private static String port;

    @BeforeAll
    static void cluster() throws Exception {
        port = System.getProperty("weft.pg.outage.port", "");
        assumeTrue(!port.isBlank() && !port.startsWith("$") && Files.isExecutable(Path.of("/usr/lib/postgresql/15/bin/initdb")),
                "no PostgreSQL 15 binaries or no port reserved by the build: skipping");
        run("pg-start");
    }

    @AfterAll
    static void stop() throws Exception {
        if (port != null && !port.isBlank() && !port.startsWith("$")) {
            run("pg-stop");
        }
    }

    private static void run(String script) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", SCRIPTS.resolve(script).toString()).inheritIO();
        pb.environment().put("WEFT_PG_PORT", port);
        Process p = pb.start();
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).as(script + " finished").isTrue();
        assertThat(p.exitValue()).as(script + " exit code").isZero();
    }

    private static Check.Status statusWithin(Check check, Check.Status wanted, Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        Check.Status last;
        do {
            last = check.check().status();
            if (last == wanted) {
                return last;
            }
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
        return last;
    }

    @Test
    void the_health_check_fails_while_postgresql_is_down_and_recovers_when_it_returns() throws Exception {
        Database.Settings settings = Database.Settings.defaults()
                .withUrl("postgres://benchmarkdbuser:benchmarkdbpass@127.0.0.1:" + port + "/hello_world")
                .withPool(2, 1)
                .withAcquireTimeout(Duration.ofSeconds(1));
        try (Database db = Database.start(settings)) {
            Check check = db.healthCheck();
            assertThat(check.check().status()).isEqualTo(Check.Status.PASS);

            run("pg-stop");
            long start = System.nanoTime();
            Check.Result down = check.check();
            assertThat(down.status()).isEqualTo(Check.Status.FAIL);
            // bounded: the acquire timeout plus the validation query's second, not a hang
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
            assertThat(down.output()).doesNotContain("benchmarkdbpass");

            run("pg-start");
            assertThat(statusWithin(check, Check.Status.PASS, Duration.ofSeconds(30))).isEqualTo(Check.Status.PASS);
        }
    }
}
