package dev.weft.sse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.http.Method;
import dev.weft.http.Request;
import dev.weft.response.Response;
import dev.weft.routing.Router;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The examples in the Javadoc of {@link Sse}, {@link Event} and the package. */
class SseExamples {
    public record Tick(int n) {}

    @Test
    void event() {
        // @start region=event
        Event event = Event.data("first line\nsecond line")
                .withEvent("update")
                .withId("42")
                .withRetry(Duration.ofSeconds(5));
        // sent as:  event: update / id: 42 / retry: 5000 / data: first line / data: second line / (blank line)
        // @end
        assertThat(new String(event.encode(dev.weft.json.JsonCodec.jackson()), java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo("event: update\nid: 42\nretry: 5000\ndata: first line\ndata: second line\n\n");
    }

    @Test
    void emit() throws Exception {
        // @start region=emit
        Router app = Router.builder()
                .get("/ticks", () -> Sse.emit(emitter -> {
                    for (int n = 1; n <= 3; n++) {
                        emitter.send(Event.json(new Tick(n)).withId(Integer.toString(n)));
                        Thread.sleep(10); // blocking is fine: the producer has a virtual thread of its own
                    }
                }))
                .build();
        // @end
        Response response = app.handle(Request.builder(Method.GET, "/ticks").build());
        assertThat(response.header("content-type")).contains("text/event-stream");
        assertThat(SseBodies.text(response)).isEqualTo(
                "id: 1\ndata: {\"n\":1}\n\nid: 2\ndata: {\"n\":2}\n\nid: 3\ndata: {\"n\":3}\n\n");
    }

    /** A feed that can replay what came after an id. */
    static final class Feed {
        private final List<String> items = List.of("a", "b", "c");

        Stream<Event> since(int lastSeen) {
            return Stream.iterate(lastSeen + 1, i -> i <= items.size(), i -> i + 1)
                    .map(i -> Event.data(items.get(i - 1)).withId(Integer.toString(i)));
        }
    }

    @Test
    void resume() throws Exception {
        Feed feed = new Feed();
        // @start region=resume
        Router app = Router.builder()
                .get("/feed", Sse.lastEventId(), lastId ->
                        Sse.options().keepAlive(Duration.ofSeconds(20)).stream(feed.since(lastId.map(Integer::parseInt).orElse(0))))
                .build();
        // @end
        Response resumed = app.handle(Request.builder(Method.GET, "/feed").header("last-event-id", "2").build());
        assertThat(SseBodies.text(resumed)).isEqualTo("id: 3\ndata: c\n\n");
        Response fresh = app.handle(Request.builder(Method.GET, "/feed").build());
        assertThat(SseBodies.text(fresh)).isEqualTo("id: 1\ndata: a\n\nid: 2\ndata: b\n\nid: 3\ndata: c\n\n");
    }
}
