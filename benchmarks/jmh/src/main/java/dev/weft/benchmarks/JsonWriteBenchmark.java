package dev.weft.benchmarks;

import dev.weft.http.Method;
import dev.weft.internal.http.Exchange;
import dev.weft.internal.json.JacksonCodec;
import dev.weft.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JSON response encoding with the default codec, and {@link Exchange#finish} of a JSON
 * response: encoding plus {@code content-length}, {@code date} and the header copy the server
 * writes.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class JsonWriteBenchmark {

    /** The TechEmpower JSON test's object. */
    public record Message(String message) {}

    /** The TechEmpower database tests' row. */
    public record World(int id, int randomNumber) {}

    private static final String HELLO = "Hello, World!";

    private List<World> worlds;

    @Setup
    public void setup() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        worlds = new ArrayList<>(20);
        for (int i = 0; i < 20; i++) {
            worlds.add(new World(1 + random.nextInt(10_000), 1 + random.nextInt(10_000)));
        }
        worlds = List.copyOf(worlds);
        String json = new String(JacksonCodec.DEFAULT.write(new Message(HELLO)), java.nio.charset.StandardCharsets.UTF_8);
        if (!json.equals("{\"message\":\"Hello, World!\"}")) {
            throw new IllegalStateException("unexpected JSON: " + json);
        }
    }

    /** {@code {"message":"Hello, World!"}}: a new object per call, as in the TechEmpower test. */
    @Benchmark
    public byte[] writeMessage() {
        return JacksonCodec.DEFAULT.write(new Message(HELLO));
    }

    /** A list of 20 {@code World} rows (about 700 bytes of JSON). */
    @Benchmark
    public byte[] writeTwentyWorlds() {
        return JacksonCodec.DEFAULT.write(worlds);
    }

    /**
     * {@code Response.json(message)} finished for the wire: encode, copy headers, add
     * {@code content-length} and the cached {@code date}.
     */
    @Benchmark
    public Exchange.Finished finishJsonResponse() {
        return Exchange.finish(Response.json(new Message(HELLO)), Method.GET, JacksonCodec.DEFAULT);
    }
}
