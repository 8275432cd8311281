package dev.weft.middleware;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The origin syntax and the one-label wildcard of {@link Origins}. */
class OriginsTest {

    @Test
    void origins_are_lower_cased_and_lose_their_default_port() {
        assertThat(Origins.normalize("HTTPS://App.Example.COM:443")).isEqualTo("https://app.example.com");
        assertThat(Origins.normalize("http://a.example:80")).isEqualTo("http://a.example");
        assertThat(Origins.normalize("http://a.example:443")).isEqualTo("http://a.example:443");
        assertThat(Origins.normalize("https://[::1]:8443")).isEqualTo("https://[::1]:8443");
        assertThat(Origins.normalize("chrome-extension://abcdef")).isEqualTo("chrome-extension://abcdef");
    }

    @Test
    void anything_but_a_serialized_origin_is_refused() {
        for (String bad : new String[] {"", "null", "*", "https://", "https://a.example/", "https://a.example?x",
                "https://a.example#x", "//a.example", "https:/a.example", "1https://a.example", "https://a.example:",
                "https://a.example:1234567", "https://[::1", "https://[zz]", "https://a\u00e9.example",
                "https://a.example:8o", "https://a.example https://b.example", "https://a.example,https://b.example"}) {
            assertThat(Origins.normalize(bad)).as(bad).isNull();
            assertThat(Origins.problem(bad)).as(bad).isNotNull();
        }
    }

    @Test
    void a_pattern_matches_exactly_one_label_of_its_domain() {
        Origins.Pattern pattern = Origins.Pattern.of("https://*.example.com");

        assertThat(pattern.matches("https://app.example.com")).isTrue();
        assertThat(pattern.matches("https://a-b_c.example.com")).isTrue();
        assertThat(pattern.matches("https://example.com")).isFalse();
        assertThat(pattern.matches("https://.example.com")).isFalse();
        assertThat(pattern.matches("https://evil-example.com")).isFalse();
        assertThat(pattern.matches("https://evilexample.com")).isFalse();
        assertThat(pattern.matches("https://a.b.example.com")).isFalse();
        assertThat(pattern.matches("https://app.example.com.evil.com")).isFalse();
        assertThat(pattern.matches("http://app.example.com")).isFalse();
        assertThat(pattern.matches("https://app.example.com:8443")).isFalse();
        assertThat(Origins.Pattern.of("https://*.example.com:8443").matches("https://app.example.com:8443")).isTrue();
        assertThat(Origins.Pattern.of("https://*.example.com:443").matches("https://app.example.com")).isTrue();
    }
}
