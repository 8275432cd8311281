package dev.weft.internal.netty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.http.Method;
import dev.weft.internal.netty.Http2RequestHead.Accepted;
import dev.weft.internal.netty.Http2RequestHead.Malformed;
import dev.weft.internal.netty.Http2RequestHead.Outcome;
import dev.weft.internal.netty.Http2RequestHead.Refused;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The HTTP/2 header mapping, without a socket: no Netty decoder validates anything first. */
class Http2RequestHeadTest {
    private static final int MAX = 100;

    /** A header list as given, unvalidated (so it may hold what Netty's decoder would refuse). */
    private static Http2Headers list(String... namesAndValues) {
        Http2Headers headers = new DefaultHttp2Headers(false);
        for (int i = 0; i < namesAndValues.length; i += 2) {
            headers.add(namesAndValues[i], namesAndValues[i + 1]);
        }
        return headers;
    }

    private static Http2Headers get(String... more) {
        Http2Headers headers = list(":method", "GET", ":scheme", "https", ":path", "/a?b=1", ":authority", "example.com");
        for (int i = 0; i < more.length; i += 2) {
            headers.add(more[i], more[i + 1]);
        }
        return headers;
    }

    private static Accepted accepted(Http2Headers headers) {
        Outcome outcome = Http2RequestHead.from(headers, MAX);
        assertThat(outcome).isInstanceOf(Accepted.class);
        return (Accepted) outcome;
    }

    private static void assertMalformed(Http2Headers headers) {
        assertThat(Http2RequestHead.from(headers, MAX)).isInstanceOf(Malformed.class);
    }

    private static void assertRefused(Http2Headers headers, int status) {
        assertThat(Http2RequestHead.from(headers, MAX)).isInstanceOfSatisfying(Refused.class,
                r -> assertThat(r.status().code()).isEqualTo(status));
    }

    @Test
    void the_declared_length_and_a_100_continue_expectation_are_read() {
        Accepted head = accepted(get("content-length", "12", "expect", "100-Continue"));
        assertThat(head.declared()).hasValue(12);
        assertThat(head.expectContinue()).isTrue();

        Accepted plain = accepted(get());
        assertThat(plain.declared()).isEmpty();
        assertThat(plain.expectContinue()).isFalse();
    }

    @Test
    void an_invalid_length_is_400_and_another_expectation_417() {
        assertRefused(get("content-length", "+5"), 400);
        assertRefused(get("content-length", "5, 5"), 400);
        assertRefused(get("expect", "something"), 417);
    }

    @Test
    void a_request_head_maps_method_target_and_authority_as_host_first() {
        Accepted head = accepted(get("accept", "*/*"));
        assertThat(head.method()).isEqualTo(Method.GET);
        assertThat(head.target()).isEqualTo("/a?b=1");
        java.util.List<String> names = new java.util.ArrayList<>();
        head.headers().forEach((name, value) -> names.add(name));
        assertThat(names).containsExactly("host", "accept");
        assertThat(head.headers().first("host")).hasValue("example.com");
    }

    @Test
    void pseudo_headers_other_than_authority_are_not_headers() {
        assertThat(accepted(get()).headers().size()).isEqualTo(1);
    }

    @Test
    void cookie_crumbs_are_joined_into_one_field() {
        Accepted head = accepted(get("cookie", "a=1", "cookie", "b=2", "cookie", "c=3"));
        assertThat(head.headers().all("cookie")).containsExactly("a=1; b=2; c=3");
    }

    @Test
    void a_host_equal_to_the_authority_is_kept_once() {
        assertThat(accepted(get("host", "EXAMPLE.com")).headers().all("host")).containsExactly("example.com");
    }

    @Test
    void a_host_without_authority_is_the_host() {
        Accepted head = accepted(list(":method", "GET", ":scheme", "http", ":path", "/", "host", "h.example"));
        assertThat(head.headers().all("host")).containsExactly("h.example");
    }

