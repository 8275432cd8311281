package dev.weft.redis.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The throwaway Redis servers of the integration tests of weft-redis and weft-ratelimit (which
 * gets this package through weft-redis's test-jar): each module's build reserves two free ports,
 * starts one server on {@code weft.redis.port} (scripts/redis-start) and stops both afterwards;
 * the outage tests start, kill, stall and restart their own on {@code weft.redis.outage.port}
 * with the same scripts.
 */
public final class RedisServers {
    private RedisServers() {}

    public static int sharedPort() {
        return port("weft.redis.port");
    }

    public static int outagePort() {
        return port("weft.redis.outage.port");
    }

    private static int port(String property) {
        String value = System.getProperty(property);
        if (value == null) {
            throw new IllegalStateException(property + " is not set: run the integration tests with Maven "
                    + "(mvn -pl weft-redis -am verify, or weft-ratelimit), which starts Redis through scripts/redis-start");
        }
        return Integer.parseInt(value);
    }

    /** Starts (or finds running) the server on {@code port} through scripts/redis-start. */
    public static void start(int port) {
        run("redis-start", port);
    }

    /** Stops the server on {@code port} through scripts/redis-stop. */
    public static void stop(int port) {
        run("redis-stop", port);
    }

    /** Kills the server on {@code port} at once (SIGKILL, by the PID in its pid file), as a crash would. */
    public static void kill(int port) throws InterruptedException {
        long pid = pid(port);
        ProcessHandle process = ProcessHandle.of(pid).orElseThrow(() -> new AssertionError("no redis process " + pid));
        assertThat(process.destroyForcibly()).isTrue();
        process.onExit().orTimeout(10, TimeUnit.SECONDS).join();
    }

    /** Sends {@code signal} (STOP, CONT) to the server on {@code port}: STOP makes it stall without closing connections. */
    public static void signal(int port, String signal) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid(port))).inheritIO().start();
        assertThat(kill.waitFor()).isZero();
    }

    /** The PID in the pid file scripts/redis-start gave the server on {@code port}. */
    private static long pid(int port) {
        String tmp = System.getenv("TMPDIR");
        Path base = Path.of(tmp == null || tmp.isEmpty() ? "/tmp" : tmp).resolve("weft-redis-" + port);
        try {
            return Long.parseLong(Files.readString(base.resolve("redis.pid")).strip());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void run(String script, int port) {
        String scripts = System.getProperty("weft.redis.scripts", "../scripts");
        try {
            // redis-start reads the port from WEFT_REDIS_PORT, redis-stop from its arguments.
            ProcessBuilder builder = new ProcessBuilder("bash", Path.of(scripts, script).toString(), Integer.toString(port))
                    .redirectErrorStream(true);
            builder.environment().put("WEFT_REDIS_PORT", Integer.toString(port));
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new AssertionError(script + " " + port + " failed: " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
