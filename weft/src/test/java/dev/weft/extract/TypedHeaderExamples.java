package dev.weft.extract;

import static dev.weft.TestBodies.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.extract.TypedHeader.Basic;
import dev.weft.extract.TypedHeader.Bearer;
import dev.weft.http.Method;
import dev.weft.http.Request;
import dev.weft.response.Status;
import dev.weft.routing.Router;
import org.junit.jupiter.api.Test;

/** The examples in the Javadoc of {@link TypedHeader}. */
class TypedHeaderExamples {
    @Test
    void typed() {
        // @start region=typed
        Router router = Router.builder()
                .get("/me", TypedHeader.authorization(), auth -> switch (auth) {
                    case Basic basic -> "user " + basic.user();
                    case Bearer bearer -> "token of " + bearer.token().length() + " characters";
                    case TypedHeader.Other other -> "unsupported scheme " + other.scheme();
                })
                .get("/report", TypedHeader.optionalAccept(), accept -> accept
                        .flatMap(a -> a.preferred("application/json", "text/csv"))
                        .orElse("application/json"))
                .build();
        // @end
        assertThat(text(router.handle(Request.builder(Method.GET, "/me")
                .header("authorization", "Basic YWRhOmxvdmVsYWNl").build()))).isEqualTo("user ada");
        assertThat(text(router.handle(Request.builder(Method.GET, "/me")
                .header("authorization", "Bearer abc.def").build()))).isEqualTo("token of 7 characters");
        assertThat(router.handle(Request.builder(Method.GET, "/me").build()).status()).isEqualTo(Status.BAD_REQUEST);
        assertThat(text(router.handle(Request.builder(Method.GET, "/report")
                .header("accept", "text/csv, application/json;q=0.5").build()))).isEqualTo("text/csv");
        assertThat(text(router.handle(Request.builder(Method.GET, "/report").build()))).isEqualTo("application/json");
    }
}
