package dev.weft.otel;

import dev.weft.WeftException;
import dev.weft.http.ClientInfo;
import dev.weft.http.Request;
import dev.weft.internal.http.Completion;
import dev.weft.internal.http.HttpTokens;
import dev.weft.internal.http.ServerRequest;
import dev.weft.middleware.Middleware;
import dev.weft.middleware.Next;
import dev.weft.response.BodyOutput;
import dev.weft.response.BodyWriter;
import dev.weft.response.Response;
import dev.weft.response.ResponseBody;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.slf4j.MDC;

/**
 * Traces every request with OpenTelemetry: one {@link SpanKind#SERVER SERVER} span per request,
 * named {@code {METHOD} {route}} by the route template that matched ({@code GET /todos/{id}},
 * never the raw path), a child of the W3C {@code traceparent}/{@code tracestate} the client sent,
 * with the attributes of the OpenTelemetry HTTP semantic conventions. The span is current on the
 * handler's thread (so {@code Span.current()} and client instrumentation see it), its ids are in
 * the SLF4J MDC ({@code trace_id}, {@code span_id}, {@code trace_flags}), and it ends when the
 * exchange ends: after the last byte of a streamed body, not when the handler returns.
 *
 * {@snippet class=dev.weft.otel.TracingExamples region=setup}
 *
 * <p>Install it with {@code layer} on the <em>root</em> router: it then sees 404s and rejections
 * too, and reads the route template after routing. Without an OTLP endpoint {@link Builder#build()}
 * gives a disabled layer that only calls the next one, cheap enough to leave in. {@link #of}
 * uses an application's own {@link OpenTelemetry} (its SDK, exporters and propagators) instead.
 *
 * <table class="striped">
 *   <caption>Options</caption>
 *   <thead><tr><th>option</th><th>default</th><th>meaning</th></tr></thead>
 *   <tbody>
 *     <tr><td>{@code otlpEndpoint}</td><td>none: tracing off</td><td>the collector's OTLP/HTTP URL;
 *         a URL without a path gets {@code /v1/traces}</td></tr>
 *     <tr><td>{@code serviceName}</td><td>none (required with an endpoint)</td><td>the {@code service.name} resource attribute</td></tr>
 *     <tr><td>{@code serviceVersion}</td><td>none</td><td>the {@code service.version} resource attribute</td></tr>
 *     <tr><td>{@code header}</td><td>none</td><td>a header sent with every export (a collector's token)</td></tr>
 *     <tr><td>{@code sampleRatio}</td><td>1.0</td><td>share of new traces kept (0 to 1); a request
 *         with a {@code traceparent} follows the caller's decision</td></tr>
 *     <tr><td>{@code exportTimeout}</td><td>10 s</td><td>longest wait for one export</td></tr>
 *     <tr><td>{@code scheduleDelay}</td><td>5 s</td><td>longest time a finished span waits for its batch</td></tr>
 *     <tr><td>{@code maxQueueSize}</td><td>2048</td><td>finished spans kept for export; beyond it new ones are dropped</td></tr>
 *     <tr><td>{@code maxExportBatchSize}</td><td>512</td><td>spans per export (at most {@code maxQueueSize})</td></tr>
 *   </tbody>
 * </table>
 *
 * <p>Export uses OTLP over HTTP with protobuf bodies, sent by the JDK's own HTTP client
 * ({@code opentelemetry-exporter-sender-jdk}; no OkHttp or Kotlin on the class path). A collector
 * that is down costs dropped spans, never a slow request: spans are exported in the background.
 */
public final class Tracing implements Middleware, AutoCloseable {
    /** The instrumentation scope of the spans. */
    public static final String SCOPE = "dev.weft.otel";
    static final String MDC_TRACE_ID = "trace_id";
    static final String MDC_SPAN_ID = "span_id";
    static final String MDC_TRACE_FLAGS = "trace_flags";

