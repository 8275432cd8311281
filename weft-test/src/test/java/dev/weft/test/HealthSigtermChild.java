package dev.weft.test;

import dev.weft.health.Check;
import dev.weft.health.Health;
import dev.weft.server.RunningServer;
import dev.weft.server.Server;
import java.time.Duration;

/** The child JVM of {@link HealthShutdownTest}: serves with health attached until SIGTERM. */
public final class HealthSigtermChild {
    private HealthSigtermChild() {}

    public static void main(String[] args) throws InterruptedException {
        Health health = Health.builder().readiness("db", Check.Result::pass).build();
        RunningServer server = Server.builder().host("127.0.0.1").port(0)
                .shutdownDelay(Duration.ofMillis(Long.parseLong(args[0])))
                .build().serve(HealthShutdownTest.app(health));
        health.attach(server);
        server.onShutdownStarted(() -> System.out.println("SHUTDOWN STARTED"));
        System.out.println("PORT " + server.port());
        System.out.flush();
        server.awaitShutdown();
    }
}
