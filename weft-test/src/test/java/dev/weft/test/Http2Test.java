package dev.weft.test;

import static dev.weft.test.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.extract.Body;
import dev.weft.extract.Extract;
import dev.weft.extract.Json;
import dev.weft.extract.PathParam;
import dev.weft.http.Headers;
import dev.weft.response.Response;
import dev.weft.routing.Handler;
import dev.weft.routing.Router;
import dev.weft.server.InvalidConfigException;
import dev.weft.server.Server;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Error;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * HTTP/2 over cleartext: the JDK client (which upgrades with {@code Upgrade: h2c}) and a raw
 * prior-knowledge connection ({@link RawHttp2}) get the same router, handlers and limits as
 * HTTP/1.1; resets interrupt handlers; shutdown and idle connections end with GOAWAY.
 *
 * <p>No test sleeps to let something happen: each waits on a latch or on a frame, with a bound.
 */
class Http2Test {
    private static final long BOUND_SECONDS = 10;
    private static final int CONCURRENT = 50;
    /** Http2Setup.MAX_RST_FRAMES: resets a client may send in 30 s before its connection is cut. */
    private static final int Http2Setup_MAX_RST_FRAMES = 200;

    public record Todo(String title) {}

    /** One blocking handler's observable steps. */
    private static final class Gate {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final CountDownLatch interrupted = new CountDownLatch(1);
    }

    private final Map<String, Gate> gates = new ConcurrentHashMap<>();
    private final CountDownLatch together = new CountDownLatch(CONCURRENT);
    private final List<AutoCloseable> open = new ArrayList<>();

    private Router app() {
        return Router.builder()
                .get("/", () -> "root")
                .get("/port", Extract.remoteAddress(), address -> Integer.toString(address.getPort()))
                .get("/who", Extract.request(), r -> r.protocol() + " " + r.header("host").orElse("-") + " "
                        + r.header("cookie").orElse("-") + " " + r.headers().names().stream()
                                .filter(n -> n.startsWith(":")).count())
                .post("/echo", Body.bytes(), bytes -> bytes)
                .post("/todos", Json.of(Todo.class), todo -> Response.created("/todos/1", todo))
                .post("/small", Handler.of(Body.bytes(), bytes -> bytes).bodyLimit(16))
                .post("/crc", Handler.of(Body.stream(), Http2Test::lengthAndCrc).bodyLimit(64L * 1024 * 1024))
.post("/slow-crc", Handler.of(Body.stream(), in -> {
                    gate("slow").entered.countDown();
                    gate("slow").release.await();
                    return lengthAndCrc(in);
                }).bodyLimit(64L * 1024 * 1024))
                .get("/together", Extract.remoteAddress(), address -> {
                    together.countDown();
                    together.await(BOUND_SECONDS, TimeUnit.SECONDS);
                    return Integer.toString(address.getPort());
                })
                .get("/block/{name}", PathParam.string("name"), name -> {
                    Gate gate = gate(name);
                    gate.entered.countDown();
                    try {
                        gate.release.await();
                        return "finished";
                    } catch (InterruptedException e) {
                        gate.interrupted.countDown();
                        throw e;
                    }
                })
                .build();
    }

    private Gate gate(String name) {
        return gates.computeIfAbsent(name, n -> new Gate());
    }

    private static String lengthAndCrc(InputStream in) throws IOException {
        CRC32 crc = new CRC32();
        long length = 0;
        byte[] buffer = new byte[8192];
        for (int n; (n = in.read(buffer)) > 0; ) {
            crc.update(buffer, 0, n);
            length += n;
        }
        return length + ":" + crc.getValue();
    }

    private static String lengthAndCrc(byte[] body) {
        CRC32 crc = new CRC32();
        crc.update(body);
        return body.length + ":" + crc.getValue();
    }

    private TestClient start(Server.Builder options) {
        TestClient client = TestClient.start(app(), options);
        open.add(client);
        return client;
    }

    private TestClient start() {
        return start(Server.builder());
    }