    private static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
    private static final AttributeKey<String> METHOD_ORIGINAL = AttributeKey.stringKey("http.request.method_original");
    private static final AttributeKey<String> URL_PATH = AttributeKey.stringKey("url.path");
    private static final AttributeKey<String> URL_QUERY = AttributeKey.stringKey("url.query");
    private static final AttributeKey<String> URL_SCHEME = AttributeKey.stringKey("url.scheme");
    private static final AttributeKey<String> ROUTE = AttributeKey.stringKey("http.route");
    private static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");
    private static final AttributeKey<String> PROTOCOL_VERSION = AttributeKey.stringKey("network.protocol.version");
    private static final AttributeKey<String> CLIENT_ADDRESS = AttributeKey.stringKey("client.address");
    private static final AttributeKey<String> PEER_ADDRESS = AttributeKey.stringKey("network.peer.address");
    private static final AttributeKey<Long> PEER_PORT = AttributeKey.longKey("network.peer.port");
    private static final AttributeKey<String> USER_AGENT = AttributeKey.stringKey("user_agent.original");
    private static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
    private static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
    private static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
    private static final AttributeKey<Boolean> ABORTED = AttributeKey.booleanKey("weft.response.aborted");
    /** The RFC 9110 methods and PATCH; any other is {@code _OTHER} (semantic conventions). */
    private static final Set<String> KNOWN_METHODS =
            Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH");
    /** Query parameters the semantic conventions ask to redact: signed URLs carry credentials in them. */
    private static final Set<String> SENSITIVE_QUERY_KEYS = Set.of("AWSAccessKeyId", "Signature", "sig", "X-Goog-Signature");
    private static final String USER_AGENT_HEADER = "user-agent";
    private static final int MAX_ATTRIBUTE_CHARS = 2048;

    private final boolean enabled;
    private final Tracer tracer;
    private final TextMapPropagator propagator;
    private final OpenTelemetry openTelemetry;
    /** The provider this layer built and must shut down; null when the app brought its own. */
    private final SdkTracerProvider owned;

    private Tracing(boolean enabled, OpenTelemetry openTelemetry, SdkTracerProvider owned) {
        this.enabled = enabled;
        this.openTelemetry = openTelemetry;
        this.tracer = openTelemetry.getTracer(SCOPE);
        this.propagator = openTelemetry.getPropagators().getTextMapPropagator();
        this.owned = owned;
    }

    /** Options built one by one; {@link Builder#build()} checks them all. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Traces with an application's own {@link OpenTelemetry} (its tracer provider, sampler,
     * exporters and propagators). {@link #close()} leaves it open: the application owns it.
     */
    public static Tracing of(OpenTelemetry openTelemetry) {
        return new Tracing(true, Objects.requireNonNull(openTelemetry, "openTelemetry"), null);
    }

    /** A layer that traces nothing and only calls the next one. */
    public static Tracing disabled() {
        return new Tracing(false, OpenTelemetry.noop(), null);
    }

    /** Whether this layer makes spans (false without an OTLP endpoint). */
    public boolean enabled() {
        return enabled;
    }

    /** The OpenTelemetry this layer traces with ({@link OpenTelemetry#noop()} when disabled). */
    public OpenTelemetry openTelemetry() {
        return openTelemetry;
    }

    @Override
    public Response handle(Request request, Next next) throws Exception {
        if (!enabled) {
            return next.run(request);
        }
        ServerRequest server = (ServerRequest) request; // Request is sealed
        Context parent = propagator.extract(Context.root(), request, HEADERS);
        String method = request.method().name();
        boolean known = KNOWN_METHODS.contains(method);
        Span span = tracer.spanBuilder(known ? method : "HTTP")
                .setSpanKind(SpanKind.SERVER)
                .setParent(parent)
                .setAllAttributes(requestAttributes(request, method, known))
                .startSpan();
        Context context = parent.with(span);
        Outcome outcome = new Outcome();
        // Registered before the handler runs, so a client that leaves meanwhile still ends the span.
        server.onComplete(done -> end(span, outcome, done));
        MdcIds ids = MdcIds.of(span.getSpanContext());
        Response response;
        try (Scope ignored = context.makeCurrent(); MdcIds.Restore restore = ids.put()) {
            response = next.run(request);
        } catch (Throwable failure) {
            // Weft turns failures into responses before a layer sees them; this is a layer's own bug.
            span.recordException(failure);
            throw failure;
        }
        Optional<String> route = request.matchedPath();
        if (route.isPresent()) {
            String template = route.get();
            span.setAttribute(ROUTE, template);
            span.updateName((known ? method : "HTTP") + " " + template);
        }
        Throwable failure = server.failure();
        if (failure != null) {
            span.recordException(failure);
            outcome.errorType = failure.getClass().getName();
        }
        if (response.body() instanceof ResponseBody.Streaming streaming) {
            // Written after this method returns, maybe on another thread: the writer's logs and
            // calls belong to this span too.
            response = response.withBody(new ResponseBody.Streaming(
                    new Traced(streaming.writer(), context, ids, span, outcome), streaming.length()));
        }
        return response;
    }

