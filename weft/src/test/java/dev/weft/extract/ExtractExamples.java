package dev.weft.extract;

import static dev.weft.TestBodies.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.http.Method;
import dev.weft.http.Request;
import dev.weft.routing.Router;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** The examples in the Javadoc of {@link Extract}. */
class ExtractExamples {
    @Test
    void whoami() {
        // @start region=whoami
        Router router = Router.builder()
                .get("/whoami", Extract.remoteAddress(), Extract.matchedPath(),
                        (peer, route) -> peer.getAddress().getHostAddress() + " via " + route)
                .build();
        // @end
        Request request = Request.builder(Method.GET, "/whoami")
                .remoteAddress(new InetSocketAddress("192.0.2.7", 50_000)).build();
        assertThat(text(router.handle(request))).isEqualTo("192.0.2.7 via /whoami");
    }
}
