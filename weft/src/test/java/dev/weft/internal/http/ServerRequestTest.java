package dev.weft.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.http.Method;
import dev.weft.http.Request;
import org.junit.jupiter.api.Test;

class ServerRequestTest {
    @Test
    void path_and_query_are_split_from_the_target() {
        Request request = Request.builder(Method.GET, "/todos/1?verbose=true&x").build();
        assertThat(request.path()).isEqualTo("/todos/1");
        assertThat(request.rawQuery()).contains("verbose=true&x");
    }

    @Test
    void an_absolute_form_target_is_routed_on_its_path() {
        Request request = Request.builder(Method.GET, "http://example.test:8080/a/b?c=d").build();
        assertThat(request.path()).isEqualTo("/a/b");
        assertThat(request.rawQuery()).contains("c=d");
        assertThat(Request.builder(Method.GET, "http://example.test").build().path()).isEqualTo("/");
    }

    @Test
    void a_fragment_is_not_part_of_the_path_or_query() {
        Request request = Request.builder(Method.GET, "/a?b=1#frag").build();
        assertThat(request.path()).isEqualTo("/a");
        assertThat(request.rawQuery()).contains("b=1");
    }

    @Test
    void a_body_sets_content_length() {
        Request request = Request.builder(Method.POST, "/").body(new byte[] {1, 2, 3}).build();
        assertThat(request.header("content-length")).contains("3");
        assertThat(request.body().bytes()).containsExactly(1, 2, 3);
    }

    @Test
    void extensions_are_keyed_by_type() {
        Request request = Request.builder(Method.GET, "/").build();
        assertThat(request.extension(String.class)).isEmpty();
        request.putExtension(String.class, "user-1");
        assertThat(request.extension(String.class)).contains("user-1");
    }
}