    /** Ends {@code span} with what became of the exchange; on the thread that ended it (an event loop). */
    private static void end(Span span, Outcome outcome, Completion done) {
        int status = done.status();
        if (status != 0) {
            span.setAttribute(STATUS, (long) status);
        }
        String errorType = outcome.errorType;
        if (status >= 500) {
            span.setStatus(StatusCode.ERROR);
            // the exception's class when one became this answer; the status code otherwise
            span.setAttribute(ERROR_TYPE, errorType != null ? errorType : Integer.toString(status));
        } else if (errorType != null) {
            span.setAttribute(ERROR_TYPE, errorType); // a body writer failed after a 2xx head
        }
        if (done.aborted()) {
            // The client left or the body was cut off: not an error of the server's (semantic conventions).
            span.setAttribute(ABORTED, true);
        }
        span.end();
    }

    private static Attributes requestAttributes(Request request, String method, boolean known) {
        AttributesBuilder attributes = Attributes.builder();
        if (known) {
            attributes.put(METHOD, method);
        } else {
            attributes.put(METHOD, "_OTHER");
            attributes.put(METHOD_ORIGINAL, clip(method));
        }
        ClientInfo client = request.client();
        attributes.put(URL_PATH, clip(request.path()));
        request.rawQuery().ifPresent(query -> attributes.put(URL_QUERY, clip(redactQuery(query))));
        attributes.put(URL_SCHEME, client.scheme());
        attributes.put(PROTOCOL_VERSION, protocolVersion(request.protocol()));
        attributes.put(CLIENT_ADDRESS, client.address().getHostAddress());
        InetSocketAddress peer = request.remoteAddress();
        if (peer != null && peer.getAddress() != null) {
            attributes.put(PEER_ADDRESS, peer.getAddress().getHostAddress());
            attributes.put(PEER_PORT, (long) peer.getPort());
        }
        request.header(USER_AGENT_HEADER).ifPresent(agent -> attributes.put(USER_AGENT, clip(agent)));
        client.host().ifPresent(host -> serverAddress(attributes, host, client.secure()));
        return attributes.build();
    }

    /** {@code host[:port]} or {@code [v6][:port]} into {@code server.address} and {@code server.port}. */
    private static void serverAddress(AttributesBuilder attributes, String host, boolean secure) {
        String name = host;
        long port = secure ? 443 : 80;
        int colon = host.lastIndexOf(':');
        int bracket = host.lastIndexOf(']');
        if (colon > bracket && colon > 0) {
            name = host.substring(0, colon);
            try {
                port = Integer.parseInt(host.substring(colon + 1));
            } catch (NumberFormatException e) {
                return; // not a port: Weft's Host checks let nothing like it through, but don't guess
            }
        }
        if (name.startsWith("[") && name.endsWith("]")) {
            name = name.substring(1, name.length() - 1);
        }
        attributes.put(SERVER_ADDRESS, clip(name));
        attributes.put(SERVER_PORT, port);
    }

    /** {@code HTTP/1.1} → {@code 1.1}, {@code HTTP/2.0} → {@code 2} (the semantic conventions' form). */
    static String protocolVersion(String protocol) {
        String version = protocol.startsWith("HTTP/") ? protocol.substring(5) : protocol;
        return switch (version) {
            case "2.0" -> "2";
            case "3.0" -> "3";
            default -> version;
        };
    }

    /** {@code query} with the values of {@link #SENSITIVE_QUERY_KEYS} replaced by {@code REDACTED}. */
    static String redactQuery(String query) {
        StringBuilder out = null;
        int start = 0;
        while (start <= query.length()) {
            int amp = query.indexOf('&', start);
            int end = amp < 0 ? query.length() : amp;
            int eq = query.indexOf('=', start);
            if (eq >= 0 && eq < end && SENSITIVE_QUERY_KEYS.contains(query.substring(start, eq))) {
                if (out == null) {
                    out = new StringBuilder(query.length()).append(query, 0, start);
                }
                out.append(query, start, eq + 1).append("REDACTED");
            } else if (out != null) {
                out.append(query, start, end);
            }
            if (amp < 0) {
                break;
            }
            if (out != null) {
                out.append('&');
            }
            start = amp + 1;
        }
        return out == null ? query : out.toString();
    }

