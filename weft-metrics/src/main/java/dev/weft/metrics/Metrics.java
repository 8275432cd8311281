package dev.weft.metrics;

import dev.weft.extract.Header;
import dev.weft.middleware.Middleware;
import dev.weft.response.Response;
import dev.weft.response.Status;
import dev.weft.routing.Router;
import dev.weft.server.InvalidConfigException;
import dev.weft.server.RunningServer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.netty4.NettyAllocatorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.java21.instrument.binder.jdk.VirtualThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.buffer.PooledByteBufAllocator;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;

/**
 * Micrometer metrics for a Weft app: a middleware {@link #layer()} recording HTTP meters named
 * by the OpenTelemetry semantic conventions, the engine's counters of the servers you
 * {@link #bind}, JVM, virtual-thread and Netty allocator meters, a cardinality guard, and a
 * Prometheus scrape endpoint ({@link #router()}).
 *
 * {@snippet class=dev.weft.metrics.MetricsExamples region=admin}
 *
 * <table class="striped">
 *   <caption>Options</caption>
 *   <thead><tr><th>option</th><th>default</th><th>meaning</th></tr></thead>
 *   <tbody>
 *   <tr><td>{@link Builder#registry}</td><td>a new {@link PrometheusMeterRegistry}</td><td>where meters go;
 *       {@link #router()} needs a Prometheus registry (directly or inside a composite)</td></tr>
 *   <tr><td>{@link Builder#commonTag}</td><td>none</td><td>a tag on every meter (service name, region)</td></tr>
 *   <tr><td>{@link Builder#maxTagValues}</td><td>{@code http.route}: 1000 on {@code http.server.*}</td>
 *       <td>distinct values a tag may take on meters whose name starts with a prefix; later values
 *       are recorded as {@code _OTHER} and a warning is logged once</td></tr>
 *   <tr><td>{@link Builder#jvmMetrics}</td><td>on</td><td>memory, GC, threads, class loading, processor, uptime</td></tr>
 *   <tr><td>{@link Builder#virtualThreadMetrics}</td><td>on</td><td>{@code jvm.threads.virtual.*}: pinned
 *       threads (a JFR stream), submit failures, scheduler gauges</td></tr>
 *   <tr><td>{@link Builder#nettyMetrics}</td><td>on</td><td>{@code netty.allocator.*} of the default allocator</td></tr>
 *   <tr><td>{@link Builder#path}</td><td>{@code /metrics}</td><td>where {@link #router()} serves the scrape</td></tr>
 *   </tbody>
 * </table>
 *
 * <p>One {@code Metrics} is one value holding its meters: put its {@link #layer()} on the root
 * router of the app, serve its {@link #router()} (on an admin port or nested), and {@link #close()}
 * it when the app stops (it ends the JFR stream of the virtual-thread meters).
 */
public final class Metrics implements AutoCloseable {
    /** Prometheus text format 0.0.4: what a scraper gets unless it asks for OpenMetrics. */
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    /** OpenMetrics 1.0 (the format that carries exemplars). */
    static final String OPENMETRICS_TEXT = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    private final MeterRegistry registry;
    private final PrometheusMeterRegistry prometheus;
    private final boolean ownsRegistry;
    private final String path;
    private final HttpMeters http;
    private final EngineMeters engine;
    private final List<AutoCloseable> closeables = new ArrayList<>();

