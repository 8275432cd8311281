package dev.weft.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Exit codes from a real child JVM running {@link ConfigMain}. */
class ConfigExitTest {
    record Run(int exit, String stdout, String stderr) {}

    private static Run run(Map<String, String> env, String... args) throws Exception {
        String javaBin = ProcessHandle.current().info().command().orElseThrow();
        // Tests may run on the module path: put everything on the child's class path.
        List<String> path = new ArrayList<>();
        for (String property : List.of("java.class.path", "jdk.module.path")) {
            String value = System.getProperty(property, "");
            if (!value.isEmpty()) {
                path.add(value);
            }
        }
        path.add(Path.of(ConfigMain.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
        List<String> command = new ArrayList<>(List.of(javaBin, "-cp", String.join(File.pathSeparator, path),
                ConfigMain.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(k -> k.startsWith("WEFT_") || k.startsWith("DATABASE_"));
        builder.environment().putAll(env);
        File out = File.createTempFile("config-out", ".txt");
        File err = File.createTempFile("config-err", ".txt");
        out.deleteOnExit();
        err.deleteOnExit();
        Process process = builder.redirectOutput(out).redirectError(err).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("child finished").isTrue();
        return new Run(process.exitValue(), java.nio.file.Files.readString(out.toPath(), StandardCharsets.UTF_8),
                java.nio.file.Files.readString(err.toPath(), StandardCharsets.UTF_8));
    }

    @Test
    void invalid_configuration_exits_78_with_the_whole_table_on_stderr_and_no_secret() throws Exception {
        Run run = run(Map.of("DATABASE_URL", "mysql://root:hunter2@db/app", "DATABASE_PASSWORD", "hunter2",
                "DATABASE_MAX_CONNECTIONS", "0", "WEFT_PORT", "http", "WEFT_IDEL_TIMEOUT", "5s"));
        assertThat(run.exit()).isEqualTo(78);
        assertThat(run.stdout()).doesNotContain("started");
        assertThat(run.stderr()).contains("configuration is invalid (3 problems)", "DATABASE_URL",
                "mysql://root:****@db/app", "DATABASE_MAX_CONNECTIONS", "WEFT_PORT",
                "did you mean WEFT_IDLE_TIMEOUT?");
        assertThat(run.stdout() + run.stderr()).doesNotContain("hunter2");
    }

    @Test
    void check_config_exits_0_with_the_sanitized_table_when_valid() throws Exception {
        Run run = run(Map.of("DATABASE_URL", "postgres://app:hunter2@db/app", "DATABASE_PASSWORD", "hunter2",
                "WEFT_PORT", "0"), "--check-config");
        assertThat(run.exit()).as(run.stderr()).isZero();
        assertThat(run.stdout()).contains("configuration is valid", "DATABASE_PASSWORD", "****", "WEFT_PORT", "env",
                "DATABASE_MAX_CONNECTIONS", "default").doesNotContain("started", "hunter2");
    }

    @Test
    void check_config_exits_78_when_invalid() throws Exception {
        Run run = run(Map.of(), "--check-config");
        assertThat(run.exit()).isEqualTo(78);
        assertThat(run.stderr()).contains("DATABASE_URL", "DATABASE_PASSWORD", "missing");
    }

    @Test
    void valid_configuration_starts() throws Exception {
        Run run = run(Map.of("DATABASE_URL", "postgres://db/app", "DATABASE_PASSWORD", "x"));
        assertThat(run.exit()).as(run.stderr()).isZero();
        assertThat(run.stdout()).contains("started");
    }
}