    /** Client-chosen text is cut to a bounded length before it is exported. */
    private static String clip(String value) {
        return value.length() <= MAX_ATTRIBUTE_CHARS ? value : value.substring(0, MAX_ATTRIBUTE_CHARS);
    }

    /**
     * Writes the propagation headers ({@code traceparent}, {@code tracestate}, {@code baggage})
     * of the current context to an outgoing request, e.g. {@code tracing.inject(builder::header)}
     * for a {@code java.net.http.HttpRequest.Builder}. Writes nothing when disabled or when no
     * span is current.
     */
    public void inject(BiConsumer<String, String> header) {
        Objects.requireNonNull(header, "header");
        propagator.inject(Context.current(), header, (setter, name, value) -> setter.accept(name, value));
    }

    /**
     * {@code task}, run with the OpenTelemetry context and the SLF4J MDC of the caller, whichever
     * thread runs it: for work handed to an executor, whose threads would otherwise see neither.
     */
    public static Runnable wrap(Runnable task) {
        Objects.requireNonNull(task, "task");
        Runnable traced = Context.current().wrap(task);
        Map<String, String> mdc = MDC.getCopyOfContextMap();
        return () -> {
            Map<String, String> previous = MDC.getCopyOfContextMap();
            setMdc(mdc);
            try {
                traced.run();
            } finally {
                setMdc(previous);
            }
        };
    }

    /** {@link #wrap(Runnable)} for a task with a result. */
    public static <T> Callable<T> wrap(Callable<T> task) {
        Objects.requireNonNull(task, "task");
        Callable<T> traced = Context.current().wrap(task);
        Map<String, String> mdc = MDC.getCopyOfContextMap();
        return () -> {
            Map<String, String> previous = MDC.getCopyOfContextMap();
            setMdc(mdc);
            try {
                return traced.call();
            } finally {
                setMdc(previous);
            }
        };
    }

    /**
     * {@code executor}, running every task with the submitter's OpenTelemetry context
     * ({@link Context#taskWrapping(ExecutorService)}); the MDC is not carried: use {@link #wrap(Runnable)}
     * for that.
     */
    public static ExecutorService wrap(ExecutorService executor) {
        return Context.taskWrapping(Objects.requireNonNull(executor, "executor"));
    }

    private static void setMdc(Map<String, String> values) {
        if (values == null) {
            MDC.clear();
        } else {
            MDC.setContextMap(values);
        }
    }

    /**
     * Exports the spans still queued and shuts down the tracer provider this layer built (waiting
     * up to 10 s). Does nothing for {@link #of} (the application owns its SDK) or when disabled.
     */
    @Override
    public void close() {
        if (owned != null) {
            owned.shutdown().join(10, TimeUnit.SECONDS);
        }
    }

    @Override
    public String name() {
        return enabled ? "Tracing" : "Tracing (disabled)";
    }

    @Override
    public Kind kind() {
        return Kind.OTHER;
    }

