package dev.weft.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.routing.Router;
import dev.weft.server.RunningServer;
import dev.weft.server.Server;
import org.junit.jupiter.api.Test;

/** The examples in the Javadoc of {@link Metrics} and in docs/metrics.md. */
class MetricsExamples {
    /** 8080 and 9090 in production; free ports here. */
    private static final int PORT = 0;
    private static final int ADMIN_PORT = 0;

    @Test
    void admin_example() throws Exception {
        // @start region=admin
        Metrics metrics = Metrics.builder()
                .commonTag("service", "todo")                   // on every meter
                .build();                                       // JVM, virtual-thread, Netty meters bound
        Router app = Router.builder()
                .layer(metrics.layer())                         // the ROOT router: sees every request
                .get("/todos/{id}", () -> "a todo")
                .build();
        RunningServer server = metrics.bind(Server.builder().port(PORT).build().serve(app)); // engine counters
        RunningServer admin = Server.builder().port(ADMIN_PORT).build().serve(metrics.router()); // GET /metrics
        // @end
        try (metrics; server; admin) {
            assertThat(Scrape.get(server.port(), "/todos/7", "*/*").statusCode()).isEqualTo(200);
            String scrape = Scrape.awaitContaining(admin.port(), "http_route=\"/todos/{id}\"");
            assertThat(scrape).contains("service=\"todo\"");
        }
    }
}
