package dev.weft.internal.netty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.response.Status;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The HTTP/1.x head checks, on plain request objects: no socket, no decoder. */
class Http1RequestHeadTest {

    private static HttpRequest request(HttpVersion version, String... headers) {
        HttpRequest request = new DefaultHttpRequest(version, HttpMethod.POST, "/a?b");
        for (int i = 0; i < headers.length; i += 2) {
            request.headers().add(headers[i], headers[i + 1]);
        }
        return request;
    }

    private static Http1RequestHead check(HttpRequest request) {
        return Http1RequestHead.check(request, 100);
    }

    private static void assertRefused(Http1RequestHead head, Status status) {
        assertThat(head.refusal()).isNotNull();
        assertThat(head.refusal().status()).isEqualTo(status);
    }

    @Test
    void a_valid_head_is_read() {
        Http1RequestHead head = check(request(HttpVersion.HTTP_1_1, "host", "a.example", "content-length", "5",
                "expect", "100-continue"));

        assertThat(head.refusal()).isNull();
        assertThat(head.version()).isEqualTo(HttpVersion.HTTP_1_1);
        assertThat(head.target()).isEqualTo("/a?b");
        assertThat(head.declared()).hasValue(5);
        assertThat(head.hasBody()).isTrue();
        assertThat(head.continueExpected()).isTrue();
        assertThat(head.keepAlive()).isTrue();
    }

    @Test
    void an_unknown_minor_version_is_answered_as_http_1_1() {
        Http1RequestHead head = check(request(new HttpVersion("HTTP", 1, 7, true), "host", "a"));

        assertThat(head.version()).isEqualTo(HttpVersion.HTTP_1_1);
    }

    @Test
    void http_1_0_gets_no_100_continue_and_needs_no_host() {
        Http1RequestHead head = check(request(HttpVersion.HTTP_1_0, "expect", "100-continue", "content-length", "1"));

        assertThat(head.refusal()).isNull();
        assertThat(head.continueExpected()).isFalse();
        assertThat(head.keepAlive()).isFalse();
    }

    @Test
    void each_refusal_has_its_status() {
        assertRefused(check(request(new HttpVersion("HTTP", 2, 0, true), "host", "a")), Status.HTTP_VERSION_NOT_SUPPORTED);
        assertRefused(check(request(HttpVersion.HTTP_1_1)), Status.BAD_REQUEST);
        assertRefused(check(request(HttpVersion.HTTP_1_1, "host", "a", "host", "a")), Status.BAD_REQUEST);
        assertRefused(check(request(HttpVersion.HTTP_1_0, "host", "a", "host", "b")), Status.BAD_REQUEST);
        assertRefused(check(request(HttpVersion.HTTP_1_1, "host", "a", "transfer-encoding", "gzip")), Status.NOT_IMPLEMENTED);
        assertRefused(check(request(HttpVersion.HTTP_1_0, "transfer-encoding", "chunked")), Status.BAD_REQUEST);
        assertRefused(check(request(HttpVersion.HTTP_1_1, "host", "a", "transfer-encoding", "chunked",
                "transfer-encoding", "chunked")), Status.BAD_REQUEST);
        assertRefused(check(request(HttpVersion.HTTP_1_1, "host", "a", "expect", "x")), Status.EXPECTATION_FAILED);
        assertRefused(check(request(HttpVersion.HTTP_1_1, "host", "a", "content-length", "+5")), Status.BAD_REQUEST);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a, b", "u@a", "a/x", "a:x", "[::1", ":80"})
    void a_host_that_is_not_one_host_and_port_is_refused(String host) {
        assertRefused(check(request(HttpVersion.HTTP_1_1, "host", host)), Status.BAD_REQUEST);
    }

    @Test
    void more_fields_than_the_limit_are_refused_with_431() {
        HttpRequest request = request(HttpVersion.HTTP_1_1, "host", "a");
        for (int i = 0; i < 10; i++) {
            request.headers().add("x-" + i, "v");
        }
        assertThat(Http1RequestHead.check(request, 11).refusal()).isNull();
        assertRefused(Http1RequestHead.check(request, 10), Status.REQUEST_HEADER_FIELDS_TOO_LARGE);
    }

    @Test
    void a_target_that_is_not_utf_8_is_refused() {
        HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/caf\u00e9");
        request.headers().add("host", "a");

        assertRefused(check(request), Status.BAD_REQUEST);
    }
}
