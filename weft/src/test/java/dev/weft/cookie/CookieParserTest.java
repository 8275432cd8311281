package dev.weft.cookie;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CookieParserTest {

    private static Map<String, String> parse(String... headers) {
        return CookieParser.parse(List.of(headers));
    }

    @Test
    void pairs_are_split_on_semicolons_with_optional_spaces() {
        assertThat(parse("a=1; b=2;c=3 ;  d = 4")).containsExactly(
                Map.entry("a", "1"), Map.entry("b", "2"), Map.entry("c", "3"), Map.entry("d", "4"));
    }

    @Test
    void several_headers_are_one_list_as_http2_splits_them() {
        assertThat(parse("a=1", "b=2; c=3")).containsOnlyKeys("a", "b", "c");
    }

    @Test
    void the_first_of_a_duplicated_name_wins_across_headers() {
        assertThat(parse("a=1; a=2", "a=3")).containsExactly(Map.entry("a", "1"));
    }

    @Test
    void quotes_around_a_value_are_removed_and_stray_quotes_skip_the_pair() {
        assertThat(parse("a=\"x\"; b=\"; c=x\"y; d=\"\"; e=ok")).containsExactly(
                Map.entry("a", "x"), Map.entry("d", ""), Map.entry("e", "ok"));
    }

    @Test
    void empty_values_and_empty_headers_are_fine() {
        assertThat(parse("a=; b=", "", ";;;", " ")).containsExactly(Map.entry("a", ""), Map.entry("b", ""));
    }

    @Test
    void garbage_pairs_are_skipped_and_the_rest_kept() {
        assertThat(parse("=1; novalue; a b=1; (x)=2; ok=1; é=3; c=\u0001; d=é; e=a\u0000b; f=sp ace, comma; g=\\"))
                .containsExactly(Map.entry("ok", "1"), Map.entry("f", "sp ace, comma"), Map.entry("g", "\\"));
    }

    @Test
    void equals_signs_in_a_value_are_kept() {
        assertThat(parse("jwt=a.b.c==; x=a=b")).containsExactly(Map.entry("jwt", "a.b.c=="), Map.entry("x", "a=b"));
    }

    @Test
    void at_most_256_cookies_are_kept() {
        StringBuilder header = new StringBuilder();
        for (int i = 0; i < 10_000; i++) {
            header.append("c").append(i).append("=v; ");
        }
        Map<String, String> cookies = parse(header.toString());
        assertThat(cookies).hasSize(CookieParser.MAX_COOKIES).containsKey("c0").containsKey("c255").doesNotContainKey("c256");
    }

    @Test
    void at_most_1024_pairs_are_looked_at_even_when_all_are_garbage_or_duplicates() {
        List<String> headers = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            headers.add("a=1");
        }
        headers.add("late=1");
        assertThat(parse(headers.toArray(String[]::new))).containsOnlyKeys("a");
    }

    @Test
    void a_huge_header_is_read_in_linear_time_without_failing() {
        String huge = "a=" + "x".repeat(1_000_000) + "; b=" + ";".repeat(100_000) + "c=1";
        Map<String, String> cookies = parse(huge);
        assertThat(cookies.get("a")).hasSize(1_000_000);
    }
}
