package dev.weft.test;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The test kit's event stream parser follows the WHATWG rules, also for input split anywhere. */
class SseParserTest {
    private final List<ServerEvent> events = new ArrayList<>();
    private int comments;
    private final SseParser parser = new SseParser(events::add, () -> comments++);

    private List<ServerEvent> parse(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        parser.feed(bytes, 0, bytes.length);
        return events;
    }

    @Test
    void a_leading_bom_is_skipped_and_only_the_first() {
        assertThat(parse("\uFEFFdata: a\n\n\uFEFFdata: b\n\n")).containsExactly(ServerEvent.message("a"));
    }

    @Test
    void lines_may_end_with_crlf_cr_or_lf() {
        assertThat(parse("data: a\r\ndata: b\rdata: c\n\r\n")).containsExactly(ServerEvent.message("a\nb\nc"));
    }

    @Test
    void comments_are_counted_not_dispatched() {
        assertThat(parse(":\n\n: hello\n\n")).isEmpty();
        assertThat(comments).isEqualTo(2);
    }

    @Test
    void an_id_holding_nul_is_ignored_and_ids_carry_over() {
        assertThat(parse("id: 1\ndata: a\n\nid: 2\u0000\ndata: b\n\n")).containsExactly(
                new ServerEvent("message", "a", "1", Optional.empty()),
                new ServerEvent("message", "b", "1", Optional.empty()));
    }

    @Test
    void retry_counts_only_when_all_digits() {
        assertThat(parse("retry: 12a\ndata: a\n\nretry: 300\ndata: b\n\n")).containsExactly(
                ServerEvent.message("a"),
                new ServerEvent("message", "b", "", Optional.of(Duration.ofMillis(300))));
    }

    @Test
    void an_event_without_data_is_not_dispatched_and_its_type_is_reset() {
        assertThat(parse("event: x\n\ndata: a\n\n")).containsExactly(ServerEvent.message("a"));
    }

    @Test
    void a_field_without_colon_has_an_empty_value_and_one_leading_space_is_stripped() {
        assertThat(parse("data\ndata:  two\n\n")).containsExactly(ServerEvent.message("\n two"));
    }

    @Test
    void an_unfinished_event_is_not_dispatched() {
        assertThat(parse("data: a\n")).isEmpty();
    }

    @Test
    void utf8_split_between_pieces_is_decoded() {
        byte[] bytes = "data: ✓🎉\n\n".getBytes(StandardCharsets.UTF_8);
        for (byte b : bytes) {
            parser.feed(new byte[] {b}, 0, 1);
        }
        assertThat(events).containsExactly(ServerEvent.message("✓🎉"));
    }
}
