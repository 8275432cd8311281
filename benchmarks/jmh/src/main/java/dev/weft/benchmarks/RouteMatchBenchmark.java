package dev.weft.benchmarks;

import dev.weft.http.Method;
import dev.weft.http.Request;
import dev.weft.internal.routing.PathPattern;
import dev.weft.internal.routing.RouteTrie;
import dev.weft.response.Response;
import dev.weft.routing.Router;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Route matching on tables of 10, 100 and 1,000 routes ({@link RouteTable}): the trie alone,
 * and the full {@link Router#handle} dispatch of a static route that returns a String.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RouteMatchBenchmark {

    @State(Scope.Benchmark)
    public static class Table {
        @Param({"10", "100", "1000"})
        public int routes;

        RouteTrie<String> trie;
        Router router;
        String staticPath;
        String dynamicPath;
        String missPath;

        @Setup
        public void setup() {
            List<String> patterns = RouteTable.patterns(routes);
            trie = new RouteTrie<>();
            Router.Builder builder = Router.builder();
            for (String pattern : patterns) {
                trie.getOrCreate(PathPattern.parse(pattern), () -> pattern);
                builder.get(pattern, () -> "Hello, World!");
            }
            router = builder.build();
            staticPath = RouteTable.staticPath(routes);
            dynamicPath = RouteTable.dynamicPath(routes);
            missPath = RouteTable.missPath(routes);
            check(trie.match(staticPath) != null && trie.match(staticPath).params().length == 0, staticPath);
            check(trie.match(dynamicPath) != null && trie.match(dynamicPath).params().length == 2, dynamicPath);
            check(trie.match(missPath) == null, missPath);
            check(router.handle(Request.builder(Method.GET, staticPath).build()).status().code() == 200, staticPath);
        }
    }

    /** A static path; the {@code Match} is returned, so it escapes and is allocated. */
    @Benchmark
    public RouteTrie.Match<String> staticHit(Table t) {
        return t.trie.match(t.staticPath);
    }

    /**
     * The same static match, consuming only the value: shows whether the JIT removes the
     * {@code Match} record when the caller does not keep it (as the router does not).
     */
    @Benchmark
    public String staticHitValueOnly(Table t) {
        return t.trie.match(t.staticPath).value();
    }

    /** {@code /api/v1/resource{r}/12345/items/678}: two parameters captured. */
    @Benchmark
    public RouteTrie.Match<String> dynamicHit(Table t) {
        return t.trie.match(t.dynamicPath);
    }

    /** A path that walks literals and a parameter before failing, then backtracks. */
    @Benchmark
    public RouteTrie.Match<String> miss(Table t) {
        return t.trie.match(t.missPath);
    }

    /** Full dispatch of a static GET route returning a String: request building included. */
    @Benchmark
    public Response routerHandleStatic(Table t) {
        return t.router.handle(Request.builder(Method.GET, t.staticPath).build());
    }

    /**
     * What {@link #routerHandleStatic} spends building its request; subtract it to get dispatch
     * alone. It does not depend on the table, so it runs once, on a path of the same shape.
     */
    @Benchmark
    public Request buildRequestOnly(RequestOnly r) {
        return Request.builder(Method.GET, r.path).build();
    }

    @State(Scope.Benchmark)
    public static class RequestOnly {
        String path = RouteTable.staticPath(100);
    }

    static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException("benchmark setup is wrong for " + what);
        }
    }
}