    private Metrics(Builder b) {
        this.ownsRegistry = b.registry == null;
        // Its own registry takes exemplars (trace and span ids, OpenMetrics only) from a tracing layer.
        this.registry = ownsRegistry ? new PrometheusMeterRegistry(PrometheusConfig.DEFAULT,
                new io.prometheus.metrics.model.registry.PrometheusRegistry(), io.micrometer.core.instrument.Clock.SYSTEM,
                new MdcSpanContext()) : b.registry;
        this.prometheus = findPrometheus(registry);
        this.path = b.path;
        // Filters first: a meter registered before a filter is not seen by it.
        if (!b.commonTags.isEmpty()) {
            List<Tag> tags = new ArrayList<>();
            b.commonTags.forEach((k, v) -> tags.add(Tag.of(k, v)));
            registry.config().meterFilter(MeterFilter.commonTags(tags));
        }
        for (Builder.Cap cap : b.caps.values()) {
            registry.config().meterFilter(new CardinalityGuard(cap.prefix(), cap.tag(), cap.max()));
        }
        this.http = new HttpMeters(registry);
        this.engine = new EngineMeters(registry);
        Gauge.builder("weft.build.info", () -> 1)
                .description("Weft and Java versions (the value is always 1)")
                .tags("version", weftVersion(), "java.version", Runtime.version().toString())
                .strongReference(true)
                .register(registry);
        if (b.jvm) {
            new JvmMemoryMetrics().bindTo(registry);
            JvmGcMetrics gc = new JvmGcMetrics();
            gc.bindTo(registry);
            closeables.add(gc);
            new JvmThreadMetrics().bindTo(registry);
            new ClassLoaderMetrics().bindTo(registry);
            new ProcessorMetrics().bindTo(registry);
            new UptimeMetrics().bindTo(registry);
        }
        if (b.virtualThreads) {
            VirtualThreadMetrics vt = new VirtualThreadMetrics();
            vt.bindTo(registry);
            closeables.add(vt);
        }
        if (b.netty) {
            // Weft's connections use Netty's default allocator (adaptive in Netty 4.2); the pooled
            // one is bound too when it is the default, through the same provider interface.
            if (ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider provider) {
                new NettyAllocatorMetrics(provider).bindTo(registry);
            } else {
                new NettyAllocatorMetrics(PooledByteBufAllocator.DEFAULT).bindTo(registry);
            }
        }
    }

    /** Metrics with every default: a new Prometheus registry, JVM, virtual-thread and Netty meters. */
    public static Metrics create() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The registry meters go to: add your own meters here. */
    public MeterRegistry registry() {
        return registry;
    }

    /**
     * The HTTP layer: put it on the ROOT router ({@code Router.builder().layer(metrics.layer())})
     * so it sees every request, matched or not; it is one value shared by every route it wraps.
     */
    public Middleware layer() {
        return http;
    }

    /**
     * Adds the engine counters of {@code server} (open connections by protocol, WebSocket
     * sessions, event streams, requests refused by reason) to this registry's engine meters.
     * Several servers are summed. Returns {@code server}.
     */
    public RunningServer bind(RunningServer server) {
        engine.add(Objects.requireNonNull(server, "server"));
        return server;
    }

    /**
     * Adds the counters of {@code diagnostics}: {@code weft.virtualthreads.pinned} and
     * {@code weft.virtualthreads.submit.failed} (JFR events seen),
     * {@code weft.eventloop.lag.max} (seconds, the worst lag of any event loop so far, as a gauge),
     * {@code weft.eventloop.stalls} and {@code weft.handlers.slow}. Returns {@code diagnostics}.
     */
    public dev.weft.diagnostics.Diagnostics bind(dev.weft.diagnostics.Diagnostics diagnostics) {
        Objects.requireNonNull(diagnostics, "diagnostics");
        io.micrometer.core.instrument.FunctionCounter.builder("weft.virtualthreads.pinned", diagnostics,
                        dev.weft.diagnostics.Diagnostics::pinnedCount)
                .description("Virtual threads that pinned their carrier longer than the threshold")
                .register(registry);
        io.micrometer.core.instrument.FunctionCounter.builder("weft.virtualthreads.submit.failed", diagnostics,
                        dev.weft.diagnostics.Diagnostics::submitFailedCount)
                .description("Virtual threads that could not be started or resumed")
                .register(registry);
        io.micrometer.core.instrument.FunctionCounter.builder("weft.eventloop.stalls", diagnostics,
                        dev.weft.diagnostics.Diagnostics::eventLoopStallCount)
                .description("Event-loop stalls past the lag threshold")
                .register(registry);
        io.micrometer.core.instrument.FunctionCounter.builder("weft.handlers.slow", diagnostics,
                        dev.weft.diagnostics.Diagnostics::slowHandlerCount)
                .description("Handlers that ran past the slow-handler threshold")
                .register(registry);
        io.micrometer.core.instrument.Gauge.builder("weft.eventloop.lag.max", diagnostics,
                        d -> d.eventLoops().stream().mapToDouble(l -> l.max().toNanos() / 1e9).max().orElse(0))
                .description("The worst event-loop lag seen, in seconds")
                .baseUnit("seconds")
                .register(registry);
        return diagnostics;
    }

