package dev.weft.middleware;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.WeftException;
import dev.weft.http.Method;
import dev.weft.http.Request;
import dev.weft.response.Response;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class RequestIdTest {

    @Test
    void generated_ids_are_26_base32_characters_and_distinct() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            String id = RequestId.generate();
            assertThat(id).hasSize(26).matches("[0-9A-HJKMNP-TV-Z]{26}");
            ids.add(id);
        }
        assertThat(ids).hasSize(100_000);
    }

    @Test
    void generated_ids_sort_by_time() throws InterruptedException {
        String first = RequestId.generate();
        Thread.sleep(3);
        assertThat(RequestId.generate().substring(0, 10)).isGreaterThan(first.substring(0, 10));
    }

    @Test
    void only_short_ids_of_safe_characters_are_sane() {
        assertThat(RequestId.sane("abc-DEF_123.4:5", 128)).isTrue();
        assertThat(RequestId.sane("a".repeat(128), 128)).isTrue();
        assertThat(RequestId.sane("a".repeat(129), 128)).isFalse();
        for (String bad : new String[] {"", " ", "a b", "a\tb", "é", "a\"b", "a\\b", "<x>", "a\r\nb", "a\u0000",
                "a,b", "a;b", "a/b", "a=b", "%41", "\u202e"}) {
            assertThat(RequestId.sane(bad, 128)).as(bad).isFalse();
        }
    }

    @Test
    void the_mdc_holds_the_id_while_the_handler_runs_and_is_restored_after() throws Exception {
        RequestId layer = RequestId.create();
        MDC.put("request_id", "outer");
        try {
            String[] seen = new String[1];
            Request request = Request.builder(Method.GET, "/").header("x-request-id", "inner-1").build();
            layer.handle(request, r -> {
                seen[0] = MDC.get("request_id");
                return Response.ok();
            });
            assertThat(seen[0]).isEqualTo("inner-1");
            assertThat(MDC.get("request_id")).isEqualTo("outer");
        } finally {
            MDC.remove("request_id");
        }
        Request request = Request.builder(Method.GET, "/").build();
        layer.handle(request, r -> Response.ok());
        assertThat(MDC.get("request_id")).isNull();
    }

    @Test
    void the_mdc_is_cleared_even_when_the_inner_chain_throws() {
        RequestId layer = RequestId.create();
        assertThatThrownBy(() -> layer.handle(Request.builder(Method.GET, "/").build(), r -> {
            throw new IllegalStateException("boom");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(MDC.get("request_id")).isNull();
    }

    @Test
    void a_response_that_has_its_own_id_header_keeps_it() throws Exception {
        Response response = RequestId.create().handle(Request.builder(Method.GET, "/").build(),
                r -> Response.ok().withHeader("x-request-id", "mine"));
        assertThat(response.headers().all("x-request-id")).containsExactly("mine");
    }

    @Test
    void invalid_options_are_reported_together() {
        assertThatThrownBy(() -> RequestId.builder().header("bad header").maxLength(0).mdcKey(" ").build())
                .isInstanceOf(WeftException.class)
                .hasMessageContaining("header must be an HTTP token")
                .hasMessageContaining("maxLength must be 1 to 1024")
                .hasMessageContaining("mdcKey must not be blank");
    }

    @Test
    void a_custom_header_name_is_read_and_written() throws Exception {
        RequestId layer = RequestId.builder().header("X-Correlation-Id").build();
        Response response = layer.handle(Request.builder(Method.GET, "/").header("x-correlation-id", "c-1").build(),
                r -> Response.ok());
        assertThat(response.header("x-correlation-id")).contains("c-1");
    }

    @Test
    void incoming_ids_are_ignored_when_not_accepted() throws Exception {
        RequestId layer = RequestId.builder().acceptIncoming(false).build();
        Response response = layer.handle(Request.builder(Method.GET, "/").header("x-request-id", "abc").build(),
                r -> Response.ok());
        assertThat(response.header("x-request-id")).get().asString().hasSize(26);
    }
}
