package dev.weft.response;

import static dev.weft.TestBodies.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.json.JsonCodec;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The examples in the Javadoc of {@link Response}. */
class ResponseExamples {
    public record Todo(long id, String title) {}

    @Test
    void with_copies() {
        Todo todo = new Todo(7, "milk");
        // @start region=with
        Response response = Response.json(todo).withStatus(Status.CREATED).withHeader("location", "/todos/" + todo.id());
        // @end
        assertThat(response.status()).isEqualTo(Status.CREATED);
        assertThat(response.header("location")).contains("/todos/7");
        assertThat(response.header("content-type")).contains(Response.JSON);
        assertThat(json(response)).isEqualTo(todo);
    }

    public record Tick(String symbol, long cents) {
        static final Tick END = new Tick("", -1);
    }

    @Test
    void a_live_ndjson_feed() throws Exception {
        BlockingQueue<Tick> ticks = new LinkedBlockingQueue<>();
        // @start region=live-ndjson
        // Each tick reaches the client within 5 ms of being taken, however long the next one takes.
        Response feed = Response.ndjson(Stream.generate(() -> take(ticks)).takeWhile(tick -> tick != Tick.END));
        // @end
        ticks.add(new Tick("ACME", 1250));
        ticks.add(new Tick("ACME", 1275));
        ticks.add(Tick.END);
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        ((ResponseBody.Streaming) feed.body()).writer().writeTo(new BodyOutput(JsonCodec.jackson()) {
            @Override
            public void write(byte[] bytes, int offset, int length) {
                sent.write(bytes, offset, length);
            }
        });
        assertThat(feed.header("content-type")).contains(Response.NDJSON);
        assertThat(sent.toString(StandardCharsets.UTF_8))
                .isEqualTo("{\"symbol\":\"ACME\",\"cents\":1250}\n{\"symbol\":\"ACME\",\"cents\":1275}\n");
    }

    private static Tick take(BlockingQueue<Tick> ticks) {
        try {
            return ticks.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Tick.END;
        }
    }
}
