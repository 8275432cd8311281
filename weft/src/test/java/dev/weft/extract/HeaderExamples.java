package dev.weft.extract;

import static dev.weft.TestBodies.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.http.Method;
import dev.weft.http.Request;
import dev.weft.response.Status;
import dev.weft.routing.Router;
import org.junit.jupiter.api.Test;

/** The examples in the Javadoc of {@link Header}. */
class HeaderExamples {
    @Test
    void required_and_optional() {
        // @start region=me
        Router router = Router.builder()
                .get("/me", Header.string("x-user-id"), Header.optional("accept-language"),
                        (user, lang) -> user + " reads " + lang.orElse("en"))
                .build();
        // @end
        Request request = Request.builder(Method.GET, "/me")
                .header("X-User-Id", "u1").header("accept-language", "de").build();
        assertThat(text(router.handle(request))).isEqualTo("u1 reads de");
        assertThat(text(router.handle(Request.builder(Method.GET, "/me").header("x-user-id", "u2").build())))
                .isEqualTo("u2 reads en");
        assertThat(router.handle(Request.builder(Method.GET, "/me").build()).status()).isEqualTo(Status.BAD_REQUEST);
    }
}
