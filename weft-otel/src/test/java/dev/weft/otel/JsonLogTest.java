package dev.weft.otel;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import dev.weft.extract.PathParam;
import dev.weft.middleware.RequestId;
import dev.weft.routing.Router;
import dev.weft.test.Client;
import dev.weft.test.TestResponse;
import dev.weft.test.Transport;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Logback configuration of docs/tracing.md ({@code logback-json.xml}): every line a request's
 * handler logs is one JSON object holding the request id and the trace and span ids.
 */
class JsonLogTest {
    private static final Logger LOG = LoggerFactory.getLogger("dev.weft.otel.json");

    /** The encoder the documented configuration sets up, read with Logback's own configurator. */
    @SuppressWarnings("unchecked")
    private static Encoder<ILoggingEvent> documentedEncoder() throws Exception {
        LoggerContext context = new LoggerContext();
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(JsonLogTest.class.getResource("/logback-json.xml"));
        var appender = (OutputStreamAppender<ILoggingEvent>)
                context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender("JSON");
        return appender.getEncoder();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Transport.class)
    void every_line_of_a_request_is_json_with_the_request_id_and_the_trace_id(Transport transport) throws Exception {
        Encoder<ILoggingEvent> encoder = documentedEncoder();
        try (Spans spans = new Spans(); Logs logs = new Logs("dev.weft.otel.json", Level.INFO)) {
            Router router = Router.builder()
                    .layer(RequestId.create())
                    .layer(spans.tracing)
                    .get("/todos/{id}", PathParam.string("id"), id -> {
                        LOG.info("loading todo {}", id);
                        // hostile text in a message: quotes, a backslash, a newline, a control character
                        LOG.warn("odd \"title\" \\ with\na line break and \u0001");
                        return "ok";
                    })
                    .build();
            try (Client client = spans.start(transport, router)) {
                TestResponse response = client.get("/todos/9");
                SpanData span = spans.one();
                List<ILoggingEvent> events = logs.events();
                assertThat(events).hasSize(2);
                for (ILoggingEvent event : events) {
                    String line = new String(encoder.encode(event), StandardCharsets.UTF_8);
                    assertThat(line).endsWith("\n").doesNotContain("\n\n");
                    assertThat(line.strip()).doesNotContain("\n"); // one line per event
                    JsonNode json = JsonMapper.shared().readTree(line);
                    JsonNode mdc = json.get("mdc");
                    assertThat(mdc.get("request_id").asString()).isEqualTo(response.header("x-request-id").orElseThrow());
                    assertThat(mdc.get("trace_id").asString()).isEqualTo(span.getTraceId());
                    assertThat(mdc.get("span_id").asString()).isEqualTo(span.getSpanId());
                    assertThat(json.get("level").asString()).isIn("INFO", "WARN");
                }
                JsonNode first = JsonMapper.shared().readTree(encoder.encode(events.get(0)));
                assertThat(first.get("formattedMessage").asString()).isEqualTo("loading todo 9");
                JsonNode hostile = JsonMapper.shared().readTree(encoder.encode(events.get(1)));
                assertThat(hostile.get("formattedMessage").asString())
                        .isEqualTo("odd \"title\" \\ with\na line break and \u0001");
            }
        }
    }
}