    @Test
    void raw_bytes_above_0x7f_in_the_path_are_decoded_as_utf_8() {
        String utf8AsLatin1 = new String("/café".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(accepted(list(":method", "GET", ":scheme", "http", ":path", utf8AsLatin1)).target())
                .isEqualTo("/café");
    }

    @Test
    void options_asterisk_is_accepted() {
        assertThat(accepted(list(":method", "OPTIONS", ":scheme", "http", ":path", "*")).target()).isEqualTo("*");
    }

    @Test
    void te_trailers_is_accepted() {
        assertThat(accepted(get("te", "trailers")).headers().first("te")).hasValue("trailers");
    }

    @Test
    void exactly_max_header_count_fields_are_accepted() {
        Http2Headers headers = list(":method", "GET", ":scheme", "http", ":path", "/");
        for (int i = 0; i < MAX; i++) {
            headers.add("x-" + i, "v");
        }
        assertThat(accepted(headers).headers().size()).isEqualTo(MAX);
    }

    @Test
    void one_field_over_max_header_count_is_refused_431() {
        Http2Headers headers = list(":method", "GET", ":scheme", "http", ":path", "/");
        for (int i = 0; i <= MAX; i++) {
            headers.add("x-" + i, "v");
        }
        assertRefused(headers, 431);
    }

    @Test
    void the_authority_counts_as_a_field() {
        Http2Headers headers = get();
        for (int i = 0; i < MAX; i++) {
            headers.add("x-" + i, "v");
        }
        assertRefused(headers, 431);
    }

    @Test
    void cookie_crumbs_count_as_one_field() {
        Http2Headers headers = list(":method", "GET", ":scheme", "http", ":path", "/");
        for (int i = 0; i < MAX - 1; i++) {
            headers.add("x-" + i, "v");
        }
        for (int i = 0; i < 50; i++) {
            headers.add("cookie", "c" + i + "=1");
        }
        assertThat(accepted(headers).headers().size()).isEqualTo(MAX);
    }

    @Test
    void a_request_without_method_is_malformed() {
        assertMalformed(list(":scheme", "http", ":path", "/"));
    }

    @Test
    void a_request_without_scheme_is_malformed() {
        assertMalformed(list(":method", "GET", ":path", "/"));
    }

    @Test
    void a_request_without_path_is_malformed() {
        assertMalformed(list(":method", "GET", ":scheme", "http"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a/b", "http://example.com/", "?x"})
    void a_path_that_is_not_origin_form_is_malformed(String path) {
        assertMalformed(list(":method", "GET", ":scheme", "http", ":path", path));
    }

    @Test
    void an_asterisk_path_for_get_is_malformed() {
        assertMalformed(list(":method", "GET", ":scheme", "http", ":path", "*"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1http", "ht tp", "h:"})
    void an_invalid_scheme_is_malformed(String scheme) {
        assertMalformed(list(":method", "GET", ":scheme", scheme, ":path", "/"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "G ET", "GET\r\n"})
    void an_invalid_method_is_malformed(String method) {
        assertMalformed(list(":method", method, ":scheme", "http", ":path", "/"));
    }

    @ParameterizedTest
    @ValueSource(strings = {":method", ":scheme", ":path", ":authority"})
    void a_repeated_pseudo_header_is_malformed(String name) {
        assertMalformed(get(name, name.equals(":path") ? "/" : "x"));
    }

    @ParameterizedTest
    @ValueSource(strings = {":status", ":protocol", ":foo", ":"})
    void a_pseudo_header_that_is_not_a_request_one_is_malformed(String name) {
        assertMalformed(get(name, "200"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade"})
    void a_connection_specific_field_is_malformed(String name) {
        assertMalformed(get(name, "x"));
    }

    @Test
    void te_other_than_trailers_is_malformed() {
        assertMalformed(get("te", "gzip"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Accept", "X-A", "aZ"})
    void an_upper_case_field_name_is_malformed(String name) {
        assertMalformed(get(name, "1"));
    }

    @Test
    void an_empty_field_name_is_malformed() {
        assertMalformed(get("", "1"));
    }

    @ParameterizedTest
    @ValueSource(strings = {" 1", "1 ", "\t1", "1\t"})
    void a_value_with_leading_or_trailing_white_space_is_malformed(String value) {
        assertMalformed(get("x-a", value));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1\r\nx-b: 2", "1\n2", "1\u00002", "1\r2"})
    void a_value_with_a_control_character_is_refused_400(String value) {
        assertRefused(get("x-a", value), 400);
    }

    @ParameterizedTest
    @ValueSource(strings = {"x a", "x:a", "x(a)", "x\"a"})
    void a_name_that_is_not_a_token_is_refused_400(String name) {
        assertRefused(get(name, "1"), 400);
    }

    @Test
    void connect_is_refused_501() {
        assertRefused(list(":method", "CONNECT", ":authority", "example.com:443"), 501);
    }

    @Test
    void a_target_that_is_not_utf_8_is_refused_400() {
        assertRefused(list(":method", "GET", ":scheme", "http", ":path", "/\u00ff"), 400);
    }

    @Test
    void a_host_that_differs_from_the_authority_is_refused_400() {
        assertRefused(get("host", "other.example"), 400);
    }

    @Test
    void two_hosts_are_refused_400() {
        assertRefused(list(":method", "GET", ":scheme", "http", ":path", "/", "host", "a", "host", "b"), 400);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "u@example.com", "example.com/x", "a, b", "example.com:", "example.com:x",
            "example.com:123456", ":80", "[::1", "[::1]x", "exa mple.com", "[zz]"})
    void an_authority_that_is_not_host_and_port_is_refused_400(String authority) {
        assertRefused(list(":method", "GET", ":scheme", "http", ":path", "/", ":authority", authority), 400);
    }

    @ParameterizedTest
    @ValueSource(strings = {"example.com", "example.com:8080", "127.0.0.1:1", "[::1]", "[::1]:443", "xn--caf-dma.example"})
    void an_authority_of_host_and_port_is_accepted(String authority) {
        assertThat(accepted(list(":method", "GET", ":scheme", "http", ":path", "/", ":authority", authority))
                .headers().first("host")).hasValue(authority);
    }
}
