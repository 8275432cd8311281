package dev.weft.middleware;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.weft.WeftException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link Cors.Builder#build()}: every mistake is reported, all at once, naming its option. */
class CorsBuilderTest {

    @Test
    void credentials_with_every_wildcard_lists_each_field_at_once() {
        String message = problems(Cors.builder().allowAnyOrigin().allowCredentials(true).allowAnyMethod()
                .allowAnyHeader().exposeAnyHeader());

        assertThat(message).contains("allowCredentials(true) cannot be combined with allowAnyOrigin()")
                .contains("allowCredentials(true) cannot be combined with allowAnyMethod()")
                .contains("allowCredentials(true) cannot be combined with allowAnyHeader()")
                .contains("allowCredentials(true) cannot be combined with exposeAnyHeader()");
        assertThat(message.lines().filter(l -> l.startsWith("  - "))).hasSize(4);
    }

    @Test
    void mirroring_with_credentials_refuses_wildcards_too() {
        String message = problems(Cors.builder().mirrorAnyOriginWithCredentials().allowAnyHeader());

        assertThat(message).contains("mirrorAnyOriginWithCredentials() cannot be combined with allowAnyHeader()");
    }

    @Test
    void bad_origins_are_each_named() {
        String message = problems(Cors.builder().allowOrigins("https://ok.example", "https://a.example/",
                "https://a.example/path", "null", "*", "a.example", "https://a.example:99999", "https://u@a.example",
                "https://", "https://a b.example"));

        assertThat(message).contains("'https://a.example/' has a path, query or trailing slash")
                .contains("'https://a.example/path' has a path").contains("'null' is the origin of sandboxed frames")
                .contains("'*' is not an origin: use allowAnyOrigin()").contains("'a.example' is not an origin")
                .contains("'https://a.example:99999' has an invalid port").contains("'https://u@a.example' has user info")
                .contains("'https://' has no host").contains("'https://a b.example' has a host");
        assertThat(message).doesNotContain("'https://ok.example'");
    }

    @Test
    void bad_patterns_are_each_named() {
        String message = problems(Cors.builder().allowOriginPatterns("https://*.com", "https://a.*.example.com",
                "https://*.*.example.com", "*.example.com", "https://*.example.com/", "https://*example.com"));

        assertThat(message).contains("'https://*.com' would match the subdomains of a top-level domain")
                .contains("'https://a.*.example.com' is not an origin pattern")
                .contains("'https://*.*.example.com' has more than one wildcard")
                .contains("'*.example.com' is not an origin pattern")
                .contains("has a path, query or trailing slash")
                .contains("'https://*example.com' is not an origin pattern");
    }

    @Test
    void lists_with_a_star_or_bad_tokens_and_conflicting_options_are_refused() {
        String message = problems(Cors.builder().allowOrigins("https://a.example").allowAnyOrigin()
                .allowMethods("GET", "*", "G E T").allowAnyMethod()
                .allowHeaders("x-ok", "*", "bad header").mirrorRequestHeaders()
                .exposeHeaders("*").exposeAnyHeader()
                .maxAge(Duration.ofDays(2)));

        assertThat(message).contains("allowAnyOrigin() allows every origin")
                .contains("allowMethods: '*' is a wildcard: use allowAnyMethod()")
                .contains("allowMethods: 'G E T' is not a method token")
                .contains("allowAnyMethod() and allowMethods(..) exclude each other")
                .contains("allowHeaders: '*' is a wildcard: use allowAnyHeader()")
                .contains("allowHeaders: 'bad header' is not a header name")
                .contains("allowHeaders(..), allowAnyHeader() and mirrorRequestHeaders() exclude each other")
                .contains("exposeHeaders: '*' is a wildcard: use exposeAnyHeader()")
                .contains("maxAge must be whole seconds from 0 to 24 hours");
    }

    @Test
    void no_origin_at_all_is_a_mistake() {
        assertThat(problems(Cors.builder())).contains("no origin is allowed");
        assertThat(problems(Cors.builder().maxAge(Duration.ofSeconds(-1)))).contains("no origin is allowed")
                .contains("maxAge");
    }

    @Test
    void a_valid_configuration_builds_and_names_itself() {
        assertThatCode(() -> Cors.builder().allowOrigins(List.of("https://a.example", "http://[::1]:8080"))
                .allowOriginPatterns("https://*.a.example:8443").allowCredentials(true).allowMethods("GET", "PATCH")
                .mirrorRequestHeaders().exposeHeaders("etag").maxAge(Duration.ZERO).allowPrivateNetwork(true).build())
                .doesNotThrowAnyException();
        Cors cors = Cors.allowOrigins("https://a.example");
        assertThat(cors.name()).isEqualTo("Cors");
        assertThat(cors.kind()).isEqualTo(Middleware.Kind.CORS);
    }

    private static String problems(Cors.Builder builder) {
        WeftException e = catchThrowableOfType(WeftException.class, builder::build);
        assertThat(e).as("build() fails").isNotNull();
        assertThat(e.getMessage()).startsWith("invalid Cors options:");
        return e.getMessage();
    }
}
