package dev.weft.middleware;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.WeftException;
import dev.weft.http.Headers;
import dev.weft.response.Response;
import org.junit.jupiter.api.Test;

class AccessLogTest {

    @Test
    void control_non_ascii_and_quote_characters_are_escaped() {
        assertThat(AccessLog.escape("/a\r\nb", 100)).isEqualTo("/a\\x0d\\x0ab");
        assertThat(AccessLog.escape("/\u001b[31mred", 100)).isEqualTo("/\\x1b[31mred");
        assertThat(AccessLog.escape("/caf\u00e9", 100)).isEqualTo("/caf\\xe9");
        assertThat(AccessLog.escape("/\u202e", 100)).isEqualTo("/\\u202e");
        assertThat(AccessLog.escape("/\"q\"\\", 100)).isEqualTo("/\\\"q\\\"\\\\");
        assertThat(AccessLog.escape("/plain", 100)).isEqualTo("/plain");
    }

    @Test
    void long_values_are_cut_with_an_ellipsis() {
        assertThat(AccessLog.escape("/" + "a".repeat(10_000), 20)).hasSize(21).endsWith("…");
        assertThat(AccessLog.escape("\n".repeat(10_000), 20)).isEqualTo("\\x0a".repeat(20) + "…");
    }

    @Test
    void invalid_options_are_reported_together() {
        assertThatThrownBy(() -> AccessLog.builder().logger(" ").sampleSuccess(0).maxPathLength(1)
                .maxHeaderLength(1_000_000).requestHeaders("bad name").sensitiveHeaders("").successLevel(null).build())
                .isInstanceOf(WeftException.class)
                .hasMessageContaining("logger must not be blank")
                .hasMessageContaining("sampleSuccess must be 1 to 1000000")
                .hasMessageContaining("maxPathLength")
                .hasMessageContaining("maxHeaderLength")
                .hasMessageContaining("requestHeaders: 'bad name'")
                .hasMessageContaining("sensitiveHeaders: ''")
                .hasMessageContaining("successLevel must be set");
    }

    @Test
    void headers_and_responses_never_show_credentials_in_to_string() {
        Headers headers = Headers.builder().add("Authorization", "Basic c2VjcmV0").add("Cookie", "sid=secret")
                .add("Proxy-Authorization", "secret").add("accept", "text/plain").build();
        assertThat(headers.toString()).doesNotContain("secret").doesNotContain("c2VjcmV0")
                .contains("authorization: <redacted>").contains("accept: text/plain");
        Response response = Response.ok().withHeader("set-cookie", "sid=secret");
        assertThat(response.toString()).doesNotContain("secret").contains("set-cookie: <redacted>");
    }
}
