package dev.weft.internal.netty;

import dev.weft.http.Method;
import dev.weft.internal.http.Exchange;
import dev.weft.response.Response;
import dev.weft.server.Server;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.EventExecutor;
import java.lang.reflect.Field;
import java.util.concurrent.ScheduledFuture;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The per-request work of an HTTP/1.1 keep-alive response that issue #10 changed, each next to
 * what it replaced: the complete response written as one buffer (head laid out in an array)
 * against a Netty {@code HttpHeaders} map encoded by {@code HttpResponseEncoder}; the lazy
 * connection deadline against scheduling and cancelling a timer per phase. In
 * {@code dev.weft.internal.netty} because both are package-private.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class ResponsePathBenchmark {
    private static final DefaultHttpHeadersFactory UNVALIDATED =
            DefaultHttpHeadersFactory.headersFactory().withValidation(false);

    private Exchange.Finished json;
    private ByteBufAllocator alloc;
    private EmbeddedChannel encoder;
    private EmbeddedChannel loop;
    private Http1Deadline deadline;
    private EventExecutor executor;
    private final Runnable nothing = () -> { };

    @Setup
    public void setup() throws ReflectiveOperationException {
        Response response = Response.json(new Message("Hello, World!")).withHeader("server", "weft");
        json = Exchange.finish(response, Method.GET, dev.weft.json.JsonCodec.jackson());
        alloc = ByteBufAllocator.DEFAULT;
        encoder = new EmbeddedChannel(new HttpResponseEncoder());
        loop = new EmbeddedChannel();
        executor = loop.eventLoop();
        Field field = Server.class.getDeclaredField("config");
        field.setAccessible(true);
        ServerConfig config = (ServerConfig) field.get(Server.builder().build());
        deadline = new Http1Deadline(executor, config, new Http1Deadline.Expiry() {
            @Override
            public void idle() {}

            @Override
            public void head() {}

            @Override
            public void body() {}
        });
        deadline.connected();
        int head = encodeOneBuffer();
        int netty = encodeThroughNetty();
        if (head != netty) {
            throw new IllegalStateException("the two encodings differ in length: " + head + " vs " + netty);
        }
    }

    @TearDown
    public void tearDown() {
        deadline.stop();
        encoder.finishAndReleaseAll();
        loop.finishAndReleaseAll();
    }

    /** The JSON test's response written as Weft writes it now: one buffer, head and body. */
    @Benchmark
    public int encodeOneBuffer() {
        ByteBuf out = Http1ResponseHead.encode(alloc, json, HttpVersion.HTTP_1_1, null, false);
        int n = out.readableBytes();
        out.release();
        return n;
    }

    /** The same response as before: copied into an unvalidated HttpHeaders, encoded by Netty. */
    @Benchmark
    public int encodeThroughNetty() {
        HttpHeaders headers = UNVALIDATED.newHeaders();
        json.forEachHeader(headers::add);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                Unpooled.wrappedBuffer(json.body()), headers, DefaultHttpHeadersFactory.trailersFactory().newEmptyHeaders());
        encoder.writeOutbound(response);
        int n = 0;
        for (Object written; (written = encoder.readOutbound()) != null; ) {
            ByteBuf buf = (ByteBuf) written;
            n += buf.readableBytes();
            buf.release();
        }
        return n;
    }

    /** A keep-alive request's deadlines now: head armed, handling, idle armed (fields only). */
    @Benchmark
    public Http1Deadline.Phase lazyDeadline() {
        deadline.bytesArrived(false, false);
        deadline.handling();
        deadline.waiting();
        return deadline.phase();
    }

    /** What they cost before: a timer scheduled and cancelled for the head, one scheduled for idle (cancelled by the next request). */
    @Benchmark
    public boolean eagerTimers() {
        ScheduledFuture<?> head = executor.schedule(nothing, 10, TimeUnit.SECONDS);
        head.cancel(false);
        ScheduledFuture<?> idle = executor.schedule(nothing, 60, TimeUnit.SECONDS);
        return idle.cancel(false);
    }

    /** The JSON test's message. */
    public record Message(String message) {}
}