    /**
     * Adds the gauges and counters of {@code pool}, tagged {@code pool=<name>}:
     * {@code weft.offload.active}, {@code weft.offload.queued}, {@code weft.offload.rejected},
     * {@code weft.offload.completed}. Returns {@code pool}.
     */
    public dev.weft.offload.Offload bind(dev.weft.offload.Offload pool) {
        Objects.requireNonNull(pool, "pool");
        io.micrometer.core.instrument.Gauge.builder("weft.offload.active", pool, dev.weft.offload.Offload::active)
                .description("Offloaded tasks running").tag("pool", pool.name()).register(registry);
        io.micrometer.core.instrument.Gauge.builder("weft.offload.queued", pool, dev.weft.offload.Offload::queued)
                .description("Offloaded tasks waiting for a thread").tag("pool", pool.name()).register(registry);
        io.micrometer.core.instrument.FunctionCounter.builder("weft.offload.rejected", pool,
                        dev.weft.offload.Offload::rejected)
                .description("Offloaded tasks refused (503) because the pool and its queue were full")
                .tag("pool", pool.name()).register(registry);
        io.micrometer.core.instrument.FunctionCounter.builder("weft.offload.completed", pool,
                        dev.weft.offload.Offload::completed)
                .description("Offloaded tasks finished").tag("pool", pool.name()).register(registry);
        return pool;
    }

    /** Stops counting {@code server} (its counters leave the sums). */
    public void unbind(RunningServer server) {
        engine.remove(Objects.requireNonNull(server, "server"));
    }

    /**
     * A router serving {@code GET /metrics} (see {@link Builder#path}): the Prometheus text format
     * 0.0.4, or OpenMetrics 1.0 when the {@code Accept} header prefers
     * {@code application/openmetrics-text}. Serve it on an admin server or nest it.
     *
     * @throws IllegalStateException if the registry holds no {@link PrometheusMeterRegistry}
     */
    public Router router() {
        if (prometheus == null) {
            throw new IllegalStateException("the registry " + registry.getClass().getName()
                    + " holds no PrometheusMeterRegistry: there is nothing to scrape");
        }
        return Router.builder()
                .get(path, Header.optional("accept"), accept -> {
                    String type = negotiate(accept.orElse(""));
                    byte[] body = prometheus.scrape(type).getBytes(StandardCharsets.UTF_8);
                    return Response.bytes(Status.OK, type, body).withHeader("cache-control", "no-store");
                })
                .build();
    }

    /**
     * The format to answer {@code accept} with: OpenMetrics if the client gives
     * {@code application/openmetrics-text} a q-value above zero and at least that of any
     * {@code text/plain} or wildcard it also accepts; the Prometheus text format otherwise.
     */
    static String negotiate(String accept) {
        double openMetrics = -1;
        double other = -1;
        for (String range : accept.split(",")) {
            String[] parts = range.split(";");
            if (parts.length == 0) {
                continue; // ";;" splits to nothing
            }
            String type = parts[0].trim().toLowerCase(Locale.ROOT);
            double q = 1;
            for (int i = 1; i < parts.length; i++) {
                String p = parts[i].trim();
                if (p.length() > 2 && (p.startsWith("q=") || p.startsWith("Q="))) {
                    try {
                        q = Double.parseDouble(p.substring(2).trim());
                    } catch (NumberFormatException e) {
                        q = 0; // a malformed weight counts as "not acceptable", not as an error
                    }
                    if (!(q >= 0 && q <= 1)) {
                        q = 0;
                    }
                }
            }
            if (type.equals("application/openmetrics-text")) {
                openMetrics = Math.max(openMetrics, q);
            } else if (type.equals("text/plain") || type.equals("text/*") || type.equals("*/*")) {
                other = Math.max(other, q);
            }
        }
        return openMetrics > 0 && openMetrics >= other ? OPENMETRICS_TEXT : PROMETHEUS_TEXT;
    }

