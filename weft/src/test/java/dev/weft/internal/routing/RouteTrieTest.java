package dev.weft.internal.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

class RouteTrieTest {

    private static RouteTrie<String> trie(String... patterns) {
        RouteTrie<String> trie = new RouteTrie<>();
        for (String pattern : patterns) {
            trie.getOrCreate(PathPattern.parse(pattern), () -> pattern);
        }
        return trie;
    }

    private static String match(RouteTrie<String> trie, String path) {
        RouteTrie.Match<String> match = trie.match(path);
        return match == null ? null : match.value();
    }

    @Test
    void literal_beats_parameter_whatever_the_order() {
        assertThat(match(trie("/users/{id}", "/users/me"), "/users/me")).isEqualTo("/users/me");
        assertThat(match(trie("/users/me", "/users/{id}"), "/users/me")).isEqualTo("/users/me");
        assertThat(match(trie("/users/me", "/users/{id}"), "/users/42")).isEqualTo("/users/{id}");
    }

    @Test
    void parameter_beats_catch_all() {
        RouteTrie<String> trie = trie("/files/{*path}", "/files/{name}");
        assertThat(match(trie, "/files/a")).isEqualTo("/files/{name}");
        assertThat(match(trie, "/files/a/b")).isEqualTo("/files/{*path}");
    }

    @Test
    void a_dead_end_literal_branch_backtracks_to_the_parameter() {
        RouteTrie<String> trie = trie("/a/b/{y}", "/a/{x}/c");
        assertThat(match(trie, "/a/b/c")).isEqualTo("/a/b/{y}");
        assertThat(match(trie, "/a/q/c")).isEqualTo("/a/{x}/c");
        RouteTrie<String> deeper = trie("/a/b/d", "/a/{x}/c");
        assertThat(match(deeper, "/a/b/c")).isEqualTo("/a/{x}/c");
        assertThat(deeper.match("/a/b/c").params()).containsExactly("b");
    }

    @Test
    void parameters_are_captured_raw_in_path_order() {
        RouteTrie.Match<String> match = trie("/t/{team}/m/{user}").match("/t/a%20b/m/c");
        assertThat(match.params()).containsExactly("a%20b", "c");
    }

    @Test
    void catch_all_takes_the_non_empty_rest() {
        RouteTrie<String> trie = trie("/static/{*rest}");
        assertThat(trie.match("/static/css/site.css").params()).containsExactly("css/site.css");
        assertThat(trie.match("/static/")).isNull();
        assertThat(trie.match("/static")).isNull();
    }

    @Test
    void a_parameter_never_matches_an_empty_segment() {
        RouteTrie<String> trie = trie("/users/{id}");
        assertThat(trie.match("/users/")).isNull();
        assertThat(trie.match("/users//x")).isNull();
    }

    @Test
    void trailing_slash_and_case_make_different_paths() {
        RouteTrie<String> trie = trie("/a", "/b/");
        assertThat(match(trie, "/a")).isEqualTo("/a");
        assertThat(match(trie, "/a/")).isNull();
        assertThat(match(trie, "/b/")).isEqualTo("/b/");
        assertThat(match(trie, "/b")).isNull();
        assertThat(match(trie, "/A")).isNull();
    }

    @Test
    void the_root_is_its_own_route() {
        RouteTrie<String> trie = trie("/", "/{x}");
        assertThat(match(trie, "/")).isEqualTo("/");
        assertThat(match(trie, "/y")).isEqualTo("/{x}");
    }

    @Test
    void a_thousand_routes_each_match_their_own_path() {
        RouteTrie<String> trie = new RouteTrie<>();
        for (int i = 0; i < 1000; i++) {
            String pattern = "/api/v1/resource" + i + "/{id}";
            trie.getOrCreate(PathPattern.parse(pattern), () -> pattern);
            trie.getOrCreate(PathPattern.parse("/static/page" + i), () -> "page");
        }
        for (int i = 0; i < 1000; i += 37) {
            RouteTrie.Match<String> match = trie.match("/api/v1/resource" + i + "/7");
            assertThat(match.value()).isEqualTo("/api/v1/resource" + i + "/{id}");
            assertThat(match.params()).containsExactly("7");
        }
        assertThat(trie.match("/api/v1/resource1000/7")).isNull();
    }

    @Test
    void matching_a_static_route_allocates_nothing() {
        RouteTrie<String> trie = new RouteTrie<>();
        for (int i = 0; i < 100; i++) {
            trie.getOrCreate(PathPattern.parse("/static/page" + i), () -> "page");
        }
        String path = "/static/page42";
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().threadId();
        for (int i = 0; i < 20_000; i++) {
            trie.match(path); // warm up so the JIT can scalar-replace the Match record
        }
        long before = threads.getThreadAllocatedBytes(id);
        for (int i = 0; i < 10_000; i++) {
            trie.match(path);
        }
        long perMatch = (threads.getThreadAllocatedBytes(id) - before) / 10_000;
        // Static matches are prebuilt; even the interpreter allocates nothing here.
        assertThat(perMatch).isZero();
    }
}
