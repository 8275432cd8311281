package dev.weft.benchmarks;

import dev.weft.extract.Body;
import dev.weft.extract.Header;
import dev.weft.extract.Json;
import dev.weft.extract.PathParam;
import dev.weft.extract.Query;
import dev.weft.http.Method;
import dev.weft.http.Request;
import dev.weft.response.Response;
import dev.weft.routing.Router;
import java.nio.charset.StandardCharsets;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * One extractor per route, run through {@link Router#handle} on a prepared app. Every request
 * is built fresh (a request's body is read once and its query parsed once) with the same five
 * typical headers (the two body benchmarks add {@code content-type} and {@code content-length});
 * {@link #noExtractor} is the same work without an extractor, so the difference to it is what
 * the extractor costs. Handlers hand the extracted value to a
 * {@link Blackhole} and return one prepared response, so response conversion is the same for all.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class ExtractorBenchmark {

    public record Search(String q, int limit, String sort) {}

    public record Order(String customerId, String sku, int quantity, double unitPrice, String currency,
            boolean giftWrap, String note) {}

    static final String ORDER_JSON = """
            {"customerId":"c-8c1f2a7e-42","sku":"WEFT-TSHIRT-BLUE-XL","quantity":3,"unitPrice":19.99,\
            "currency":"EUR","giftWrap":false,"note":"Please leave the parcel at the back door, next to \
            the green bin. Thanks!"}""";

    private static final Response OK = Response.text("ok");

    private Router app;
    private byte[] orderBytes;
    private String orderLength;

    @Setup
    public void setup(Blackhole bh) {
        orderBytes = ORDER_JSON.getBytes(StandardCharsets.UTF_8);
        orderLength = Integer.toString(orderBytes.length);
        app = Router.builder()
                .get("/plain", () -> {
                    bh.consume(this);
                    return OK;
                })
                .get("/items/{id}", PathParam.of("id", Long.class), id -> {
                    bh.consume(id);
                    return OK;
                })
                .get("/search", Query.as(Search.class), search -> {
                    bh.consume(search);
                    return OK;
                })
                .get("/me", Header.string("x-user-id"), user -> {
                    bh.consume(user);
                    return OK;
                })
                .post("/orders", Json.of(Order.class), order -> {
                    bh.consume(order);
                    return OK;
                })
                .post("/blobs", Body.bytes(), bytes -> {
                    bh.consume(bytes);
                    return OK;
                })
                .build();
        check(noExtractor(), "/plain");
        check(pathParamLong(), "/items/{id}");
        check(queryRecord(), "/search");
        check(headerString(), "/me");
        check(jsonRecord(), "/orders");
        check(bodyBytes(), "/blobs");
        if (orderBytes.length < 180 || orderBytes.length > 230) {
            throw new IllegalStateException("the order body should be about 200 bytes, is " + orderBytes.length);
        }
    }

    private static void check(Response response, String route) {
        if (response.status().code() != 200) {
            throw new IllegalStateException(route + " answered " + response.status() + ": " + response);
        }
    }

    private static Request.Builder typical(Method method, String target) {
        return Request.builder(method, target)
                .header("host", "api.example.test")
                .header("user-agent", "weft-bench/1.0")
                .header("accept", "application/json")
                .header("accept-encoding", "gzip, deflate, br")
                .header("x-user-id", "user-4711");
    }

    /** Baseline: route, build the request, no extractor. */
    @Benchmark
    public Response noExtractor() {
        return app.handle(typical(Method.GET, "/plain").build());
    }

    /** {@code PathParam.of("id", Long.class)}: percent-decode and parse one segment. */
    @Benchmark
    public Response pathParamLong() {
        return app.handle(typical(Method.GET, "/items/12345").build());
    }

    /** {@code Query.as(Search.class)}: parse {@code q=weft&limit=20&sort=desc} and bind a 3-field record. */
    @Benchmark
    public Response queryRecord() {
        return app.handle(typical(Method.GET, "/search?q=weft&limit=20&sort=desc").build());
    }

    /** {@code Header.string("x-user-id")}: one lookup among the five headers. */
    @Benchmark
    public Response headerString() {
        return app.handle(typical(Method.GET, "/me").build());
    }

    /** {@code Json.of(Order.class)} on a ~200-byte body (content type checks included). */
    @Benchmark
    public Response jsonRecord() {
        return app.handle(typical(Method.POST, "/orders")
                .header("content-type", "application/json")
                .header("content-length", orderLength)
                .body(orderBytes)
                .build());
    }

    /**
     * {@code Body.bytes()} on the same body: the raw read that {@link #jsonRecord} does before
     * decoding, so the two together separate reading the body from parsing it.
     */
    @Benchmark
    public Response bodyBytes() {
        return app.handle(typical(Method.POST, "/blobs")
                .header("content-type", "application/octet-stream")
                .header("content-length", orderLength)
                .body(orderBytes)
                .build());
    }
}
