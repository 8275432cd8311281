package dev.weft.sse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.json.JsonCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How events are framed on the wire, and the values they refuse. */
class EventTest {

    private static String wire(Event event) {
        return new String(event.encode(JsonCodec.jackson()), StandardCharsets.UTF_8);
    }

    @Test
    void data_is_one_data_line_and_a_blank_line() {
        assertThat(wire(Event.data("hello"))).isEqualTo("data: hello\n\n");
    }

    @Test
    void data_is_split_on_crlf_lone_cr_and_lf() {
        assertThat(wire(Event.data("a\r\nb\rc\nd"))).isEqualTo("data: a\ndata: b\ndata: c\ndata: d\n\n");
    }

    @Test
    void empty_data_and_trailing_line_breaks_survive() {
        assertThat(wire(Event.data(""))).isEqualTo("data:\n\n");
        assertThat(wire(Event.data("a\n"))).isEqualTo("data: a\ndata:\n\n");
        assertThat(wire(Event.data("\r\n\r\n"))).isEqualTo("data:\ndata:\ndata:\n\n");
    }

    @Test
    void a_leading_space_in_a_value_is_kept_by_the_field_separator() {
        // The client strips exactly one space after the colon.
        assertThat(wire(Event.data("  indented").withEvent(" odd"))).isEqualTo("event:  odd\ndata:   indented\n\n");
    }

    @Test
    void data_looking_like_fields_stays_data() {
        assertThat(wire(Event.data("x\nid: 7\nevent: admin\n\ndata: injected")))
                .isEqualTo("data: x\ndata: id: 7\ndata: event: admin\ndata:\ndata: data: injected\n\n");
    }

    @Test
    void unicode_is_sent_as_utf8() {
        byte[] bytes = Event.data("héllo ✓ 🎉").encode(JsonCodec.jackson());
        assertThat(new String(bytes, StandardCharsets.UTF_8)).isEqualTo("data: héllo ✓ 🎉\n\n");
        assertThat(bytes).hasSize("data: héllo ✓ 🎉\n\n".getBytes(StandardCharsets.UTF_8).length);
    }

    @Test
    void json_data_is_encoded_by_the_codec() {
        assertThat(wire(Event.json(Map.of("text", "a\nb")).withEvent("msg")))
                .isEqualTo("event: msg\ndata: {\"text\":\"a\\nb\"}\n\n");
    }

    @Test
    void pretty_printed_json_is_split_into_data_lines() {
        JsonCodec pretty = new JsonCodec() {
            @Override
            public byte[] write(Object value) {
                return "{\r\n  \"a\": 1\n}".getBytes(StandardCharsets.UTF_8);
            }

            @Override
            public <T> T read(byte[] json, java.lang.reflect.Type type) {
                throw new UnsupportedOperationException();
            }
        };
        assertThat(new String(Event.json("ignored").encode(pretty), StandardCharsets.UTF_8))
                .isEqualTo("data: {\ndata:   \"a\": 1\ndata: }\n\n");
    }

    @Test
    void retry_is_whole_milliseconds() {
        assertThat(wire(Event.data("x").withRetry(Duration.ofMillis(1500)))).isEqualTo("retry: 1500\ndata: x\n\n");
        assertThatThrownBy(() -> Event.data("x").withRetry(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void comments_are_colon_lines_and_multi_line_comments_stay_comments() {
        assertThat(wire(Event.comment(""))).isEqualTo(":\n\n");
        assertThat(wire(Event.comment("hi\ndata: not data"))).isEqualTo(": hi\n: data: not data\n\n");
    }

    @Test
    void an_event_name_with_cr_or_lf_is_refused() {
        for (String name : new String[] {"a\nb", "a\rb", "a\r\n", "\n"}) {
            assertThatThrownBy(() -> Event.data("x").withEvent(name))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("event name");
        }
    }

    @Test
    void an_id_with_cr_lf_or_nul_is_refused() {
        for (String id : new String[] {"1\n2", "1\r2", "1\0", "\r\n"}) {
            assertThatThrownBy(() -> Event.data("x").withId(id))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("event id");
        }
    }

    @Test
    void an_empty_id_is_sent_to_reset_the_last_event_id() {
        assertThat(wire(Event.data("x").withId(""))).isEqualTo("id:\ndata: x\n\n");
    }

    @Test
    void options_refuse_negative_durations() {
        assertThatThrownBy(() -> Sse.options().keepAlive(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("keepAlive");
        assertThatThrownBy(() -> Sse.options().maxLifetime(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxLifetime");
        assertThat(Sse.options().keepAlive()).isEqualTo(Duration.ofSeconds(15));
        assertThat(Sse.options().maxLifetime()).isEqualTo(Duration.ZERO);
    }
}
