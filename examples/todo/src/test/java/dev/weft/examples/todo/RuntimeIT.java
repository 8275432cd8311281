package dev.weft.examples.todo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * packaging/build-runtime on the packaged demo (an integration test: it needs the jars of the
 * {@code package} phase, so failsafe runs it in {@code mvn verify} / {@code install}): jdeps and
 * jlink build a runtime, an AOT training run answers and writes a cache, and the runtime with
 * that cache starts the demo, which answers, and the demo's {@code probe} subcommand says so.
 */
class RuntimeIT {
    private static final Path TARGET = Path.of("target").toAbsolutePath();
    private static final Path SCRIPT = Path.of("../../packaging/build-runtime").toAbsolutePath().normalize();

    @Test
    void the_jlink_runtime_and_its_aot_cache_start_the_demo_and_it_answers() throws Exception {
        Path javaHome = Path.of(System.getProperty("java.home"));
        Assumptions.assumeTrue(Files.isExecutable(javaHome.resolve("bin/jlink")),
                "skipped: no jlink in " + javaHome + " (a JRE?); the packaging script needs a JDK 25");
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "skipped: the packaging script needs bash");
        Path out = TARGET.resolve("runtime-it");
        int port = freePort();

        ProcessBuilder script = new ProcessBuilder("/bin/bash", SCRIPT.toString(), "--app", TARGET.toString(),
                "--out", out.toString(), "--port", Integer.toString(port), "--no-check",
                // H2 (the embedded database) refers to javax.tools only to compile CREATE ALIAS
                // source, which the demo never uses; the training run shows it works without it
                "--without", "java.compiler")
                .redirectErrorStream(true).redirectOutput(TARGET.resolve("runtime-it.log").toFile());
        script.environment().put("JAVA_HOME", javaHome.toString());
        Process build = script.start();
        assertThat(build.waitFor(5, TimeUnit.MINUTES)).as("the script finished").isTrue();
        String log = Files.readString(TARGET.resolve("runtime-it.log"));
        assertThat(build.exitValue()).as("build-runtime exit code; its output:\n%s", log).isZero();
        // the training run answered (a 200 on /, the created todo, the rejection) and wrote a cache;
        // the script's own check is skipped (--no-check): the start below is the check
        assertThat(log).contains("GET / -> 200", "POST /todos -> 201", "GET /todos/abc -> 400", "aot cache: ");

        // Minimal: only what jdeps found (plus what it needs), not the whole JDK.
        String release = Files.readString(out.resolve("jre/release"));
        assertThat(release).contains("java.base", "java.net.http", "jdk.unsupported").doesNotContain("java.compiler", "jdk.jshell");
        assertThat(out.resolve("app.aot")).isNotEmptyFile();

        // Our own start, independent of the script: AOTMode=on makes an unusable cache fatal.
        Path java = out.resolve("jre/bin/java");
        ProcessBuilder run = new ProcessBuilder(java.toString(), "-XX:AOTCache=" + out.resolve("app.aot"),
                "-XX:AOTMode=on", "@" + out.resolve("app.args"))
                .redirectErrorStream(true).redirectOutput(TARGET.resolve("runtime-it-run.log").toFile());
        run.environment().put("PORT", Integer.toString(port));
        run.environment().put("ADMIN_PORT", "0");
        Process demo = run.start();
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
            URI root = URI.create("http://127.0.0.1:" + port + "/");
            int status = -1;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (status != 200 && demo.isAlive() && System.nanoTime() < deadline) {
                try {
                    status = http.send(HttpRequest.newBuilder(root).timeout(Duration.ofSeconds(5)).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode();
                } catch (IOException notYet) {
                    Thread.sleep(50);
                }
            }
            assertThat(status).as("GET / on the jlink runtime with the AOT cache; log:\n%s",
                    Files.readString(TARGET.resolve("runtime-it-run.log"))).isEqualTo(200);

            Process probe = new ProcessBuilder(java.toString(), "@" + out.resolve("app.args"), "probe", root.toString())
                    .redirectErrorStream(true).start();
            assertThat(probe.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(probe.exitValue()).as("probe: %s", new String(probe.getInputStream().readAllBytes())).isZero();
            Process unhealthy = new ProcessBuilder(java.toString(), "@" + out.resolve("app.args"), "probe",
                    root.resolve("/nowhere").toString()).redirectErrorStream(true).start();
            assertThat(unhealthy.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(unhealthy.exitValue()).as("a 404 is unhealthy").isEqualTo(1);
        } finally {
            demo.toHandle().destroy(); // SIGTERM: a graceful stop
            if (!demo.waitFor(30, TimeUnit.SECONDS)) {
                demo.destroyForcibly();
            }
        }
        assertThat(demo.exitValue()).as("exit after SIGTERM").isIn(0, 143);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

}