    /** Reads a request's headers for the propagator. */
    private static final TextMapGetter<Request> HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Request carrier) {
            return carrier.headers().names();
        }

        @Override
        public String get(Request carrier, String key) {
            if (carrier == null) {
                return null;
            }
            List<String> values = carrier.headers().all(key);
            if (values.isEmpty()) {
                return null;
            }
            if (values.size() == 1) {
                return values.getFirst();
            }
            // Several traceparent lines cannot be told apart: treat them as none (a new trace).
            // Other fields (tracestate, baggage) are lists that may be split over lines (RFC 9110 §5.3).
            return key.equalsIgnoreCase("traceparent") ? null : String.join(",", values);
        }
    };

    /** The span's ids as the MDC keys hold them. */
    private record MdcIds(String traceId, String spanId, String flags) {
        static MdcIds of(SpanContext context) {
            return new MdcIds(context.getTraceId(), context.getSpanId(), context.getTraceFlags().asHex());
        }

        Restore put() {
            Restore restore = new Restore(MDC.get(MDC_TRACE_ID), MDC.get(MDC_SPAN_ID), MDC.get(MDC_TRACE_FLAGS));
            MDC.put(MDC_TRACE_ID, traceId);
            MDC.put(MDC_SPAN_ID, spanId);
            MDC.put(MDC_TRACE_FLAGS, flags);
            return restore;
        }

        /** Puts back what the MDC held before (usually nothing), so no id leaks to the thread's next task. */
        record Restore(String traceId, String spanId, String flags) implements AutoCloseable {
            @Override
            public void close() {
                restore(MDC_TRACE_ID, traceId);
                restore(MDC_SPAN_ID, spanId);
                restore(MDC_TRACE_FLAGS, flags);
            }

            private static void restore(String key, String value) {
                if (value == null) {
                    MDC.remove(key);
                } else {
                    MDC.put(key, value);
                }
            }
        }
    }

    /** What the span learns after the handler returned, read when the exchange ends (on another thread). */
    private static final class Outcome {
        volatile String errorType;
    }

    /** A body writer that writes with the request's span current and its ids in the MDC. */
    private record Traced(BodyWriter writer, Context context, MdcIds ids, Span span, Outcome outcome)
            implements BodyWriter {
        @Override
        public void writeTo(BodyOutput out) throws IOException {
            try (Scope ignored = context.makeCurrent(); MdcIds.Restore restore = ids.put()) {
                writer.writeTo(out);
            } catch (IOException | RuntimeException | Error failure) {
                span.recordException(failure);
                outcome.errorType = failure.getClass().getName();
                throw failure;
            }
        }

        @Override
        public void discard() {
            writer.discard();
        }
    }

    /** Options built one by one; {@link #build()} checks them all. */
    public static final class Builder {
        private URI endpoint;
        private String serviceName;
        private String serviceVersion;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private double sampleRatio = 1.0;
        private Duration exportTimeout = Duration.ofSeconds(10);
        private Duration scheduleDelay = Duration.ofSeconds(5);
        private int maxQueueSize = 2048;
        private int maxExportBatchSize = 512;

        private Builder() {}

        /** The collector's OTLP/HTTP URL, e.g. {@code http://collector:4318}; without it tracing is off. */
        public Builder otlpEndpoint(URI endpoint) {
            this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
            return this;
        }

        /** {@link #otlpEndpoint(URI)} if present; empty leaves tracing off (an optional setting). */
        public Builder otlpEndpoint(Optional<URI> endpoint) {
            this.endpoint = endpoint.orElse(null);
            return this;
        }

        /** The {@code service.name} the spans are reported under; required with an endpoint. */
        public Builder serviceName(String name) {
            this.serviceName = Objects.requireNonNull(name, "name");
            return this;
        }

        /** The {@code service.version} resource attribute. */
        public Builder serviceVersion(String version) {
            this.serviceVersion = Objects.requireNonNull(version, "version");
            return this;
        }

        /** A header sent with every export, e.g. the collector's {@code authorization}. */
        public Builder header(String name, String value) {
            headers.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** The share of new traces sampled, 0 to 1; default 1 (every one). */
        public Builder sampleRatio(double ratio) {
            this.sampleRatio = ratio;
            return this;
        }

        /** Longest wait for one export; default 10 s. */
        public Builder exportTimeout(Duration timeout) {
            this.exportTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** Longest time a finished span waits before its batch is sent; default 5 s. */
        public Builder scheduleDelay(Duration delay) {
            this.scheduleDelay = Objects.requireNonNull(delay, "delay");
            return this;
        }

        /** Finished spans kept while waiting for export; more are dropped. Default 2048. */
        public Builder maxQueueSize(int spans) {
            this.maxQueueSize = spans;
            return this;
        }

        /** Spans sent in one export; default 512, at most {@code maxQueueSize}. */
        public Builder maxExportBatchSize(int spans) {
            this.maxExportBatchSize = spans;
            return this;
        }

        /**
         * The layer: tracing to the OTLP endpoint, or {@linkplain Tracing#disabled() disabled}
         * when none was given.
         *
         * @throws WeftException listing every invalid option, one per line
         */
        public Tracing build() {
            List<String> problems = new ArrayList<>();
            URI traces = endpoint == null ? null : tracesUrl(endpoint, problems);
            if (endpoint != null && (serviceName == null || serviceName.isBlank())) {
                problems.add("serviceName is required with an otlpEndpoint");
            }
            if (serviceName != null && serviceName.isBlank()) {
                problems.add("serviceName must not be blank");
            }
            if (!(sampleRatio >= 0 && sampleRatio <= 1)) {
                problems.add("sampleRatio must be between 0 and 1, got " + sampleRatio);
            }
            positive(problems, "exportTimeout", exportTimeout);
            positive(problems, "scheduleDelay", scheduleDelay);
            if (maxQueueSize <= 0) {
                problems.add("maxQueueSize must be positive, got " + maxQueueSize);
            }
            if (maxExportBatchSize <= 0) {
                problems.add("maxExportBatchSize must be positive, got " + maxExportBatchSize);
            } else if (maxQueueSize > 0 && maxExportBatchSize > maxQueueSize) {
                problems.add("maxExportBatchSize (" + maxExportBatchSize + ") must not exceed maxQueueSize ("
                        + maxQueueSize + ")");
            }
            headers.forEach((name, value) -> {
                if (!HttpTokens.isToken(name)) {
                    problems.add("header: '" + name + "' is not an HTTP token");
                }
                if (value.chars().anyMatch(c -> c == '\r' || c == '\n' || c == 0)) {
                    problems.add("header " + name + ": the value holds CR, LF or NUL");
                }
            });
            if (!problems.isEmpty()) {
                throw new WeftException("invalid Tracing options:\n  - " + String.join("\n  - ", problems));
            }
            if (traces == null) {
                return disabled();
            }
            OtlpHttpSpanExporterBuilder exporter = OtlpHttpSpanExporter.builder()
                    .setEndpoint(traces.toString())
                    .setTimeout(exportTimeout);
            headers.forEach(exporter::addHeader);
            var resource = Resource.getDefault().toBuilder().put("service.name", serviceName);
            if (serviceVersion != null) {
                resource.put("service.version", serviceVersion);
            }
            SdkTracerProvider provider = SdkTracerProvider.builder()
                    .setResource(resource.build())
                    .setSampler(Sampler.parentBased(Sampler.traceIdRatioBased(sampleRatio)))
                    .addSpanProcessor(BatchSpanProcessor.builder(exporter.build())
                            .setScheduleDelay(scheduleDelay)
                            .setMaxQueueSize(maxQueueSize)
                            .setMaxExportBatchSize(maxExportBatchSize)
                            .setExporterTimeout(exportTimeout)
                            .build())
                    .build();
            OpenTelemetry sdk = OpenTelemetrySdk.builder()
                    .setTracerProvider(provider)
                    .setPropagators(ContextPropagators.create(TextMapPropagator.composite(
                            W3CTraceContextPropagator.getInstance(), W3CBaggagePropagator.getInstance())))
                    .build();
            return new Tracing(true, sdk, provider);
        }

        /** The URL spans are posted to: {@code endpoint} itself, or with {@code /v1/traces} when it has no path. */
        private static URI tracesUrl(URI endpoint, List<String> problems) {
            // First, and without echoing the URL: a password in it would end up in logs.
            if (endpoint.getRawUserInfo() != null) {
                problems.add("otlpEndpoint must not hold user info: pass credentials with header(...)");
                return null;
            }
            String scheme = endpoint.getScheme();
            if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
                problems.add("otlpEndpoint must be an http or https URL, got '" + endpoint + "'");
                return null;
            }
            if (endpoint.getHost() == null) {
                problems.add("otlpEndpoint has no host: '" + endpoint + "'");
                return null;
            }
            if (endpoint.getRawQuery() != null || endpoint.getRawFragment() != null) {
                problems.add("otlpEndpoint must not have a query or fragment: '" + endpoint + "'");
                return null;
            }
            String path = endpoint.getRawPath();
            return path == null || path.isEmpty() || path.equals("/")
                    ? URI.create(endpoint.getScheme() + "://" + endpoint.getRawAuthority() + "/v1/traces")
                    : endpoint;
        }

        private static void positive(List<String> problems, String name, Duration value) {
            if (value.isNegative() || value.isZero()) {
                problems.add(name + " must be positive, got " + value);
            }
        }
    }
}
