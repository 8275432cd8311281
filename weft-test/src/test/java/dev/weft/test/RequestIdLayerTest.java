package dev.weft.test;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.weft.http.Method;
import dev.weft.middleware.RequestId;
import dev.weft.response.Response;
import dev.weft.routing.Router;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

class RequestIdLayerTest {
    private static final String ULID = "[0-9A-HJKMNP-TV-Z]{26}";

    static Stream<Named<Function<Router, Client>>> clients() {
        return Clients.both();
    }

    private static final Router APP = Router.builder()
            .layer(RequestId.create())
            .get("/id", RequestId.extractor(), id -> id)
            .get("/log", RequestId.extractor(), id -> {
                LoggerFactory.getLogger("test.handler").info("handling");
                return "mdc " + MDC.get("request_id");
            })
            .get("/own", () -> Response.text("x").withHeader("x-request-id", "chosen-by-handler"))
            .get("/stream", () -> Response.stream("text/plain", out -> {
                LoggerFactory.getLogger("test.handler").info("writing");
                out.write(("mdc " + MDC.get("request_id")).getBytes(StandardCharsets.UTF_8));
            }))
            .build();

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void a_request_without_an_id_gets_a_generated_one_on_the_response_and_in_the_handler(
            Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            TestResponse first = client.get("/id");
            TestResponse second = client.get("/id");
            assertThat(first.header("x-request-id")).get().asString().matches(ULID);
            assertThat(first.body()).isEqualTo(first.header("x-request-id").orElseThrow());
            assertThat(second.body()).isNotEqualTo(first.body());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void a_sane_incoming_id_is_kept(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            for (String id : List.of("abc-123", "A.b_c:d-e", "0".repeat(128), "f47ac10b-58cc-4372-a567-0e02b2c3d479")) {
                TestResponse response = client.request(Method.GET, "/id").header("x-request-id", id).send();
                assertThat(response.body()).isEqualTo(id);
                assertThat(response.header("x-request-id")).contains(id);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void hostile_incoming_ids_are_replaced_by_a_generated_one(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            List<String[]> cases = new ArrayList<>();
            cases.add(new String[] {"x-request-id", "a".repeat(129)});
            cases.add(new String[] {"x-request-id", "a".repeat(8000)});
            cases.add(new String[] {"x-request-id", "two words"});
            cases.add(new String[] {"x-request-id", "caf\u00e9"});
            cases.add(new String[] {"x-request-id", "\"quoted\""});
            cases.add(new String[] {"x-request-id", "<script>alert(1)</script>"});
            cases.add(new String[] {"x-request-id", "id\tTAB"});
            cases.add(new String[] {"x-request-id", "id=forged level=ERROR"});
            cases.add(new String[] {"x-request-id", ""});
            cases.add(new String[] {"x-request-id", "one", "x-request-id", "two"});
            for (String[] headers : cases) {
                TestResponse response = get(client, "/id", headers);
                assertThat(response.status()).as(headers[1].substring(0, Math.min(20, headers[1].length()))).isEqualTo(200);
                assertThat(response.body()).as(headers[1]).matches(ULID);
                assertThat(response.headers().all("x-request-id")).containsExactly(response.body());
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void a_handler_that_sets_its_own_id_header_keeps_it(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            assertThat(client.get("/own").headers().all("x-request-id")).containsExactly("chosen-by-handler");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void unmatched_requests_get_an_id_too(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP)) {
            TestResponse response = client.get("/nowhere");
            assertThat(response.status()).isEqualTo(404);
            assertThat(response.header("x-request-id")).get().asString().matches(ULID);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void the_handlers_log_lines_carry_the_id_in_the_mdc(Function<Router, Client> clients) {
        try (Client client = clients.apply(APP); LogCapture log = new LogCapture("test.handler")) {
            TestResponse response = client.request(Method.GET, "/log").header("x-request-id", "trace-me-1").send();
            assertThat(response.body()).isEqualTo("mdc trace-me-1");
            List<ILoggingEvent> events = log.awaitEvents(1);
            assertThat(events).hasSize(1);
            assertThat(events.getFirst().getMDCPropertyMap()).containsEntry("request_id", "trace-me-1");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void a_streamed_body_written_after_the_layer_returned_still_has_the_id_in_the_mdc(
            Function<Router, Client> clients) {
        try (Client client = clients.apply(APP); LogCapture log = new LogCapture("test.handler")) {
            TestResponse response = client.request(Method.GET, "/stream").header("x-request-id", "stream-1").send();
            assertThat(response.body()).isEqualTo("mdc stream-1");
            assertThat(log.awaitEvents(1).getFirst().getMDCPropertyMap()).containsEntry("request_id", "stream-1");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void concurrent_requests_each_see_their_own_id(Function<Router, Client> clients) throws Exception {
        try (Client client = clients.apply(APP)) {
            List<Thread> threads = new ArrayList<>();
            List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
            for (int i = 0; i < 20; i++) {
                String id = "req-" + i;
                threads.add(Thread.ofVirtual().start(() -> {
                    String body = client.request(Method.GET, "/log").header("x-request-id", id).send().body();
                    if (!body.equals("mdc " + id)) {
                        failures.add(id + " saw " + body);
                    }
                }));
            }
            for (Thread t : threads) {
                t.join();
            }
            assertThat(failures).isEmpty();
        }
    }

    /**
     * {@code GET target} with header {@code namesAndValues} sent as given (non-ASCII as UTF-8
     * bytes, repeated names as separate fields), which the JDK client would refuse or merge.
     */
    static TestResponse get(Client client, String target, String... namesAndValues) {
        if (!(client instanceof TestClient network)) {
            TestRequest request = client.request(Method.GET, target);
            for (int i = 0; i < namesAndValues.length; i += 2) {
                request.header(namesAndValues[i], namesAndValues[i + 1]);
            }
            return request.send();
        }
        String[] latin1 = new String[namesAndValues.length];
        for (int i = 0; i < latin1.length; i++) {
            latin1[i] = new String(namesAndValues[i].getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
        }
        try {
            if (network.http2()) {
                try (RawHttp2 connection = RawHttp2.connect(network.port())) {
                    connection.headers(1, RawHttp2.request("GET", target, latin1), true);
                    return connection.response(1).toTestResponse();
                }
            }
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < latin1.length; i += 2) {
                lines.add(latin1[i] + ": " + latin1[i + 1]);
            }
            lines.add("Connection: close");
            try (RawHttp connection = RawHttp.connect(network.port())) {
                return connection.send(RawHttp.request("GET", target, "HTTP/1.1", lines.toArray(String[]::new)))
                        .read().toTestResponse();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
