package dev.weft.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.routing.Router;
import dev.weft.sse.Event;
import dev.weft.sse.Sse;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The examples in the Javadoc of {@link EventStream}. */
class EventStreamExamples {

    @Test
    void read() {
        Router app = Router.builder()
                .get("/news", () -> Sse.stream(Stream.of(Event.data("hello").withId("1"))))
                .build();
        // @start region=read
        try (var client = TestClient.start(app); // or InMemoryClient.of(app), or TestClient.startHttp2(app)
                var events = EventStream.open(client, "/news")) {
            assertThat(events.header("content-type")).contains("text/event-stream");
            ServerEvent first = events.next(Duration.ofSeconds(5)).orElseThrow();
            assertThat(first.data()).isEqualTo("hello");
            assertThat(first.lastEventId()).isEqualTo("1");
            assertThat(events.next(Duration.ofSeconds(5))).isEmpty(); // the stream ended
            assertThat(events.cutOff()).isFalse();                    // cleanly
        }
        // @end
    }
}
