package dev.weft.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.routing.Router;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The examples in the Javadoc of {@link Server}. */
class ServerExamples {
    // @start region=serve
    static String hello() throws IOException {
        Router app = Router.builder().get("/", () -> "Hello, World!").build();
        try (RunningServer server = Server.builder().port(0).build().serve(app)) {  // port 0: any free port
            URL home = URI.create("http://127.0.0.1:" + server.port() + "/").toURL();
            try (InputStream in = home.openStream()) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }                                               // close(): a graceful shutdown
    }
    // @end

    @Test
    void serve() throws IOException {
        assertThat(hello()).isEqualTo("Hello, World!");
    }
}
