package dev.weft.middleware;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.http.Method;
import dev.weft.http.Request;
import dev.weft.response.Response;
import dev.weft.routing.Router;
import org.junit.jupiter.api.Test;

/** The examples in the Javadoc of {@link CrossOriginProtection}. */
class CrossOriginProtectionExamples {

    @Test
    void csrf() {
        // @start region=csrf
        Router router = Router.builder()
                .post("/transfer", () -> "sent")
                .post("/hooks/{provider}", () -> "received") // called by another site's servers
                .layer(Cors.allowOrigins("https://app.example")) // CORS outside
                .layer(CrossOriginProtection.builder()
                        .trustedOrigins("https://app.example")
                        .exempt(Method.POST, "/hooks/{provider}") // this exact route, checked at build
                        .build())
                .build();
        // @end
        Response refused = router.handle(Request.builder(Method.POST, "/transfer")
                .header("host", "bank.example").header("sec-fetch-site", "cross-site").build());
        assertThat(refused.status().code()).isEqualTo(403);
        Response hook = router.handle(Request.builder(Method.POST, "/hooks/github")
                .header("host", "bank.example").header("sec-fetch-site", "cross-site").build());
        assertThat(hook.status().code()).isEqualTo(200);
    }

    @Test
    void tokens() {
        // @start region=tokens
        CrossOriginProtection csrf = CrossOriginProtection.builder().maskedTokens().build();
        Router router = Router.builder()
                .get("/form", csrf.token(), token -> "<input type=hidden name=" + token.field()
                        + " value=" + token.value() + ">")
                .post("/form", () -> "saved")
                .layer(dev.weft.session.Sessions.store(dev.weft.session.MemorySessionStore.create())
                        .crossOriginProtection(csrf)
                        .build())
                .build();
        // @end
        assertThat(router.routes().getFirst().middleware()).containsExactly("Sessions+CrossOriginProtection(tokens)");
    }
}
