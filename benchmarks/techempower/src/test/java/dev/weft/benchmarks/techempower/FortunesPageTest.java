package dev.weft.benchmarks.techempower;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class FortunesPageTest {

    @Test
    void the_five_html_special_characters_are_escaped() {
        StringBuilder out = new StringBuilder();
        FortunesPage.escape("<a href=\"x\">Tom & Jerry's</a>", out);
        assertThat(out).hasToString("&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;");
    }

    @Test
    void other_characters_pass_unchanged() {
        StringBuilder out = new StringBuilder();
        FortunesPage.escape("フレームワーク — 100% ok; a=b", out);
        assertThat(out).hasToString("フレームワーク — 100% ok; a=b");
    }

    @Test
    void rows_appear_in_the_order_given() {
        String html = FortunesPage.render(List.of(new Fortune(2, "b"), new Fortune(1, "a")));
        assertThat(html).isEqualTo("<!DOCTYPE html><html><head><title>Fortunes</title></head><body><table>"
                + "<tr><th>id</th><th>message</th></tr>"
                + "<tr><td>2</td><td>b</td></tr><tr><td>1</td><td>a</td></tr>"
                + "</table></body></html>");
    }
}
