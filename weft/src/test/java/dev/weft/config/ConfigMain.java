package dev.weft.config;

/** A small main for {@link ConfigExitTest}: reads an app's and the server's variables, then checks. */
public final class ConfigMain {
    private ConfigMain() {}

    public static void main(String[] args) {
        Config config = Config.fromEnvironment();
        config.required("DATABASE_URL", Parsers.uri("postgres"));
        config.required("DATABASE_PASSWORD", Parsers.secret());
        config.optional("DATABASE_MAX_CONNECTIONS", Parsers.integer(1, 1000), 10);
        ServerEnv.read(config);
        ConfigCheck.run(args, config);
        System.out.println("started");
    }
}
