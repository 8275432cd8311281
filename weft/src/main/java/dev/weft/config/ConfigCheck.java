package dev.weft.config;

import java.io.PrintStream;
import java.util.List;
import java.util.OptionalInt;

/**
 * The end of configuration in a {@code main}: with {@code --check-config} among the arguments,
 * print the sanitized table of every variable read and exit (0, or 78 when invalid); otherwise,
 * when anything is invalid, print the problem table to stderr and exit 78 ({@code EX_CONFIG}),
 * before any port is bound.
 *
 * {@snippet class=dev.weft.config.ConfigExamples region=main}
 *
 * <p>Warnings about unknown {@code WEFT_*} variables are printed to stderr (and logged) in both
 * modes. Nothing printed contains a secret: see {@link Config}.
 */
public final class ConfigCheck {
    /** {@code EX_CONFIG} from {@code sysexits.h}: a configuration error. */
    public static final int EX_CONFIG = 78;
    /** The argument that asks for a check only. */
    public static final String FLAG = "--check-config";

    private ConfigCheck() {}

    /**
     * Checks {@code config}; exits the JVM with 78 if it is invalid, or with 0 or 78 when
     * {@code args} contains {@value #FLAG}; returns normally when the application may start.
     */
    public static void run(String[] args, Config config) {
        OptionalInt exit = evaluate(List.of(args), config, System.out, System.err);
        if (exit.isPresent()) {
            System.out.flush();
            System.err.flush();
            System.exit(exit.getAsInt());
        }
    }

    /**
     * What {@link #run} does, without exiting: prints to {@code out}/{@code err} and returns the
     * exit code the process should end with, or empty when the application may start.
     */
    public static OptionalInt evaluate(List<String> args, Config config, PrintStream out, PrintStream err) {
        List<String> warnings = config.warnings();
        warnings.forEach(w -> err.println("warning: " + w));
        boolean checkOnly = args.contains(FLAG);
        try {
            config.check();
        } catch (ConfigException e) {
            if (checkOnly) {
                out.println(config.table());
            }
            err.println(e.getMessage());
            return OptionalInt.of(EX_CONFIG);
        }
        if (checkOnly) {
            out.println("configuration is valid (" + config.entries().size() + " variables)");
            out.println(config.table());
            return OptionalInt.of(0);
        }
        return OptionalInt.empty();
    }
}
