package dev.weft.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RequestPathTest {

    private static RequestPath.Refusal refusal(String raw) {
        return catchThrowableOfType(RequestPath.RefusedException.class, () -> RequestPath.parse(raw, Set.of())).refusal;
    }

    @Test
    void plain_names_are_decoded_once() throws Exception {
        assertThat(RequestPath.parse("css/site%20main.css", Set.of()).names()).containsExactly("css", "site main.css");
        assertThat(RequestPath.parse("caf%C3%A9.txt", Set.of()).names()).containsExactly("café.txt");
    }

    @Test
    void double_encoding_stays_literal() throws Exception {
        assertThat(RequestPath.parse("%252e%252e/x", Set.of()).names()).containsExactly("%2e%2e", "x");
    }

    @Test
    void a_trailing_slash_asks_for_a_directory() throws Exception {
        RequestPath path = RequestPath.parse("docs/", Set.of());
        assertThat(path.names()).containsExactly("docs");
        assertThat(path.trailingSlash()).isTrue();
        assertThat(RequestPath.parse("", Set.of()).names()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"..", "../etc/passwd", "a/../../b", ".", "a/./b", "%2e%2e/x", "%2E%2e", ".%2e/x",
            "a%2fb", "a%2Fb", "a%5cb", "a\\b", "..\\x", "a%00b", "a//b", "/a", "C:", "c:%5cwindows", "a:b",
            "CON", "con.txt", "nul", "LPT1.log", "aux", "com3", "index.html.", "index.html%20", "a%09b",
            ".env", ".git/config", "a/.htaccess", "%2eenv", "a\u0001b"})
    void non_plain_paths_are_refused_as_not_found(String raw) {
        RequestPath.Refusal refusal = refusal(raw);
        assertThat(refusal).as(raw).isNotNull();
        assertThat(refusal.malformed()).as(raw).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"%c0%ae%c0%ae/x", "%c0%af", "%e0%80%ae", "%ff", "%", "a%2", "%zz", "%c3"})
    void malformed_encoding_is_refused_as_bad_request(String raw) {
        RequestPath.Refusal refusal = refusal(raw);
        assertThat(refusal).as(raw).isNotNull();
        assertThat(refusal.malformed()).as(raw).isTrue();
    }

    @Test
    void an_allowed_hidden_name_is_served() throws Exception {
        assertThat(RequestPath.parse(".well-known/security.txt", Set.of(".well-known")).names())
                .isEqualTo(List.of(".well-known", "security.txt"));
    }
}
