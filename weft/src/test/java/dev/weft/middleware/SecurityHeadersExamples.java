package dev.weft.middleware;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.extract.Extract;
import dev.weft.http.Method;
import dev.weft.http.Request;
import dev.weft.response.Response;
import dev.weft.routing.Router;
import org.junit.jupiter.api.Test;

/** The examples in the Javadoc of {@link SecurityHeaders} and {@link CspNonce}. */
class SecurityHeadersExamples {
    // @start region=presets
    static Router api() {
        return Router.builder()
                .layer(SecurityHeaders.api().toBuilder().referrerPolicy("no-referrer").build())
                .get("/todos", () -> "[]")
                .build();
    }
    // @end

    // @start region=nonce
    static Router site() {
        return Router.builder()
                .layer(SecurityHeaders.html())
                .get("/", Extract.extension(CspNonce.class), nonce -> Response.html(
                        "<script " + nonce.attribute() + ">console.log('allowed')</script>"))
                .build();
    }
    // @end

    @Test
    void the_api_preset_locks_down_everything() {
        Response answer = api().handle(Request.builder(Method.GET, "/todos").scheme("https").build());

        assertThat(answer.header("content-security-policy")).contains("default-src 'none'; frame-ancestors 'none'");
        assertThat(answer.header("referrer-policy")).contains("no-referrer");
        assertThat(answer.header("strict-transport-security")).contains("max-age=31536000; includeSubDomains");
    }

    @Test
    void the_page_s_script_carries_the_nonce_of_its_policy() {
        Response answer = site().handle(Request.builder(Method.GET, "/").build());

        String policy = answer.header("content-security-policy").orElseThrow();
        String nonce = policy.replaceFirst(".*'nonce-([^']+)'.*", "$1");
        assertThat(new String(((dev.weft.response.ResponseBody.Bytes) answer.body()).bytes()))
                .contains("nonce=\"" + nonce + "\"");
        assertThat(nonce).hasSizeGreaterThanOrEqualTo(22);
    }
}
