package dev.weft.otel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.weft.WeftException;
import dev.weft.extract.PathParam;
import dev.weft.http.Method;
import dev.weft.middleware.RequestId;
import dev.weft.response.Response;
import dev.weft.response.Status;
import dev.weft.routing.Router;
import dev.weft.test.Client;
import dev.weft.test.TestResponse;
import dev.weft.test.Transport;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

class TracingTest {
    private static final Logger LOG = LoggerFactory.getLogger("dev.weft.otel.handler");
    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String PARENT_ID = "00f067aa0ba902b7";
    private static final String TRACEPARENT = "00-" + TRACE_ID + "-" + PARENT_ID + "-01";

    private static String attr(SpanData span, String key) {
        Object value = span.getAttributes().get(AttributeKey.stringKey(key));
        return value == null ? null : value.toString();
    }

    private static Long longAttr(SpanData span, String key) {
        return span.getAttributes().get(AttributeKey.longKey(key));
    }

    private static Router app(Spans spans, Map<String, String> seen) {
        return Router.builder()
                .layer(RequestId.create())
                .layer(spans.tracing)
                .get("/todos/{id}", PathParam.of("id", Long.class), id -> {
                    LOG.info("loading todo {}", id);
                    seen.put("current", Span.current().getSpanContext().getSpanId());
                    Map<String, String> outgoing = new HashMap<>();
                    spans.tracing.inject(outgoing::put);
                    seen.putAll(outgoing);
                    return "todo " + id;
                })
                .get("/boom", () -> {
                    throw new IllegalStateException("deliberate failure in a test");
                })
                .get("/unavailable", () -> Response.text(Status.SERVICE_UNAVAILABLE, "later"))
                .get("/teapot", () -> Response.text(Status.of(418), "short and stout"))
                .build();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Transport.class)
    void one_server_span_per_request_named_by_the_route_template(Transport transport) {
        try (Spans spans = new Spans(); Client client = spans.start(transport, app(spans, new HashMap<>()))) {
            TestResponse response = client.request(Method.GET, "/todos/7?sort=asc")
                    .header("user-agent", "tracing-test/1").send();
            assertThat(response.status()).isEqualTo(200);

            SpanData span = spans.one();
            assertThat(span.getName()).isEqualTo("GET /todos/{id}");
            assertThat(span.getKind()).isEqualTo(SpanKind.SERVER);
            assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
            assertThat(span.getParentSpanContext().isValid()).isFalse();
            assertThat(attr(span, "http.request.method")).isEqualTo("GET");
            assertThat(attr(span, "http.route")).isEqualTo("/todos/{id}");
            assertThat(attr(span, "url.path")).isEqualTo("/todos/7");
            assertThat(attr(span, "url.query")).isEqualTo("sort=asc");
            assertThat(attr(span, "url.scheme")).isEqualTo("http");
            assertThat(longAttr(span, "http.response.status_code")).isEqualTo(200L);
            assertThat(attr(span, "network.protocol.version")).isEqualTo(transport == Transport.HTTP_2 ? "2" : "1.1");
            assertThat(attr(span, "client.address")).isNotBlank();
            assertThat(attr(span, "user_agent.original")).isEqualTo("tracing-test/1");
            assertThat(attr(span, "error.type")).isNull();
            assertThat(span.hasEnded()).isTrue();
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Transport.class)
    void an_unmatched_request_is_named_by_its_method_alone(Transport transport) {
        try (Spans spans = new Spans(); Client client = spans.start(transport, app(spans, new HashMap<>()))) {
            assertThat(client.get("/nowhere/at/all").status()).isEqualTo(404);
            SpanData span = spans.one();
            assertThat(span.getName()).isEqualTo("GET");
            assertThat(attr(span, "http.route")).isNull();
            assertThat(attr(span, "url.path")).isEqualTo("/nowhere/at/all");
            assertThat(longAttr(span, "http.response.status_code")).isEqualTo(404L);
            assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET); // 4xx: the client's error
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Transport.class)
    void a_method_outside_the_known_set_is_other_and_the_span_is_named_http(Transport transport) {
        try (Spans spans = new Spans(); Client client = spans.start(transport, app(spans, new HashMap<>()))) {
            client.request(new Method("PURGE"), "/todos/7").send();
            SpanData span = spans.one();
            assertThat(span.getName()).startsWith("HTTP");
            assertThat(attr(span, "http.request.method")).isEqualTo("_OTHER");
            assertThat(attr(span, "http.request.method_original")).isEqualTo("PURGE");
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Transport.class)
    void an_incoming_traceparent_is_the_parent_and_the_context_is_current_in_the_handler(Transport transport) {
        Map<String, String> seen = new HashMap<>();
        try (Spans spans = new Spans(); Client client = spans.start(transport, app(spans, seen))) {
            client.request(Method.GET, "/todos/1")
                    .header("traceparent", TRACEPARENT)
                    .header("tracestate", "vendor=abc,other=1").send();
            SpanData span = spans.one();
            assertThat(span.getTraceId()).isEqualTo(TRACE_ID);
            assertThat(span.getParentSpanId()).isEqualTo(PARENT_ID);
            assertThat(span.getParentSpanContext().isRemote()).isTrue();
            assertThat(span.getSpanContext().getTraceState().get("vendor")).isEqualTo("abc");
            // Span.current() in the handler is this span, and an outgoing call carries it on.
            assertThat(seen.get("current")).isEqualTo(span.getSpanId());
            assertThat(seen.get("traceparent")).isEqualTo("00-" + TRACE_ID + "-" + span.getSpanId() + "-01");
            assertThat(seen.get("tracestate")).isEqualTo("vendor=abc,other=1");
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Transport.class)
    void a_tracestate_split_over_several_lines_is_joined(Transport transport) {
        try (Spans spans = new Spans(); Client client = spans.start(transport, app(spans, new HashMap<>()))) {
            client.request(Method.GET, "/todos/1")
                    .header("traceparent", TRACEPARENT)
                    .header("tracestate", "a=1")
                    .header("tracestate", "b=2").send();
            SpanData span = spans.one();
            assertThat(span.getSpanContext().getTraceState().asMap()).containsEntry("a", "1").containsEntry("b", "2");
        }
    }

    /** Each is ignored: the request starts a new trace of its own rather than failing or joining a bogus one. */
    static final List<String> MALFORMED = List.of(
            "garbage",
            "",
            "00-" + TRACE_ID + "-" + PARENT_ID,                               // no flags
            "00-" + TRACE_ID.toUpperCase() + "-" + PARENT_ID + "-01",         // upper-case hex
            "00-00000000000000000000000000000000-" + PARENT_ID + "-01",       // all-zero trace id
            "00-" + TRACE_ID + "-0000000000000000-01",                        // all-zero parent id
            "ff-" + TRACE_ID + "-" + PARENT_ID + "-01",                       // version ff is invalid
            "00-" + TRACE_ID + "-" + PARENT_ID + "-01-extra",                 // version 00 has no more fields
            "00-" + TRACE_ID.substring(2) + "-" + PARENT_ID + "-01",          // short trace id
            "00-" + TRACE_ID + "-" + PARENT_ID + "-0g",                       // not hex
            "00-" + TRACE_ID + "x".repeat(4000) + "-" + PARENT_ID + "-01");  // oversized

    @ParameterizedTest(name = "{0}")
    @EnumSource(Transport.class)
    void a_malformed_traceparent_starts_a_new_trace(Transport transport) {
        try (Spans spans = new Spans(); Client client = spans.start(transport, app(spans, new HashMap<>()))) {
            for (String malformed : MALFORMED) {
                spans.exporter.reset();
                TestResponse response = client.request(Method.GET, "/todos/1")
                        .header("traceparent", malformed).header("tracestate", "vendor=abc").send();
                assertThat(response.status()).as(malformed).isEqualTo(200);
                SpanData span = spans.one();
                assertThat(span.getParentSpanContext().isValid()).as(malformed).isFalse();
                assertThat(span.getTraceId()).as(malformed).isNotEqualTo(TRACE_ID);
                assertThat(span.getSpanContext().getTraceState().isEmpty()).as(malformed).isTrue();
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Transport.class)
    void two_traceparent_lines_start_a_new_trace(Transport transport) {
        try (Spans spans = new Spans(); Client client = spans.start(transport, app(spans, new HashMap<>()))) {
            client.request(Method.GET, "/todos/1")
                    .header("traceparent", TRACEPARENT)
                    .header("traceparent", "00-" + "1".repeat(32) + "-" + "2".repeat(16) + "-01").send();
            SpanData span = spans.one();
            assertThat(span.getParentSpanContext().isValid()).isFalse();
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Transport.class)
    void a_handler_exception_makes_an_error_span_with_the_exception_recorded(Transport transport) {
        try (Spans spans = new Spans(); Client client = spans.start(transport, app(spans, new HashMap<>()))) {
            assertThat(client.get("/boom").status()).isEqualTo(500);
            SpanData span = spans.one();
            assertThat(span.getName()).isEqualTo("GET /boom");
            assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
            assertThat(attr(span, "error.type")).isEqualTo(IllegalStateException.class.getName());
            assertThat(longAttr(span, "http.response.status_code")).isEqualTo(500L);
            assertThat(span.getEvents()).anySatisfy(event -> {
                assertThat(event.getName()).isEqualTo("exception");
                assertThat(event.getAttributes().get(AttributeKey.stringKey("exception.type")))
                        .isEqualTo(IllegalStateException.class.getName());
            });
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Transport.class)
    void a_returned_5xx_is_an_error_and_a_4xx_is_not(Transport transport) {
        try (Spans spans = new Spans(); Client client = spans.start(transport, app(spans, new HashMap<>()))) {
            assertThat(client.get("/unavailable").status()).isEqualTo(503);
            SpanData error = spans.one();
            assertThat(error.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
            assertThat(attr(error, "error.type")).isEqualTo("503");
            assertThat(error.getEvents()).isEmpty();

            spans.exporter.reset();
            assertThat(client.get("/teapot").status()).isEqualTo(418);
            SpanData teapot = spans.one();
            assertThat(teapot.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
            assertThat(attr(teapot, "error.type")).isNull();
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Transport.class)
    void a_streamed_body_is_inside_the_span(Transport transport) {
        AtomicReference<List<SpanData>> finishedWhileWriting = new AtomicReference<>();
        AtomicReference<String> currentWhileWriting = new AtomicReference<>();
        AtomicReference<String> mdcWhileWriting = new AtomicReference<>();
        try (Spans spans = new Spans()) {
            Router router = Router.builder()
                    .layer(spans.tracing)
                    .get("/stream", () -> Response.stream("text/plain", out -> {
                        out.writeText("first ");
                        out.flush();
                        finishedWhileWriting.set(spans.exporter.getFinishedSpanItems());
                        currentWhileWriting.set(Span.current().getSpanContext().getSpanId());
                        mdcWhileWriting.set(MDC.get("span_id"));
                        out.writeText("last");
                    }))
                    .build();
            try (Client client = spans.start(transport, router)) {
                assertThat(client.get("/stream").body()).isEqualTo("first last");
                SpanData span = spans.one();
                assertThat(finishedWhileWriting.get()).isEmpty(); // not ended when the handler returned
                assertThat(currentWhileWriting.get()).isEqualTo(span.getSpanId());
                assertThat(mdcWhileWriting.get()).isEqualTo(span.getSpanId());
                assertThat(span.getName()).isEqualTo("GET /stream");
                assertThat(longAttr(span, "http.response.status_code")).isEqualTo(200L);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Transport.class)
    void a_body_writer_that_fails_records_its_exception(Transport transport) {
        try (Spans spans = new Spans()) {
            Router router = Router.builder()
                    .layer(spans.tracing)
                    .get("/broken", () -> Response.stream("text/plain", out -> {
                        out.writeText("half");
                        out.flush();
                        throw new java.io.IOException("disk went away");
                    }))
                    .build();
            try (Client client = spans.start(transport, router)) {
                try {
                    client.get("/broken");
                } catch (RuntimeException cutOff) {
                    // the socket clients see the body cut off; the point is the span
                }
                SpanData span = spans.one();
                assertThat(attr(span, "error.type")).isEqualTo(java.io.IOException.class.getName());
                assertThat(span.getEvents()).anySatisfy(event -> assertThat(event.getName()).isEqualTo("exception"));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Transport.class)
    void the_trace_id_and_the_request_id_are_in_the_handlers_log_line_and_gone_afterwards(Transport transport) {
        try (Spans spans = new Spans(); Logs logs = new Logs("dev.weft.otel.handler", Level.INFO);
                Client client = spans.start(transport, app(spans, new HashMap<>()))) {
            TestResponse response = client.request(Method.GET, "/todos/3").header("traceparent", TRACEPARENT).send();
            SpanData span = spans.one();
            ILoggingEvent line = logs.events().getFirst();
            assertThat(line.getFormattedMessage()).isEqualTo("loading todo 3");
            assertThat(line.getMDCPropertyMap())
                    .containsEntry("trace_id", TRACE_ID)
                    .containsEntry("span_id", span.getSpanId())
                    .containsEntry("trace_flags", "01")
                    .containsEntry("request_id", response.header("x-request-id").orElseThrow());
        }
        assertThat(MDC.get("trace_id")).isNull();
    }

    @Test
    void the_mdc_holds_no_trace_after_the_handler_returned() throws Exception {
        // Called directly (the same thread runs the layer): nothing may stay for the thread's next task.
        try (Spans spans = new Spans()) {
            MDC.put("trace_id", "outer");
            Router router = Router.builder().layer(spans.tracing).get("/x", () -> MDC.get("trace_id")).build();
            try (Client client = Transport.IN_MEMORY.start(router)) {
                assertThat(client.get("/x").body()).hasSize(32).isNotEqualTo("outer");
            }
            assertThat(MDC.get("trace_id")).isEqualTo("outer");
            assertThat(MDC.get("span_id")).isNull();
        } finally {
            MDC.clear();
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Transport.class)
    void concurrent_requests_get_their_own_spans_and_ids(Transport transport) throws Exception {
        List<String> mismatches = new CopyOnWriteArrayList<>();
        try (Spans spans = new Spans()) {
            Router router = Router.builder()
                    .layer(spans.tracing)
                    .get("/echo/{n}", PathParam.string("n"), n -> {
                        Thread.sleep(5);
                        if (!Span.current().getSpanContext().getSpanId().equals(MDC.get("span_id"))) {
                            mismatches.add(n);
                        }
                        return Span.current().getSpanContext().getTraceId();
                    })
                    .build();
            try (Client client = spans.start(transport, router); ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Callable<String>> calls = new ArrayList<>();
                for (int i = 0; i < 40; i++) {
                    String n = Integer.toString(i);
                    calls.add(() -> client.get("/echo/" + n).body());
                }
                List<String> traceIds = new ArrayList<>();
                for (var future : pool.invokeAll(calls)) {
                    traceIds.add(future.get());
                }
                assertThat(traceIds).doesNotHaveDuplicates();
                assertThat(spans.await(40)).hasSize(40);
                assertThat(mismatches).isEmpty();
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Transport.class)
    void a_disabled_layer_makes_no_span_and_leaves_the_mdc_alone(Transport transport) {
        Tracing off = Tracing.builder().serviceName("todo").build();
        assertThat(off.enabled()).isFalse();
        assertThat(off.name()).isEqualTo("Tracing (disabled)");
        Router router = Router.builder().layer(off)
                .get("/x", () -> String.valueOf(MDC.get("trace_id")) + " " + Span.current().getSpanContext().isValid())
                .build();
        try (Client client = transport.start(router)) {
            assertThat(client.get("/x").body()).isEqualTo("null false");
        }
        off.close();
    }

    @Test
    void wrapped_tasks_run_with_the_callers_context_and_mdc() throws Exception {
        try (Spans spans = new Spans(); ExecutorService pool = Executors.newSingleThreadExecutor()) {
            Span span = spans.sdk.getTracer("test").spanBuilder("outer").startSpan();
            AtomicReference<String> seenSpan = new AtomicReference<>();
            AtomicReference<String> seenMdc = new AtomicReference<>();
            try (var scope = span.makeCurrent()) {
                MDC.put("request_id", "r-1");
                pool.submit(Tracing.wrap(() -> {
                    seenSpan.set(Span.current().getSpanContext().getSpanId());
                    seenMdc.set(MDC.get("request_id"));
                })).get();
                assertThat(Tracing.wrap(pool).submit(() -> Span.current().getSpanContext().getSpanId()).get())
                        .isEqualTo(span.getSpanContext().getSpanId());
            } finally {
                MDC.clear();
                span.end();
            }
            assertThat(seenSpan.get()).isEqualTo(span.getSpanContext().getSpanId());
            assertThat(seenMdc.get()).isEqualTo("r-1");
            // the pool thread keeps nothing afterwards
            assertThat(pool.submit(() -> MDC.get("request_id") + " " + Span.current().getSpanContext().isValid()).get())
                    .isEqualTo("null false");
        }
    }

    @Test
    void inject_writes_nothing_without_a_current_span() {
        try (Spans spans = new Spans()) {
            Map<String, String> headers = new HashMap<>();
            spans.tracing.inject(headers::put);
            assertThat(headers).isEmpty();
        }
    }

    @Test
    void every_invalid_option_is_reported_at_once() {
        assertThatThrownBy(() -> Tracing.builder()
                .otlpEndpoint(URI.create("ftp://collector:21"))
                .serviceName(" ")
                .sampleRatio(1.5)
                .exportTimeout(Duration.ZERO)
                .scheduleDelay(Duration.ofSeconds(-1))
                .maxQueueSize(10)
                .maxExportBatchSize(20)
                .header("bad header", "x")
                .header("x-token", "a\r\nb")
                .build())
                .isInstanceOf(WeftException.class)
                .hasMessageContaining("otlpEndpoint must be an http or https URL")
                .hasMessageContaining("serviceName is required")
                .hasMessageContaining("sampleRatio must be between 0 and 1")
                .hasMessageContaining("exportTimeout must be positive")
                .hasMessageContaining("scheduleDelay must be positive")
                .hasMessageContaining("maxExportBatchSize (20) must not exceed maxQueueSize (10)")
                .hasMessageContaining("'bad header' is not an HTTP token")
                .hasMessageContaining("x-token: the value holds CR, LF or NUL");
        assertThatThrownBy(() -> Tracing.builder().serviceName("a").otlpEndpoint(URI.create("ftp://u:secret@c:4318")).build())
                .hasMessageContaining("must not hold user info")
                .message().doesNotContain("secret");
        assertThatThrownBy(() -> Tracing.builder().serviceName("a").sampleRatio(Double.NaN).maxQueueSize(0)
                .maxExportBatchSize(-1).build())
                .hasMessageContaining("sampleRatio").hasMessageContaining("maxQueueSize must be positive")
                .hasMessageContaining("maxExportBatchSize must be positive");
    }

    @Test
    void the_semantic_convention_forms_of_protocol_and_query() {
        assertThat(Tracing.protocolVersion("HTTP/1.1")).isEqualTo("1.1");
        assertThat(Tracing.protocolVersion("HTTP/1.0")).isEqualTo("1.0");
        assertThat(Tracing.protocolVersion("HTTP/2.0")).isEqualTo("2");
        assertThat(Tracing.redactQuery("a=1&sig=abc&Signature=x&b=2")).isEqualTo("a=1&sig=REDACTED&Signature=REDACTED&b=2");
        assertThat(Tracing.redactQuery("X-Goog-Signature=zz")).isEqualTo("X-Goog-Signature=REDACTED");
        assertThat(Tracing.redactQuery("sort=asc&&x")).isEqualTo("sort=asc&&x");
        assertThat(Tracing.redactQuery("")).isEqualTo("");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Transport.class)
    void client_chosen_text_is_clipped_before_export(Transport transport) {
        try (Spans spans = new Spans(); Client client = spans.start(transport, app(spans, new HashMap<>()))) {
            client.request(Method.GET, "/nowhere?" + "q=" + "x".repeat(5000)).header("user-agent", "u".repeat(5000)).send();
            SpanData span = spans.one();
            assertThat(attr(span, "user_agent.original")).hasSize(2048);
            assertThat(attr(span, "url.query")).hasSize(2048);
        }
    }
}