    private HttpClient h2() {
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_2)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        open.add(client);
        return client;
    }

    /** A JDK client whose connection to {@code server} has been upgraded to HTTP/2. */
    private HttpClient upgraded(TestClient server) throws Exception {
        HttpClient client = h2();
        assertThat(send(client, to(server, "/").build()).version()).isEqualTo(HttpClient.Version.HTTP_2);
        return client;
    }

    private RawHttp2 raw(TestClient server) throws IOException {
        RawHttp2 connection = RawHttp2.connect(server.port());
        open.add(connection);
        return connection;
    }

    @AfterEach
    void stop() throws Exception {
        gates.values().forEach(g -> g.release.countDown());
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
    }

    private static HttpResponse<String> send(HttpClient client, HttpRequest request) throws Exception {
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.Builder to(TestClient server, String target) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + target))
                .timeout(Duration.ofSeconds(BOUND_SECONDS));
    }

    private static TestResponse toTest(HttpResponse<String> response) {
        Headers.Builder headers = Headers.builder();
        response.headers().map().forEach((name, values) -> {
            if (!name.startsWith(":")) {
                values.forEach(v -> headers.add(name, v));
            }
        });
        return new TestResponse(response.statusCode(), headers.build(), response.body().getBytes(StandardCharsets.UTF_8));
    }

    // ---------------------------------------------------------------- JDK client, h2c upgrade

    @Test
    void the_jdk_client_upgrades_with_h2c_and_its_first_request_is_answered_on_http_2() throws Exception {
        TestClient server = start();
        HttpClient client = h2();

        HttpResponse<String> first = send(client, to(server, "/who").build());
        HttpResponse<String> second = send(client, to(server, "/").build());

        assertThat(first.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.body()).isEqualTo("HTTP/2.0 127.0.0.1:" + server.port() + " - 0");
        assertThat(second.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(second.body()).isEqualTo("root");
    }

    @Test
    void an_upgrade_request_with_a_small_body_is_replayed_as_stream_1() throws Exception {
        TestClient server = start();

        HttpResponse<String> response = send(h2(), to(server, "/echo")
                .POST(HttpRequest.BodyPublishers.ofString("hello over h2c")).build());

        assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(response.body()).isEqualTo("hello over h2c");
    }

    @Test
    void an_upgrade_request_with_a_body_over_64_kib_is_served_on_http_1_1() throws Exception {
        TestClient server = start();
        byte[] body = new byte[100_000];

        HttpResponse<String> response = send(h2(), to(server, "/crc")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());

        assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
        assertThat(response.body()).isEqualTo(lengthAndCrc(body));
    }

    @Test
    void json_404_405_and_413_answer_on_http_2_as_on_http_1_1() throws Exception {
        TestClient server = start();
        HttpClient client = upgraded(server);

        HttpResponse<String> created = send(client, to(server, "/todos").header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"title\":\"milk\"}")).build());
        HttpResponse<String> missing = send(client, to(server, "/nope").build());
        HttpResponse<String> wrongMethod = send(client, to(server, "/").DELETE().build());
        HttpResponse<String> tooLarge = send(client, to(server, "/small")
                .POST(HttpRequest.BodyPublishers.ofString("x".repeat(100))).build());
        HttpResponse<String> stillFine = send(client, to(server, "/").build());

        assertThat(created.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.headers().firstValue("location")).contains("/todos/1");
        assertThat(MiniJson.object(created.body())).containsEntry("title", "milk");
        assertProblem(toTest(missing), 404);
        assertProblem(toTest(wrongMethod), 405);
        assertThat(wrongMethod.headers().firstValue("allow").orElseThrow()).contains("GET");
        assertProblem(toTest(tooLarge), 413);
        assertThat(tooLarge.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(stillFine.body()).isEqualTo("root");
    }

    @Test
    void a_large_body_streams_through_the_stream_flow_control_window() throws Exception {
        TestClient server = start();
        HttpClient client = upgraded(server);
        byte[] body = new byte[8 * 1024 * 1024];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) (i * 31);
        }

        HttpResponse<String> response = send(client, to(server, "/crc")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());

        assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(response.body()).isEqualTo(lengthAndCrc(body));
    }

    @Test
    void many_concurrent_streams_run_at_once_on_one_connection() throws Exception {
        TestClient server = start();
        HttpClient client = upgraded(server);

        List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
        for (int i = 0; i < CONCURRENT; i++) {
            responses.add(client.sendAsync(to(server, "/together").build(), HttpResponse.BodyHandlers.ofString()));
        }
        Set<String> ports = responses.stream()
                .map(f -> f.orTimeout(BOUND_SECONDS * 2, TimeUnit.SECONDS).join())
                .peek(r -> assertThat(r.statusCode()).isEqualTo(200))
                .peek(r -> assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_2))
                .map(HttpResponse::body)
                .collect(Collectors.toSet());

        // Every handler waited until all had arrived, so all ran at once; one client port, one connection.
        assertThat(together.getCount()).isZero();
        assertThat(ports).hasSize(1);
    }

    // ---------------------------------------------------------------- prior knowledge

    @Test
    void configured_settings_are_announced() throws Exception {
        TestClient server = start(Server.builder().http2MaxConcurrentStreams(7).http2InitialWindowBytes(131_072)
                .http2MaxFrameBytes(32_768).maxHeaderBytes(4_096));

        RawHttp2 connection = raw(server);

        assertThat(connection.serverSettings().maxConcurrentStreams()).isEqualTo(7L);
        assertThat(connection.serverSettings().initialWindowSize()).isEqualTo(131_072);
        assertThat(connection.serverSettings().maxFrameSize()).isEqualTo(32_768);
        assertThat(connection.serverSettings().maxHeaderListSize()).isEqualTo(4_096L);
        assertThat(connection.get(1, "/").response(1).text()).isEqualTo("root");
    }

    @Test
    void prior_knowledge_is_served_with_explicit_settings_and_no_connection_specific_headers() throws Exception {
        TestClient server = start();
        RawHttp2 connection = raw(server);

        RawHttp2.Response response = connection.get(1, "/").response(1);

        assertThat(connection.serverSettings().maxConcurrentStreams()).isEqualTo(128L);
        assertThat(connection.serverSettings().maxHeaderListSize()).isEqualTo(16_384L);
        assertThat(connection.serverSettings().initialWindowSize()).isEqualTo(65_535);
        assertThat(connection.serverSettings().maxFrameSize()).isEqualTo(16_384);
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.text()).isEqualTo("root");
        assertThat(response.headers().get("content-length")).hasToString("4");
        assertThat(response.headers().contains("date")).isTrue();
        for (String name : List.of("connection", "keep-alive", "transfer-encoding", "upgrade")) {
            assertThat(response.headers().contains(name)).as(name).isFalse();
        }
    }

    @Test
    void authority_is_the_host_header_and_cookie_crumbs_are_joined() throws Exception {
        TestClient server = start();
        RawHttp2 connection = raw(server);

        RawHttp2.Response response = connection.headers(1,
                RawHttp2.request("GET", "/who", "cookie", "a=1", "cookie", "b=2"), true).response(1);

        assertThat(response.text()).isEqualTo("HTTP/2.0 127.0.0.1 a=1; b=2 0");
    }

    @Test
    void a_body_in_several_data_frames_reaches_the_handler_whole() throws Exception {
        TestClient server = start();
        RawHttp2 connection = raw(server);

        connection.headers(1, RawHttp2.request("POST", "/echo", "content-length", "10"), false)
                .data(1, "hello".getBytes(StandardCharsets.US_ASCII), false)
                .data(1, "world".getBytes(StandardCharsets.US_ASCII), true);
        RawHttp2.Response response = connection.response(1);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.text()).isEqualTo("helloworld");
    }

    @Test
    void expect_100_continue_gets_an_interim_100_when_the_handler_reads_the_body() throws Exception {
        TestClient server = start();
        RawHttp2 connection = raw(server);

        connection.headers(1, RawHttp2.request("POST", "/echo", "content-length", "5", "expect", "100-continue"), false);
        RawHttp2.HeadersFrame interim = (RawHttp2.HeadersFrame) connection.await(f -> f instanceof RawHttp2.HeadersFrame);
        connection.data(1, "hello".getBytes(StandardCharsets.US_ASCII), true);
        RawHttp2.Response response = connection.response(1);

        assertThat(interim.headers().status()).hasToString("100");
        assertThat(interim.endStream()).isFalse();
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.text()).isEqualTo("hello");
    }

    @Test
    void an_answer_before_the_body_ended_arrives_whole_and_then_the_stream_is_reset_with_no_error() throws Exception {
        TestClient server = start();
        RawHttp2 connection = raw(server);

        // Over the route's 16-byte limit by its content-length: 413 before any DATA is sent.
        RawHttp2.Response response = connection.headers(1,
                RawHttp2.request("POST", "/small", "content-length", "100000"), false).response(1);
        RawHttp2.Frame after = connection.await(f -> f.stream() == 1 && !(f instanceof RawHttp2.WindowUpdateFrame));
        RawHttp2.Response next = connection.get(3, "/").response(3);

        assertProblem(response.toTestResponse(), 413);
        assertThat(after).isEqualTo(new RawHttp2.ResetFrame(1, Http2Error.NO_ERROR.code()));
        assertThat(next.status()).isEqualTo(200);
    }

    @Test
    void while_the_handler_does_not_read_the_stream_window_is_not_refreshed_and_then_the_body_arrives_whole()
            throws Exception {
        TestClient server = start();
        RawHttp2 connection = raw(server);
        byte[] body = new byte[1024 * 1024];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) (i * 7);
        }
        connection.headers(1, RawHttp2.request("POST", "/slow-crc"), false);
        assertThat(gate("slow").entered.await(BOUND_SECONDS, TimeUnit.SECONDS)).isTrue();

        // Send as the stream window allows; the handler reads nothing yet.
        long window = connection.serverSettings().initialWindowSize();
        int sent = 0;
        while (true) {
            while (window > 0 && sent < body.length) {
                int n = (int) Math.min(Math.min(window, 16_384), body.length - sent);
                connection.data(1, java.util.Arrays.copyOfRange(body, sent, sent + n), false);
                sent += n;
                window -= n;
            }
            var update = connection.awaitWithin(f -> f instanceof RawHttp2.WindowUpdateFrame w && w.stream() == 1, 500);
            if (update.isEmpty()) {
                break; // no window for now
            }
            window += ((RawHttp2.WindowUpdateFrame) update.get()).increment();
        }
        // At most the body queue's high-water mark (256 KiB) plus a window or two are taken in.
        assertThat(sent).as("bytes the server let in while its reader was blocked").isLessThan(body.length / 2);

        gate("slow").release.countDown();
        while (sent < body.length) {
            while (window <= 0) {
                window += ((RawHttp2.WindowUpdateFrame) connection.await(
                        f -> f instanceof RawHttp2.WindowUpdateFrame w && w.stream() == 1)).increment();
            }
            int n = (int) Math.min(Math.min(window, 16_384), body.length - sent);
            connection.data(1, java.util.Arrays.copyOfRange(body, sent, sent + n), false);
            sent += n;
            window -= n;
        }
        connection.data(1, new byte[0], true);

        assertThat(connection.response(1).text()).isEqualTo(lengthAndCrc(body));
    }

    @Test
    void a_body_that_stalls_past_the_body_timeout_is_answered_408_and_the_stream_is_reset() throws Exception {
        TestClient server = start(Server.builder().bodyTimeout(Duration.ofMillis(200)));
        RawHttp2 connection = raw(server);

        connection.headers(1, RawHttp2.request("POST", "/echo", "content-length", "10"), false)
                .data(1, "hello".getBytes(StandardCharsets.US_ASCII), false);
        RawHttp2.Response response = connection.response(1);
        RawHttp2.Frame after = connection.await(f -> f.stream() == 1 && !(f instanceof RawHttp2.WindowUpdateFrame));

        assertProblem(response.toTestResponse(), 408);
        assertThat(after).isEqualTo(new RawHttp2.ResetFrame(1, Http2Error.NO_ERROR.code()));
        assertThat(connection.get(3, "/").response(3).text()).isEqualTo("root");
    }

    @Test
    void a_header_list_over_max_header_bytes_gets_431_on_its_stream_and_the_connection_goes_on() throws Exception {
        TestClient server = start();
        RawHttp2 connection = raw(server);

        RawHttp2.Response tooLarge = connection.headers(1,
                RawHttp2.request("GET", "/", "x-big", "a".repeat(17_000)), true).response(1);
        RawHttp2.Response next = connection.get(3, "/").response(3);

        assertThat(tooLarge.status()).isEqualTo(431);
        assertThat(next.status()).isEqualTo(200);
    }

    @Test
    void malformed_streams_are_reset_or_answered_400_and_the_connection_goes_on() throws Exception {
        TestClient server = start();
        RawHttp2 connection = raw(server);

        RawHttp2.Response noPath = connection.headers(1,
                new DefaultHttp2Headers().method("GET").scheme("http").authority("127.0.0.1"), true).response(1);
        RawHttp2.Response connectionHeader = connection.headers(3,
                RawHttp2.request("GET", "/", "connection", "close"), true).response(3);
        RawHttp2.Response otherHost = connection.headers(5,
                RawHttp2.request("GET", "/", "host", "elsewhere.example"), true).response(5);
        RawHttp2.Response next = connection.get(7, "/").response(7);

        assertThat(noPath.resetCode()).isEqualTo(Http2Error.PROTOCOL_ERROR.code());
        assertThat(connectionHeader.resetCode()).isEqualTo(Http2Error.PROTOCOL_ERROR.code());
        assertThat(otherHost.resetCode()).as("%s", otherHost).isNull();
        assertProblem(otherHost.toTestResponse(), 400);
        assertThat(next.status()).isEqualTo(200);
    }

    @Test
    void streams_over_max_concurrent_streams_are_refused() throws Exception {
        TestClient server = start(Server.builder().http2MaxConcurrentStreams(2));
        RawHttp2 connection = raw(server);
        assertThat(connection.serverSettings().maxConcurrentStreams()).isEqualTo(2L);

        connection.get(1, "/block/a").get(3, "/block/b");
        assertThat(gate("a").entered.await(BOUND_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(gate("b").entered.await(BOUND_SECONDS, TimeUnit.SECONDS)).isTrue();
        RawHttp2.Response third = connection.get(5, "/").response(5);
        gate("a").release.countDown();
        gate("b").release.countDown();

        assertThat(third.resetCode()).isEqualTo(Http2Error.REFUSED_STREAM.code());
        assertThat(connection.response(1).text()).isEqualTo("finished");
        assertThat(connection.response(3).text()).isEqualTo("finished");
    }

    // ---------------------------------------------------------------- resets and limits

    @Test
    void a_client_reset_interrupts_the_handler_and_the_connection_goes_on() throws Exception {
        TestClient server = start();
        RawHttp2 connection = raw(server);
        connection.get(1, "/block/a");
        assertThat(gate("a").entered.await(BOUND_SECONDS, TimeUnit.SECONDS)).isTrue();

        connection.reset(1, Http2Error.CANCEL);

        assertThat(gate("a").interrupted.await(BOUND_SECONDS, TimeUnit.SECONDS))
                .as("the handler saw InterruptedException").isTrue();
        assertThat(connection.get(3, "/").response(3).text()).isEqualTo("root");
    }

    @Test
    void a_client_that_closes_its_connection_interrupts_the_handlers_of_its_open_streams() throws Exception {
        TestClient server = start();
        RawHttp2 connection = RawHttp2.connect(server.port());
        connection.get(1, "/block/a").get(3, "/block/b");
        assertThat(gate("a").entered.await(BOUND_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(gate("b").entered.await(BOUND_SECONDS, TimeUnit.SECONDS)).isTrue();

        connection.close(); // no GOAWAY, no reset: the TCP connection just ends

        assertThat(gate("a").interrupted.await(BOUND_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(gate("b").interrupted.await(BOUND_SECONDS, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void a_reset_stream_releases_its_in_flight_slot_exactly_once() throws Exception {
        TestClient server = start(Server.builder().maxInFlight(1));
        RawHttp2 connection = raw(server);
        LogCapture log = new LogCapture("dev.weft");
        open.add(log);
        connection.get(1, "/block/a");
        assertThat(gate("a").entered.await(BOUND_SECONDS, TimeUnit.SECONDS)).isTrue();
        connection.reset(1, Http2Error.CANCEL);
        assertThat(gate("a").interrupted.await(BOUND_SECONDS, TimeUnit.SECONDS)).isTrue();

        // The slot comes back once the interrupted handler has returned.
        int stream = 3;
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(BOUND_SECONDS);
        while (connection.get(stream, "/").response(stream).status() != 200) {
            assertThat(System.nanoTime()).as("the in-flight slot was released").isLessThan(until);
            stream += 2;
            Thread.sleep(10);
        }
        // A client giving up is routine: the interrupted handler is not logged as a server error.
        assertThat(log.messagesAtLeast(ch.qos.logback.classic.Level.WARN)).isEmpty();
        // Released once, not twice: with one request in flight the next one is still refused.
        connection.get(stream + 2, "/block/b");
        assertThat(gate("b").entered.await(BOUND_SECONDS, TimeUnit.SECONDS)).isTrue();
        RawHttp2.Response refused = connection.get(stream + 4, "/").response(stream + 4);

        assertProblem(refused.toTestResponse(), 503);
        assertThat(refused.headers().get("retry-after")).hasToString("1");
    }

    @Test
    void a_request_over_max_in_flight_gets_503_with_retry_after() throws Exception {
        TestClient server = start(Server.builder().maxInFlight(1));
        RawHttp2 connection = raw(server);
        connection.get(1, "/block/a");
        assertThat(gate("a").entered.await(BOUND_SECONDS, TimeUnit.SECONDS)).isTrue();

        RawHttp2.Response refused = connection.get(3, "/").response(3);
        gate("a").release.countDown();

        assertProblem(refused.toTestResponse(), 503);
        assertThat(refused.headers().get("retry-after")).hasToString("1");
        assertThat(connection.response(1).text()).isEqualTo("finished");
    }

    @Test
    void the_request_timeout_answers_503_and_interrupts_the_handler() throws Exception {
        TestClient server = start(Server.builder().requestTimeout(Duration.ofMillis(200)));
        RawHttp2 connection = raw(server);

        RawHttp2.Response response = connection.get(1, "/block/a").response(1);

        assertProblem(response.toTestResponse(), 503);
        assertThat(response.headers().get("retry-after")).hasToString("1");
        assertThat(gate("a").interrupted.await(BOUND_SECONDS, TimeUnit.SECONDS)).isTrue();
    }

    // ---------------------------------------------------------------- idle and shutdown

    @Test
    void an_idle_http_2_connection_gets_goaway_and_is_closed_after_the_idle_timeout() throws Exception {
        TestClient server = start(Server.builder().idleTimeout(Duration.ofMillis(300)));
        RawHttp2 connection = raw(server);
        assertThat(connection.get(1, "/").response(1).status()).isEqualTo(200);

        RawHttp2.GoAwayFrame goAway = connection.goAway();

        assertThat(goAway.errorCode()).isEqualTo(Http2Error.NO_ERROR.code());
        assertThat(goAway.lastStreamId()).isEqualTo(1);
        assertThat(connection.closedByServer()).isTrue();
    }

    @Test
    void a_connection_that_opens_no_stream_is_closed_after_the_request_head_timeout() throws Exception {
        TestClient server = start(Server.builder().requestHeadTimeout(Duration.ofMillis(300))
                .idleTimeout(Duration.ofMinutes(5)));
        RawHttp2 connection = raw(server); // preface and SETTINGS, then nothing

        RawHttp2.GoAwayFrame goAway = connection.goAway();

        assertThat(goAway.errorCode()).isEqualTo(Http2Error.NO_ERROR.code());
        assertThat(goAway.lastStreamId()).isEqualTo(0);
        assertThat(connection.closedByServer()).isTrue();
    }

    @Test
    void a_rapid_reset_client_is_cut_off() throws Exception {
        TestClient server = start();
        RawHttp2 connection = raw(server);
        // CVE-2023-44487: open a stream, reset it at once, again and again.
        for (int i = 0; i <= Http2Setup_MAX_RST_FRAMES; i++) {
            int stream = 1 + 2 * i;
            connection.get(stream, "/block/rapid").reset(stream, Http2Error.CANCEL);
        }

        // Netty detects it; the GOAWAY says so (it said NO_ERROR while Weft closed first, issue #8).
        assertThat(connection.connectionError()).isEqualTo(Http2Error.ENHANCE_YOUR_CALM.code());
        assertThat(raw(server).get(1, "/").response(1).text()).isEqualTo("root");
    }

    @Test
    void the_first_stream_deadline_does_not_cut_an_upgraded_connection_that_keeps_opening_streams() throws Exception {
        TestClient server = start(Server.builder().requestHeadTimeout(Duration.ofMillis(200))
                .idleTimeout(Duration.ofMinutes(5)));
        HttpClient client = upgraded(server);
        // The client would quietly reconnect after a GOAWAY, so the test watches its port: one
        // connection throughout, well past the first-stream deadline.
        java.util.Set<String> ports = new java.util.HashSet<>();
        long until = System.nanoTime() + Duration.ofMillis(1000).toNanos();
        while (System.nanoTime() < until) {
            HttpResponse<String> response = send(client, to(server, "/port").build());
            assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
            ports.add(response.body());
            Thread.sleep(50); // gaps without a stream, each shorter than idleTimeout
        }
        assertThat(ports).hasSize(1);
    }

    @Test
    void close_sends_goaway_lets_open_streams_finish_and_closes_idle_connections_at_once() throws Exception {
        TestClient server = start(Server.builder().shutdownTimeout(Duration.ofSeconds(30)));
        RawHttp2 busy = raw(server);
        RawHttp2 idle = raw(server);
        assertThat(idle.get(1, "/").response(1).status()).isEqualTo(200);
        busy.get(1, "/block/a");
        assertThat(gate("a").entered.await(BOUND_SECONDS, TimeUnit.SECONDS)).isTrue();

        CompletableFuture<Void> closing = CompletableFuture.runAsync(() -> server.server().close(),
                task -> Thread.ofPlatform().daemon().name("test-closer").start(task));

        assertThat(idle.goAway().errorCode()).isEqualTo(Http2Error.NO_ERROR.code());
        assertThat(idle.closedByServer()).isTrue();
        RawHttp2.GoAwayFrame goAway = busy.goAway();
        assertThat(goAway.lastStreamId()).isEqualTo(1);
        assertThat(goAway.errorCode()).isEqualTo(Http2Error.NO_ERROR.code());
        assertThat(closing).as("close() waits for the open stream").isNotDone();

        gate("a").release.countDown();

        assertThat(busy.response(1).text()).isEqualTo("finished");
        assertThat(busy.closedByServer()).isTrue();
        closing.get(BOUND_SECONDS, TimeUnit.SECONDS);
    }

    // ---------------------------------------------------------------- options

    @Test
    void invalid_http_2_options_are_all_reported_at_once() {
        assertThatThrownBy(() -> Server.builder().http2MaxConcurrentStreams(0).http2InitialWindowBytes(0)
                        .http2MaxFrameBytes(1000).build())
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> assertThat(e.problems())
                        .anyMatch(p -> p.startsWith("http2MaxConcurrentStreams"))
                        .anyMatch(p -> p.startsWith("http2InitialWindowBytes"))
                        .anyMatch(p -> p.startsWith("http2MaxFrameBytes")));
    }
}
