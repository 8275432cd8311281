package dev.weft.extract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.http.Method;
import dev.weft.http.Request;
import dev.weft.response.Redirect;
import dev.weft.response.Response;
import dev.weft.response.Status;
import dev.weft.routing.Router;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The examples in the Javadoc of {@link Form}. */
class FormExamples {
    @Test
    void login() {
        // @start region=login
        record Login(String user, String password, Optional<Boolean> remember) {}
        Router router = Router.builder()
                .post("/login", Form.of(Login.class), login -> login.password().equals("secret")
                        ? Redirect.seeOther("/home")
                        : Response.of(Status.UNAUTHORIZED))
                .build();
        // @end
        Response signedIn = router.handle(post("user=ada&password=secret&remember=true"));
        assertThat(signedIn.status()).isEqualTo(Status.SEE_OTHER);
        assertThat(signedIn.header("location")).contains("/home");
        assertThat(router.handle(post("user=ada&password=guess")).status()).isEqualTo(Status.UNAUTHORIZED);
        assertThat(router.handle(post("user=ada")).status()).isEqualTo(Status.UNPROCESSABLE_CONTENT);
    }

    private static Request post(String form) {
        return Request.builder(Method.POST, "/login")
                .header("content-type", "application/x-www-form-urlencoded")
                .body(form.getBytes(StandardCharsets.US_ASCII))
                .build();
    }
}
