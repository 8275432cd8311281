package dev.weft.diagnostics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.http.Method;
import dev.weft.http.Request;
import dev.weft.routing.Router;
import dev.weft.server.RunningServer;
import dev.weft.server.Server;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The examples in the Javadoc of {@link Diagnostics} and docs/diagnostics.md. */
class DiagnosticsExamples {

    @Test
    void setup_serves_the_app_and_the_admin_listing() throws Exception {
        // @start region=setup
        Diagnostics diagnostics = Diagnostics.builder()
                .slowHandler(Duration.ofSeconds(5))          // log a handler's stack once after 5 s
                .pinningThreshold(Duration.ofMillis(20))     // JFR jdk.VirtualThreadPinned threshold
                .build();
        Router app = Router.builder()
                .layer(diagnostics.layer())                  // outermost: sees every request
                .get("/hello", () -> "hello")
                .build();
        RunningServer server = Server.builder().port(0).build().serve(app);
        RunningServer admin = Server.builder().port(0).build()   // port 9090 in production
                .serve(diagnostics.router());                // GET /debug/requests
        diagnostics.watch(server);                           // JFR stream, watchdog, event-loop probes
        // ... at shutdown:
        diagnostics.close();
        admin.close();
        server.close();
        // @end
        assertThat(app.handle(Request.builder(Method.GET, "/hello").build()).status().code()).isEqualTo(200);
        assertThat(diagnostics.eventLoops()).isNotEmpty();
    }
}
