package dev.weft.cookie;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CookieTest {

    @Test
    void defaults_are_path_root_http_only_same_site_lax_and_secure_over_tls_only() {
        Cookie cookie = Cookie.builder("a", "1").build();
        assertThat(cookie.toHeaderValue(false)).isEqualTo("a=1; Path=/; HttpOnly; SameSite=Lax");
        assertThat(cookie.toHeaderValue(true)).isEqualTo("a=1; Path=/; Secure; HttpOnly; SameSite=Lax");
        assertThat(cookie.secure()).isEmpty();
    }

    @Test
    void every_attribute_is_written_in_a_fixed_order() {
        Cookie cookie = Cookie.builder("sid", "\"abc\"")
                .path("/app").domain("example.com").maxAge(Duration.ofMinutes(90))
                .expires(Instant.parse("2031-03-04T05:06:07Z")).secure(true).httpOnly(false)
                .sameSite(Cookie.SameSite.STRICT).partitioned(true).build();
        assertThat(cookie.toHeaderValue(false)).isEqualTo("sid=\"abc\"; Path=/app; Domain=example.com; Max-Age=5400;"
                + " Expires=Tue, 04 Mar 2031 05:06:07 GMT; Secure; SameSite=Strict; Partitioned");
    }

    @Test
    void explicit_secure_false_is_kept_over_tls() {
        assertThat(Cookie.builder("a", "1").secure(false).build().toHeaderValue(true)).doesNotContain("Secure");
    }

    @Test
    void same_site_none_partitioned_and_prefixes_make_an_unset_secure_true() {
        assertThat(Cookie.builder("a", "1").sameSite(Cookie.SameSite.NONE).build().toHeaderValue(false))
                .contains("; Secure").contains("SameSite=None");
        assertThat(Cookie.builder("a", "1").partitioned(true).build().secure()).contains(true);
        assertThat(Cookie.builder("__Secure-a", "1").build().secure()).contains(true);
        assertThat(Cookie.builder("__Host-a", "1").build().toHeaderValue(false)).contains("; Secure");
        assertThat(Cookie.builder("__host-a", "1").build().secure()).as("prefix matched ignoring case").contains(true);
    }

    @Test
    void same_site_none_with_secure_false_is_refused() {
        assertThatThrownBy(() -> Cookie.builder("a", "1").sameSite(Cookie.SameSite.NONE).secure(false).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("SameSite=None");
    }

    @Test
    void host_prefix_needs_root_path_no_domain_and_secure_and_every_problem_is_listed() {
        assertThatThrownBy(() -> Cookie.builder("__Host-id", "1").path("/app").domain("example.com").secure(false).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Path=/").hasMessageContaining("must not have a Domain")
                .hasMessageContaining("__Host- prefix");
    }

    @Test
    void secure_prefix_with_secure_false_is_refused() {
        assertThatThrownBy(() -> Cookie.builder("__Secure-id", "1").secure(false).build())
                .hasMessageContaining("__Secure- prefix");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a b", "a;b", "a=b", "a,b", "a\"b", "é", "a\u0000", "a\r\nSet-Cookie: x=1", "(a)", "a/b"})
    void a_name_that_is_not_a_token_is_refused(String name) {
        assertThatThrownBy(() -> Cookie.builder(name, "1").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a token")
                .hasMessageNotContaining("\r").hasMessageNotContaining("\u0000");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a b", "a;b", "a,b", "a\\b", "a\"b", "\"", "é", "a\tb", "a\nb", "\"a\"b\"", "x\u007f"})
    void a_value_with_characters_cookies_cannot_carry_is_refused(String value) {
        assertThatThrownBy(() -> Cookie.builder("a", value).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cookies may not carry");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "\"\"", "\"quoted\"", "abc-._~!#$%&'()*+/:<=>?@[]^`{|}", "eyJhbGciOiJI.UzI1NiJ9"})
    void cookie_octets_and_quoted_values_are_accepted(String value) {
        assertThat(Cookie.builder("a", value).build().value()).isEqualTo(value);
    }

    @Test
    void name_and_value_past_4096_bytes_are_refused() {
        assertThat(Cookie.builder("a", "x".repeat(4095)).build().value()).hasSize(4095);
        assertThatThrownBy(() -> Cookie.builder("a", "x".repeat(4096)).build()).hasMessageContaining("4096");
    }

    @ParameterizedTest
    @ValueSource(strings = {"app", "/a;b", "/a\r\nx", "/\u0000", "/é"})
    void an_invalid_path_is_refused(String path) {
        assertThatThrownBy(() -> Cookie.builder("a", "1").path(path).build()).hasMessageContaining("path");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "a..b", "a.b.", "exa mple.com", "example.com;x", "ex_ample.com", "é.com"})
    void an_invalid_domain_is_refused(String domain) {
        assertThatThrownBy(() -> Cookie.builder("a", "1").domain(domain).build()).hasMessageContaining("domain");
    }

    @Test
    void a_leading_dot_domain_is_accepted_as_browsers_ignore_it() {
        assertThat(Cookie.builder("a", "1").domain(".example.com").build().toHeaderValue(false))
                .contains("Domain=.example.com");
    }

    @Test
    void a_negative_max_age_and_an_expiry_out_of_range_are_refused_together() {
        assertThatThrownBy(() -> Cookie.builder("a", "1").maxAge(Duration.ofSeconds(-1))
                .expires(Instant.parse("1969-12-31T00:00:00Z")).build())
                .hasMessageContaining("maxAge").hasMessageContaining("expires");
    }

    @Test
    void removal_keeps_name_path_and_domain_and_expires_now() {
        Cookie cookie = Cookie.builder("sid", "abc").path("/app").domain("example.com").build();
        assertThat(cookie.removal().toHeaderValue(false)).isEqualTo(
                "sid=; Path=/app; Domain=example.com; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax");
    }

    @Test
    void the_jar_sets_secure_when_the_request_came_over_tls() {
        dev.weft.routing.Router router = dev.weft.routing.Router.builder()
                .get("/", Cookies.jar(), jar -> {
                    jar.add(Cookie.builder("a", "1").build());
                    jar.add(Cookie.builder("b", "1").secure(false).build());
                    return "ok";
                })
                .build();
        var tls = router.handle(dev.weft.http.Request.builder(dev.weft.http.Method.GET, "/").scheme("https").build());
        assertThat(tls.headers().all("set-cookie")).containsExactly(
                "a=1; Path=/; Secure; HttpOnly; SameSite=Lax", "b=1; Path=/; HttpOnly; SameSite=Lax");
        var plain = router.handle(dev.weft.http.Request.builder(dev.weft.http.Method.GET, "/").build());
        assertThat(plain.headers().all("set-cookie")).containsExactly(
                "a=1; Path=/; HttpOnly; SameSite=Lax", "b=1; Path=/; HttpOnly; SameSite=Lax");
    }

    @Test
    void to_string_keeps_the_value_out_of_logs() {
        assertThat(Cookie.builder("sid", "secret-token").build().toString()).doesNotContain("secret-token").contains("sid");
    }
}
