package dev.weft.internal.netty;

import dev.weft.http.Headers;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.Optional;
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
 * Header handling: Weft's own {@link Headers} (response headers, built per response) and the
 * {@link NettyHeaders} view the server gives handlers over decoded request headers. This class
 * lives in {@code dev.weft.internal.netty} because {@code NettyHeaders} is package-private.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class HeadersBenchmark {

    private Headers built;
    private HttpHeaders netty;
    private NettyHeaders view;
    private String date;

    @Setup
    public void setup() {
        date = "Tue, 03 Mar 2026 10:15:30 GMT";
        built = eight(Headers.builder()).build();
        netty = new DefaultHttpHeaders();
        netty.add("Host", "api.example.test");
        netty.add("User-Agent", "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0");
        netty.add("Accept", "application/json, text/plain, */*");
        netty.add("Accept-Language", "en-GB,en;q=0.9,de;q=0.7");
        netty.add("Accept-Encoding", "gzip, deflate, br, zstd");
        netty.add("Connection", "keep-alive");
        netty.add("Referer", "https://app.example.test/orders/42");
        netty.add("Cookie", "session=9f8e7d6c5b4a39281706f5e4d3c2b1a0; theme=dark");
        netty.add("Cache-Control", "no-cache");
        netty.add("Sec-Fetch-Mode", "cors");
        netty.add("X-Request-Id", "5b0c9b7e-2f0d-4c8e-9a43-0d1f6c3a2b11");
        netty.add("X-Forwarded-For", "203.0.113.7, 10.0.0.12");
        view = new NettyHeaders(netty);
        if (netty.size() != 12 || built.size() != 8 || view.first("x-request-id").isEmpty()) {
            throw new IllegalStateException("benchmark setup is wrong");
        }
    }

    /** Eight typical response headers, lower-case names as Weft's own code writes them. */
    private Headers.Builder eight(Headers.Builder b) {
        return b.add("content-type", "application/json")
                .add("content-length", "27")
                .add("date", date)
                .add("server", "weft")
                .add("cache-control", "no-store")
                .add("vary", "accept-encoding")
                .add("x-request-id", "5b0c9b7e-2f0d-4c8e-9a43-0d1f6c3a2b11")
                .add("etag", "\"33a64df551425fcc55e4d42a148795d9f25f89d4\"");
    }

    /** Eight {@code add} calls (each validates name and value) and {@code build}. */
    @Benchmark
    public Headers builderAddEight() {
        return eight(Headers.builder()).build();
    }

    /** The same, then {@code set} replaces one of them, as middleware does. */
    @Benchmark
    public Headers builderAddEightSetOne() {
        return eight(Headers.builder()).set("cache-control", "private, max-age=60").build();
    }

    /** {@code first} on built headers, written in mixed case, of the seventh field. */
    @Benchmark
    public Optional<String> builtFirstHit() {
        return built.first("X-Request-Id");
    }

    /** {@code first} of a name that is absent: a scan of all eight. */
    @Benchmark
    public Optional<String> builtFirstMiss() {
        return built.first("authorization");
    }

    /** {@code NettyHeaders.first} on twelve decoded request headers. */
    @Benchmark
    public Optional<String> nettyFirstHit() {
        return view.first("x-request-id");
    }

    /** {@code NettyHeaders.first} of an absent name. */
    @Benchmark
    public Optional<String> nettyFirstMiss() {
        return view.first("authorization");
    }

    /** Netty's own lookup without the view, to show what the {@code Optional} wrapper costs. */
    @Benchmark
    public String nettyRawGet() {
        return netty.get("x-request-id");
    }
}
