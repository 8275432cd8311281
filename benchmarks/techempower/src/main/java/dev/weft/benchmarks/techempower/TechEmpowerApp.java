package dev.weft.benchmarks.techempower;

import dev.weft.extract.Extractor;
import dev.weft.extract.Query;
import dev.weft.extract.State;
import dev.weft.middleware.Middleware;
import dev.weft.response.Response;
import dev.weft.response.Status;
import dev.weft.routing.Handler;
import dev.weft.routing.Router;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The six TechEmpower Framework Benchmarks test types as a Weft router.
 *
 * <table>
 *   <caption>Routes</caption>
 *   <tr><th>route</th><th>answers</th></tr>
 *   <tr><td>{@code GET /plaintext}</td><td>{@code Hello, World!} as {@code text/plain}</td></tr>
 *   <tr><td>{@code GET /json}</td><td>{@code {"message":"Hello, World!"}}</td></tr>
 *   <tr><td>{@code GET /db}</td><td>one random {@link World}</td></tr>
 *   <tr><td>{@code GET /queries?queries=N}</td><td>N random worlds, one query each</td></tr>
 *   <tr><td>{@code GET /fortunes}</td><td>every fortune plus one added per request, sorted, as HTML</td></tr>
 *   <tr><td>{@code GET /updates?queries=N}</td><td>N random worlds with new numbers, written back</td></tr>
 * </table>
 *
 * <p>N is clamped to 1..500; a missing or non-numeric value counts as 1. Every answer, 404 included,
 * carries {@code server: weft}; Weft adds {@code date}.
 */
public final class TechEmpowerApp {
    /** Most rows {@code /queries} and {@code /updates} touch per request. */
    static final int MAX_QUERIES = 500;

    private static final byte[] HELLO = "Hello, World!".getBytes(StandardCharsets.US_ASCII);
    /** Immutable, so one instance serves every request; the server header is added by the layer. */
    private static final Response PLAINTEXT = Response.bytes(Status.OK, Response.TEXT_UTF8, HELLO);
    private static final Fortune ADDED_FORTUNE = new Fortune(0, "Additional fortune added at request time.");
    private static final Comparator<Fortune> BY_MESSAGE = Comparator.comparing(Fortune::message);

    /** The {@code queries} parameter as the rules read it (see {@link #queryCount}). */
    private static final Extractor<Integer> QUERIES =
            Query.optional("queries", String.class).map(TechEmpowerApp::queryCount);

    private TechEmpowerApp() {}

    /** The benchmark app over {@code database}. */
    public static Router app(Database database) {
        return Router.builder()
                .state(Database.class, database)
                // These two never block, so they answer on the I/O thread (Handler.nonBlocking).
                .get("/plaintext", Handler.of(() -> PLAINTEXT).nonBlocking())
                .get("/json", Handler.of(() -> new Message("Hello, World!")).nonBlocking())
                .get("/db", State.of(Database.class), Database::randomWorld)
                .get("/queries", State.of(Database.class), QUERIES, Database::randomWorlds)
                .get("/fortunes", State.of(Database.class), TechEmpowerApp::fortunes)
                .get("/updates", State.of(Database.class), QUERIES, Database::updateRandomWorlds)
                .layer(serverHeader())
                .build();
    }

    private static Response fortunes(Database database) {
        List<Fortune> fortunes = database.fortunes();
        fortunes.add(ADDED_FORTUNE);
        fortunes.sort(BY_MESSAGE);
        return Response.html(FortunesPage.render(fortunes));
    }

    /** {@code server: weft} on every answer. */
    static Middleware serverHeader() {
        return Middleware.named("server-header", (request, next) -> next.run(request).withHeader("server", "weft"));
    }

    /**
     * How many rows to query: the parameter clamped to 1..500; absent, empty or not a number is 1,
     * a number too large for an {@code int} is 500.
     */
    static int queryCount(Optional<String> parameter) {
        if (parameter.isEmpty()) {
            return 1;
        }
        String text = parameter.get();
        try {
            return Math.clamp(Integer.parseInt(text), 1, MAX_QUERIES);
        } catch (NumberFormatException e) {
            boolean hugeNumber = !text.isEmpty() && text.chars().allMatch(c -> c >= '0' && c <= '9');
            return hugeNumber ? MAX_QUERIES : 1;
        }
    }
}
