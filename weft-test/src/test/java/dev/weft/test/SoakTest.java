package dev.weft.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.extract.Body;
import dev.weft.extract.Json;
import dev.weft.extract.PathParam;
import dev.weft.routing.Router;
import dev.weft.server.Server;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * One server, {@link #SOAK} of mixed traffic at once: keep-alive clients looping GET and JSON
 * POST, pipelining clients, HTTP/2 clients (bursts of concurrent streams, and streams cancelled
 * mid-response), clients trickling their heads and bodies, clients that vanish mid-head,
 * mid-body, mid-response and mid-pipeline, and clients sending garbage or stalling.
 * Afterwards every well-behaved request must have had the right answer, and nothing may have
 * leaked: all {@code maxInFlight} request slots and all {@code maxConnections} connection slots
 * are free again (one more is refused in each case, so the count is exact), and the platform
 * thread count is back to where it was.
 *
 * <p>Clients loop until the soak ends (each also stops after {@link #MAX_ROUNDS}); the test
 * asserts counts of errors, never durations. Both limits sit far above the soak's peak demand:
 * with limits near it (96 requests, 128 connections), the event loops, lagging behind the
 * load on two cores, sometimes still counted abandoned connections and shed a well-behaved
 * request with 503, which is load shedding working, not what this test is about.
 */
class SoakTest {
    private static final Duration SOAK = Duration.ofSeconds(10);
    private static final long BOUND_SECONDS = 30;
    private static final int MAX_ROUNDS = 1_000_000;
    private static final int MAX_IN_FLIGHT = 256;
    private static final int MAX_CONNECTIONS = 512;
    /** What well-behaved clients wait between requests (bursts), so that two cores are not saturated. */
    private static final long THINK_MS = 1;
    /** What the cancelling HTTP/2 client waits between cancels: well under 200 resets per 30 s. */
    private static final long CANCEL_PAUSE_MS = 250;
    private static final Duration HEAD_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration BODY_TIMEOUT = Duration.ofSeconds(1);
    private static final String BIG = "b".repeat(1024 * 1024);

    public record Item(long n, String text) {}

    /** Gates {@code GET /hold}: its handlers count themselves in and wait for the release. */
    private volatile CountDownLatch holdRelease = new CountDownLatch(1);
    private final AtomicInteger holding = new AtomicInteger();

    private final Router app = Router.builder()
            .get("/hello/{name}", PathParam.string("name"), name -> "hello " + name)
            .post("/echo", Json.of(Item.class), item -> item)
            .post("/bytes", Body.string(), body -> body)
            .get("/big", () -> BIG)
            .get("/hold", () -> {
                holding.incrementAndGet();
                holdRelease.await();
                return "held";
            })
            .build();

    /**
     * What one client did.
     *
     * @param kind the kind of client
     * @param rounds how many requests (or attempts, for clients that misbehave) it made
     * @param errors every wrong answer, or exception where an answer was due
     */
    private record Tally(String kind, int rounds, List<String> errors) {}

    @Test
    void a_server_under_mixed_hostile_traffic_answers_every_good_request_and_leaks_no_slots_or_threads()
            throws Exception {
        Server.Builder options = Server.builder()
                .maxInFlight(MAX_IN_FLIGHT)
                .maxConnections(MAX_CONNECTIONS)
                .requestHeadTimeout(HEAD_TIMEOUT)
                .bodyTimeout(BODY_TIMEOUT)
                .writeTimeout(Duration.ofSeconds(2))
                // A client may leave a connection open after it is done (with the HTTP/2 clients
                // one connection was sometimes still open 30 s later); such a connection is idle,
                // not leaked, and this closes it well before the slot check gives up.
                .idleTimeout(Duration.ofSeconds(5));
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
        try (TestClient client = TestClient.start(app, options)) {
            int port = client.port();
            assertSimpleRequestServed(port);
            int threadsBefore = platformThreads();
            long end = System.nanoTime() + SOAK.toNanos();

            List<Future<Tally>> clients = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                clients.add(submit(pool, "keep-alive", i, random -> keepAlive(port, random, end)));
            }
            for (int i = 0; i < 2; i++) {
                clients.add(submit(pool, "pipelining", i, random -> pipelining(port, random, end)));
                clients.add(submit(pool, "slow head", i, random -> slowHead(port, end)));
                clients.add(submit(pool, "slow body", i, random -> slowBody(port, random, end)));
                clients.add(submit(pool, "abandoning", i, random -> abandoning(port, random, end)));
            }
            clients.add(submit(pool, "hostile", 0, random -> hostile(port, random, end)));
            clients.add(submit(pool, "http/2", 0, random -> http2(port, random, end)));
            clients.add(submit(pool, "http/2 cancelling", 0, random -> http2Cancelling(port, end)));

            List<Tally> tallies = new ArrayList<>();
            for (Future<Tally> f : clients) {
                tallies.add(f.get(SOAK.toSeconds() + BOUND_SECONDS, TimeUnit.SECONDS));
            }
            System.out.println("SoakTest: " + tallies.stream()
                    .map(t -> t.kind() + " " + t.rounds() + (t.errors().isEmpty() ? "" : " (" + t.errors().size()
                            + " errors)")).toList());
            assertThat(tallies).flatMap(Tally::errors).isEmpty();
            assertThat(tallies).allSatisfy(t -> assertThat(t.rounds()).as(t.kind()).isPositive());

            assertSimpleRequestServed(port);
            assertEveryInFlightSlotIsFree(port);
            assertEveryConnectionSlotIsFree(port);
            awaitThreadsBackTo(threadsBefore);
        } finally {
            holdRelease.countDown();
            pool.shutdownNow();
            assertThat(pool.awaitTermination(BOUND_SECONDS, TimeUnit.SECONDS)).as("clients ended").isTrue();
        }
    }

    /** One client: runs until the soak ends and tallies what it did. */
    @FunctionalInterface
    private interface ClientBody {
        Tally run(Random random) throws Exception;
    }

    /** Runs {@code body} with a random source seeded by its kind and index; a failure is an error. */
    private static Future<Tally> submit(ExecutorService pool, String kind, int index, ClientBody body) {
        long seed = kind.hashCode() * 31L + index;
        return pool.submit(() -> {
            try {
                return body.run(new Random(seed));
            } catch (Exception | AssertionError e) {
                return new Tally(kind, 0, List.of(kind + " #" + index + " (seed " + seed + "): " + e));
            }
        });
    }

    // ---------------------------------------------------------------- well-behaved clients

    /** One connection, alternating {@code GET /hello/..} and a JSON echo; the connection must stay open. */
    private static Tally keepAlive(int port, Random random, long end) throws Exception {
        List<String> errors = new ArrayList<>();
        int rounds = 0;
        try (RawHttp connection = RawHttp.connect(port)) {
            for (; rounds < MAX_ROUNDS && System.nanoTime() < end && errors.isEmpty(); rounds++) {
                RawHttp.Response response;
                if (rounds % 2 == 0) {
                    String name = "k" + random.nextInt(1_000_000);
                    response = connection.send(RawHttp.get("/hello/" + name)).read();
                    check(errors, response, "hello " + name);
                } else {
                    long n = random.nextLong();
                    String json = "{\"n\":" + n + ",\"text\":\"say \\\"hi\\\" " + rounds + "\"}";
                    response = connection.send(RawHttp.post("/echo", json, "Content-Type: application/json")).read();
                    Map<String, Object> echoed = response.status() == 200 ? MiniJson.object(response.text()) : Map.of();
                    if (!Long.valueOf(n).equals(echoed.get("n"))
                            || !("say \"hi\" " + rounds).equals(echoed.get("text"))) {
                        errors.add("echo of " + json + ": " + response);
                    }
                }
                if (response.connectionHas("close")) {
                    errors.add("keep-alive connection closed by " + response);
                }
                Thread.sleep(THINK_MS);
            }
        }
        return new Tally("keep-alive", rounds, errors);
    }

    /** One HTTP/2 connection (the JDK client, upgraded with h2c): bursts of concurrent streams, each answer checked. */
    private static Tally http2(int port, Random random, long end) throws Exception {
        List<String> errors = new CopyOnWriteArrayList<>();
        int rounds = 0;
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build()) {
            // One request first, so the client upgrades one connection instead of racing several.
            expect(errors, http.send(HttpRequest.newBuilder(uri(port, "/hello/first")).build(),
                    HttpResponse.BodyHandlers.ofString()), "hello first");
            for (; rounds < MAX_ROUNDS && System.nanoTime() < end && errors.isEmpty(); rounds++) {
                List<CompletableFuture<Void>> burst = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    String name = "h" + random.nextInt(1_000_000);
                    burst.add(http.sendAsync(HttpRequest.newBuilder(uri(port, "/hello/" + name)).build(),
                            HttpResponse.BodyHandlers.ofString()).thenAccept(r -> expect(errors, r, "hello " + name)));
                }
                String body = "x".repeat(random.nextInt(100_000));
                burst.add(http.sendAsync(HttpRequest.newBuilder(uri(port, "/bytes"))
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString())
                        .thenAccept(r -> expect(errors, r, body)));
                CompletableFuture.allOf(burst.toArray(CompletableFuture[]::new)).get(BOUND_SECONDS, TimeUnit.SECONDS);
                Thread.sleep(THINK_MS);
            }
        }
        return new Tally("http/2", rounds, errors);
    }

    /** Opens {@code GET /big} streams and cancels each after its first bytes (RST_STREAM); the connection must go on. */
    private static Tally http2Cancelling(int port, long end) throws Exception {
        List<String> errors = new CopyOnWriteArrayList<>();
        int rounds = 0;
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build()) {
            expect(errors, http.send(HttpRequest.newBuilder(uri(port, "/hello/first")).build(),
                    HttpResponse.BodyHandlers.ofString()), "hello first");
            for (; rounds < MAX_ROUNDS && System.nanoTime() < end && errors.isEmpty(); rounds++) {
                HttpResponse<java.io.InputStream> big = http.send(HttpRequest.newBuilder(uri(port, "/big")).build(),
                        HttpResponse.BodyHandlers.ofInputStream());
                try (java.io.InputStream in = big.body()) {
                    in.readNBytes(1024);
                } // closed early: the stream is cancelled
                expect(errors, http.send(HttpRequest.newBuilder(uri(port, "/hello/after")).build(),
                        HttpResponse.BodyHandlers.ofString()), "hello after");
                // Paced: more than 200 resets in 30 s is a rapid-reset attack, and the server ends
                // the connection (ENHANCE_YOUR_CALM); Http2Test covers that limit.
                Thread.sleep(CANCEL_PAUSE_MS);
            }
        }
        return new Tally("http/2 cancelling", rounds, errors);
    }

    private static java.net.URI uri(int port, String path) {
        return java.net.URI.create("http://127.0.0.1:" + port + path);
    }

    private static void expect(List<String> errors, HttpResponse<String> response, String body) {
        if (response.statusCode() != 200 || !response.body().equals(body)
                || response.version() != HttpClient.Version.HTTP_2) {
            errors.add(response.version() + " " + response.statusCode() + " " + abbreviate(response.body())
                    + ", expected HTTP_2 200 " + abbreviate(body));
        }
    }

    /** Bursts of 10 to 20 GETs and POSTs in one write each, every response checked in order. */
    private static Tally pipelining(int port, Random random, long end) throws Exception {
        List<String> errors = new ArrayList<>();
        int rounds = 0;
        try (RawHttp connection = RawHttp.connect(port)) {
            while (rounds < MAX_ROUNDS && System.nanoTime() < end && errors.isEmpty()) {
                int burst = 10 + random.nextInt(11);
                StringBuilder requests = new StringBuilder();
                List<String> expected = new ArrayList<>();
                for (int i = 0; i < burst; i++) {
                    if (random.nextBoolean()) {
                        String name = "p" + random.nextInt(1_000_000);
                        requests.append(RawHttp.get("/hello/" + name));
                        expected.add("hello " + name);
                    } else {
                        String body = "x".repeat(random.nextInt(5_000)) + rounds + "/" + i;
                        requests.append(RawHttp.post("/bytes", body, "Content-Type: text/plain"));
                        expected.add(body);
                    }
                }
                connection.send(requests.toString());
                for (int i = 0; i < burst; i++) {
                    check(errors, connection.read(), expected.get(i));
                }
                rounds += burst;
                Thread.sleep(THINK_MS);
            }
        }
        return new Tally("pipelining", rounds, errors);
    }

    /** Heads sent a byte at a time, 5 ms apart (about 0.3 s a head, within the head timeout). */
    private static Tally slowHead(int port, long end) throws Exception {
        List<String> errors = new ArrayList<>();
        int rounds = 0;
        try (RawHttp connection = RawHttp.connect(port)) {
            for (; rounds < MAX_ROUNDS && System.nanoTime() < end && errors.isEmpty(); rounds++) {
                byte[] head = RawHttp.get("/hello/slow" + rounds).getBytes(StandardCharsets.US_ASCII);
                for (byte b : head) {
                    connection.send(new byte[] {b});
                    Thread.sleep(5);
                }
                check(errors, connection.read(), "hello slow" + rounds);
            }
        }
        return new Tally("slow head", rounds, errors);
    }

    /** Bodies of 2,000 bytes sent in 10 pieces 50 ms apart (each pause within the body timeout). */
    private static Tally slowBody(int port, Random random, long end) throws Exception {
        List<String> errors = new ArrayList<>();
        int rounds = 0;
        try (RawHttp connection = RawHttp.connect(port)) {
            for (; rounds < MAX_ROUNDS && System.nanoTime() < end && errors.isEmpty(); rounds++) {
                byte[] body = new byte[2_000];
                for (int i = 0; i < body.length; i++) {
                    body[i] = (byte) ('a' + random.nextInt(26));
                }
                connection.send(RawHttp.request("POST", "/bytes", "HTTP/1.1", "Content-Type: text/plain",
                        "Content-Length: " + body.length));
                for (int i = 0; i < body.length; i += 200) {
                    Thread.sleep(50);
                    connection.send(Arrays.copyOfRange(body, i, i + 200));
                }
                check(errors, connection.read(), new String(body, StandardCharsets.US_ASCII));
            }
        }
        return new Tally("slow body", rounds, errors);
    }

    private static void check(List<String> errors, RawHttp.Response response, String body) {
        if (response.status() != 200 || !response.text().equals(body)) {
            errors.add("expected 200 '" + abbreviate(body) + "', got " + response.status() + " '"
                    + abbreviate(response.text()) + "'");
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 80) + "... (" + text.length() + " chars)";
    }

    // ---------------------------------------------------------------- misbehaving clients

    /**
     * New connections that vanish, with an orderly close or a reset: mid-head, mid-body, after
     * asking for 1 MiB and reading at most its head, or right after writing a pipelined burst.
     */
    private static Tally abandoning(int port, Random random, long end) throws Exception {
        int rounds = 0;
        for (; rounds < MAX_ROUNDS && System.nanoTime() < end; rounds++) {
            RawHttp connection = RawHttp.connect(port);
            switch (rounds % 4) {
                case 0 -> connection.send("GET /hello/gone HTTP/1.1\r\nHo");
                case 1 -> connection.send(RawHttp.request("POST", "/bytes", "HTTP/1.1", "Content-Length: 10000")
                        + "y".repeat(3_000));
                case 2 -> {
                    connection.send(RawHttp.get("/big"));
                    if (random.nextBoolean()) {
                        connection.readHead();
                    }
                }
                default -> connection.send(RawHttp.get("/hello/a").repeat(3) + RawHttp.get("/big"));
            }
            if (random.nextBoolean()) {
                connection.abort();
            } else {
                connection.close();
            }
            Thread.sleep(10);
        }
        return new Tally("abandoning", rounds, List.of());
    }

    /**
     * New connections that send a garbage line (random bytes, or three random words, which the
     * decoder parses as a request line and rejects) or a head that stops half-way. Each must get a
     * 400, or a 408 (the decoder skips a line that does not split into three parts, then the head
     * timeout ends the wait; so does the stalled head), and be closed.
     */
    private static Tally hostile(int port, Random random, long end) throws IOException {
        List<String> errors = new ArrayList<>();
        int rounds = 0;
        for (; rounds < MAX_ROUNDS && System.nanoTime() < end && errors.isEmpty(); rounds++) {
            try (RawHttp connection = RawHttp.connect(port)) {
                switch (rounds % 4) {
                    case 0 -> connection.send(concat(garbage(random, 200), "\r\n\r\n"));
                    case 1, 2 -> connection.send(concat(garbage(random, 30), " ", garbage(random, 30), " ",
                            garbage(random, 30), "\r\n\r\n"));
                    default -> connection.send("GET /hello/stall HTTP/1.1\r\nHost: 127.0.0.1\r\n");
                }
                RawHttp.Response response = connection.read();
                if ((response.status() != 400 && response.status() != 408) || !connection.closedByServer()) {
                    errors.add("garbage or a stalled head got " + response);
                }
            }
        }
        return new Tally("hostile", rounds, errors);
    }

    /** A letter, then 1 to {@code max} random bytes other than CR, LF and space. */
    private static byte[] garbage(Random random, int max) {
        byte[] bytes = new byte[2 + random.nextInt(max)];
        bytes[0] = (byte) ('A' + random.nextInt(26));
        for (int i = 1; i < bytes.length; i++) {
            byte b;
            do {
                b = (byte) random.nextInt(256);
            } while (b == '\r' || b == '\n' || b == ' ');
            bytes[i] = b;
        }
        return bytes;
    }

    private static byte[] concat(Object... parts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (Object part : parts) {
            all.writeBytes(part instanceof byte[] bytes ? bytes : part.toString().getBytes(StandardCharsets.US_ASCII));
        }
        return all.toByteArray();
    }

    // ---------------------------------------------------------------- leak checks

    private static void assertSimpleRequestServed(int port) throws IOException {
        try (RawHttp connection = RawHttp.connect(port)) {
            RawHttp.Response response = connection.send(RawHttp.get("/hello/fresh")).read();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.text()).isEqualTo("hello fresh");
        }
    }

    /**
     * Exactly {@code maxInFlight} requests can be in flight together and one more is shed: no
     * slot leaked, none is counted twice. Retries a few times, as the last requests of the soak
     * may still be settling.
     */
    private void assertEveryInFlightSlotIsFree(int port) throws Exception {
        String last = "";
        for (int attempt = 0; attempt < 5; attempt++) {
            holdRelease = new CountDownLatch(1);
            holding.set(0);
            List<RawHttp> held = new ArrayList<>();
            try {
                for (int i = 0; i < MAX_IN_FLIGHT; i++) {
                    held.add(RawHttp.connect(port));
                    held.getLast().send(RawHttp.get("/hold"));
                }
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (holding.get() < MAX_IN_FLIGHT && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                int entered = holding.get();
                int extraStatus = 0;
                if (entered == MAX_IN_FLIGHT) {
                    try (RawHttp extra = RawHttp.connect(port)) {
                        extraStatus = extra.send(RawHttp.get("/hold")).read().status();
                    }
                }
                holdRelease.countDown();
                int ok = 0;
                for (RawHttp connection : held) {
                    ok += connection.read().status() == 200 ? 1 : 0;
                }
                if (entered == MAX_IN_FLIGHT && ok == MAX_IN_FLIGHT && extraStatus == 503) {
                    return;
                }
                last = entered + " handlers entered, " + ok + " of " + MAX_IN_FLIGHT + " answered 200, one more got "
                        + extraStatus;
            } finally {
                holdRelease.countDown();
                for (RawHttp connection : held) {
                    connection.close();
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("after the soak, maxInFlight(" + MAX_IN_FLIGHT + ") is not exact: " + last);
    }

    /**
     * Exactly {@code maxConnections} connections are served together and one more is refused. A
     * connection refused on the way (the server learns of closes asynchronously) is retried.
     */
    private static void assertEveryConnectionSlotIsFree(int port) throws Exception {
        List<RawHttp> open = new ArrayList<>();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(BOUND_SECONDS);
            while (open.size() < MAX_CONNECTIONS) {
                RawHttp connection = RawHttp.connect(port);
                RawHttp.Response response = null;
                try {
                    response = connection.send(RawHttp.get("/hello/slot")).readUnlessClosed().orElse(null);
                } catch (IOException refused) {
                    // closed at the limit while the request was written
                }
                if (response != null && response.status() == 200) {
                    open.add(connection);
                    continue;
                }
                connection.close();
                assertThat(System.nanoTime()).as("connection slot %d of %d free within %d s (last answer %s)",
                        open.size() + 1, MAX_CONNECTIONS, BOUND_SECONDS, response).isLessThan(deadline);
                Thread.sleep(20);
            }
            try (RawHttp extra = RawHttp.connect(port)) {
                assertThat(extra.read().status()).as("one connection over maxConnections").isEqualTo(503);
            }
        } finally {
            for (RawHttp connection : open) {
                connection.close();
            }
        }
    }

    /** Platform threads other than the virtual-thread scheduler's carriers, which come and go. */
    private static int platformThreads() {
        return (int) Thread.getAllStackTraces().keySet().stream()
                .filter(t -> !t.getName().startsWith("ForkJoinPool-"))
                .count();
    }

    private static void awaitThreadsBackTo(int before) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(BOUND_SECONDS);
        int now = platformThreads();
        while (now > before + 2 && System.nanoTime() < deadline) {
            Thread.sleep(100);
            now = platformThreads();
        }
        assertThat(now).as("platform threads after the soak (%d before)", before).isLessThanOrEqualTo(before + 2);
    }
}