    /** Ends the virtual-thread JFR stream and the GC listeners; closes the registry if this made it. */
    @Override
    public void close() {
        for (AutoCloseable each : closeables) {
            try {
                each.close();
            } catch (Exception e) {
                org.slf4j.LoggerFactory.getLogger(Metrics.class).warn("closing {} failed", each, e);
            }
        }
        if (ownsRegistry) {
            registry.close();
        }
    }

    private static PrometheusMeterRegistry findPrometheus(MeterRegistry registry) {
        if (registry instanceof PrometheusMeterRegistry p) {
            return p;
        }
        if (registry instanceof CompositeMeterRegistry composite) {
            for (MeterRegistry each : composite.getRegistries()) {
                PrometheusMeterRegistry found = findPrometheus(each);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    static String weftVersion() {
        try (InputStream in = Metrics.class.getResourceAsStream("weft-metrics.properties")) {
            if (in != null) {
                Properties props = new Properties();
                props.load(in);
                return Optional.ofNullable(props.getProperty("version")).orElse("unknown");
            }
        } catch (IOException e) {
            // fall through: a build info gauge is not worth failing startup over
        }
        return "unknown";
    }

    /** Builds {@link Metrics}; {@link #build()} reports every problem at once. */
    public static final class Builder {
        private record Cap(String prefix, String tag, int max) {}

        private MeterRegistry registry;
        private final Map<String, String> commonTags = new LinkedHashMap<>();
        private final Map<String, Cap> caps = new LinkedHashMap<>();
        private boolean jvm = true;
        private boolean virtualThreads = true;
        private boolean netty = true;
        private String path = "/metrics";
        private final List<String> problems = new ArrayList<>();

        private Builder() {
            caps.put("http.server.\u0000http.route", new Cap("http.server.", "http.route", 1000));
        }

        /** Where meters go (default: a new {@link PrometheusMeterRegistry}, closed by {@link Metrics#close()}). */
        public Builder registry(MeterRegistry registry) {
            this.registry = registry;
            if (registry == null) {
                problems.add("registry must not be null");
            }
            return this;
        }

        /** A tag on every meter of the registry, e.g. {@code commonTag("service", "todo")}. */
        public Builder commonTag(String key, String value) {
            if (key == null || key.isBlank() || value == null) {
                problems.add("commonTag needs a non-blank key and a value, got " + key + "=" + value);
            } else {
                commonTags.put(key, value);
            }
            return this;
        }

        /**
         * Caps the distinct values of tag {@code tag} on meters whose name starts with
         * {@code meterPrefix} at {@code max}; later values are recorded as {@code _OTHER}.
         * Replaces the default cap of the same prefix and tag ({@code http.route} on
         * {@code http.server.}: 1000).
         */
        public Builder maxTagValues(String meterPrefix, String tag, int max) {
            if (meterPrefix == null || tag == null || tag.isBlank()) {
                problems.add("maxTagValues needs a meter prefix and a tag, got " + meterPrefix + ", " + tag);
            } else if (max < 1) {
                problems.add("maxTagValues for " + tag + " must be at least 1, got " + max);
            } else {
                caps.put(meterPrefix + '\u0000' + tag, new Cap(meterPrefix, tag, max));
            }
            return this;
        }

        /** Binds the JVM meters (memory, GC, threads, class loading, processor, uptime); default on. */
        public Builder jvmMetrics(boolean on) {
            this.jvm = on;
            return this;
        }

        /** Binds {@code jvm.threads.virtual.*} (a JFR stream for pinned threads); default on. */
        public Builder virtualThreadMetrics(boolean on) {
            this.virtualThreads = on;
            return this;
        }

        /** Binds the Netty allocator meters; default on. */
        public Builder nettyMetrics(boolean on) {
            this.netty = on;
            return this;
        }

        /** Where {@link Metrics#router()} serves the scrape; default {@code /metrics}. */
        public Builder path(String path) {
            if (path == null || !path.startsWith("/") || path.contains("{") || path.contains("*")) {
                problems.add("path must be a literal path starting with '/', got " + path);
            } else {
                this.path = path;
            }
            return this;
        }

        /** @throws InvalidConfigException listing every problem with the options */
        public Metrics build() {
            if (!problems.isEmpty()) {
                throw new InvalidConfigException(List.copyOf(problems));
            }
            return new Metrics(this);
        }
    }
}
