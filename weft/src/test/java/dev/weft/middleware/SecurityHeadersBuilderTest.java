package dev.weft.middleware;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.weft.WeftException;
import dev.weft.http.Method;
import dev.weft.http.Request;
import dev.weft.response.Response;
import dev.weft.routing.Router;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@link SecurityHeaders.Builder#build()} checks, and HSTS by scheme. */
class SecurityHeadersBuilderTest {

    @Test
    void every_bad_value_is_reported_at_once() {
        WeftException e = catchThrowableOfType(WeftException.class, () -> SecurityHeaders.api().toBuilder()
                .referrerPolicy("sometimes")
                .header("x-injected", "a\r\nset-cookie: x=1")
                .header("bad name", "v")
                .header("content-security-policy", "default-src 'self'")
                .frameOptions("ALLOW-FROM https://a.example")
                .crossOriginResourcePolicy("anyone")
                .crossOriginOpenerPolicy("isolated")
                .hsts(Duration.ofSeconds(-5))
                .omit("x-powered-by")
                .build());

        assertThat(e).isNotNull();
        assertThat(e.getMessage()).startsWith("invalid SecurityHeaders options:")
                .contains("referrer-policy must be one of").contains("'sometimes'")
                .contains("header x-injected: the value must be non-blank visible ASCII")
                .contains("header: 'bad name' is not a header name")
                .contains("header content-security-policy: use contentSecurityPolicy(..)")
                .contains("frameOptions must be DENY or SAMEORIGIN")
                .contains("cross-origin-resource-policy must be one of")
                .contains("cross-origin-opener-policy must be one of")
                .contains("hsts max-age must be whole seconds from 0 to 2 years")
                .contains("omit: 'x-powered-by' is not one of the headers this layer sends")
                .doesNotContain("set-cookie");
    }

    @Test
    void a_content_security_policy_must_be_one_policy_of_known_directives() {
        assertThat(cspProblem("default-src 'self'\r\nx: y")).contains("CR, LF");
        assertThat(cspProblem("default-src 'self', script-src 'none'")).contains("two policies");
        assertThat(cspProblem("defualt-src 'self'")).contains("'defualt-src' is not a CSP directive");
        assertThat(cspProblem("script-src 'self'; script-src 'none'")).contains("appears twice");
        assertThat(cspProblem("script-src 'self")).contains("is not a quoted keyword");
        assertThat(cspProblem("script-src 'nonce-abc123'")).contains("a fixed nonce");
        assertThat(cspProblem("script-src {nonce}")).contains("{nonce} may only appear as 'nonce-{nonce}'");
        assertThat(cspProblem(" ; ")).contains("the policy is empty");
    }

    @Test
    void preload_needs_a_year_and_subdomains() {
        WeftException e = catchThrowableOfType(WeftException.class, () -> SecurityHeaders.api().toBuilder()
                .hsts(Duration.ofDays(30)).hstsIncludeSubDomains(false).hstsPreload(true).build());
        assertThat(e.getMessage()).contains("hstsPreload(true) needs a max-age of at least 1 year and includeSubDomains");
    }

    @Test
    void hsts_goes_only_on_https_requests_and_can_be_omitted() {
        Router app = Router.builder().layer(SecurityHeaders.api().toBuilder().hsts(Duration.ofDays(400)).build())
                .get("/", () -> "x").build();
        Response plain = app.handle(Request.builder(Method.GET, "/").build());
        Response tls = app.handle(Request.builder(Method.GET, "/").scheme("https").build());

        assertThat(plain.header("strict-transport-security")).isEmpty();
        assertThat(tls.header("strict-transport-security")).contains("max-age=34560000; includeSubDomains");

        Router without = Router.builder().layer(SecurityHeaders.api().toBuilder().omit("Strict-Transport-Security")
                .build()).get("/", () -> "x").build();
        assertThat(without.handle(Request.builder(Method.GET, "/").scheme("https").build())
                .header("strict-transport-security")).isEmpty();
    }

    @Test
    void the_presets_are_ready_and_named() {
        assertThat(SecurityHeaders.api().name()).isEqualTo("SecurityHeaders");
        assertThat(SecurityHeaders.html().kind()).isEqualTo(Middleware.Kind.SECURITY_HEADERS);
        assertThat(SecurityHeaders.html().toBuilder().build()).isNotSameAs(SecurityHeaders.html());
    }

    private static String cspProblem(String policy) {
        WeftException e = catchThrowableOfType(WeftException.class,
                () -> SecurityHeaders.html().toBuilder().contentSecurityPolicy(policy).build());
        assertThat(e).as(policy).isNotNull();
        return e.getMessage();
    }
}
