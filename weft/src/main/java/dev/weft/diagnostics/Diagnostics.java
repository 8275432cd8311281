package dev.weft.diagnostics;

import dev.weft.WeftException;
import dev.weft.http.Request;
import dev.weft.internal.netty.LagProbe;
import dev.weft.middleware.Middleware;
import dev.weft.middleware.Next;
import dev.weft.response.Response;
import dev.weft.routing.Router;
import dev.weft.server.RunningServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Blocking diagnostics, Weft's answer to tokio-console: what blocks a carrier, an event loop or
 * a request, reported while it happens, with the stack that did it.
 *
 * <ul>
 *   <li><b>Pinned virtual threads</b>: an in-process JFR stream of {@code jdk.VirtualThreadPinned}
 *   (over {@code pinningThreshold}) and {@code jdk.VirtualThreadSubmitFailed}; each is counted
 *   ({@link #pinnedCount()}, {@link #submitFailedCount()}) and logged at WARN with its stack, one
 *   line per distinct stack per {@code logInterval}. On JDK 24+ {@code synchronized} no longer
 *   pins (JEP 491): what still pins is blocking inside a class initializer or under a native frame.</li>
 *   <li><b>Event-loop lag</b>: for each server given to {@link #watch}, a probe on every event
 *   loop every {@code eventLoopProbeInterval} measures how late the loop runs it
 *   ({@link #eventLoops()}); a watchdog thread that finds a probe overdue by more than
 *   {@code eventLoopLagThreshold} takes the loop thread's stack, while it is still blocked, and
 *   logs it once per stall.</li>
 *   <li><b>Slow handlers</b>: {@link #layer()} records every request while its handler runs; one
 *   still running after {@code slowHandler} has its thread's stack logged, once.</li>
 *   <li><b>In-flight requests</b>: {@link #inFlight()} and {@link #router()}'s
 *   {@code GET /debug/requests}, the oldest first.</li>
 * </ul>
 *
 * {@snippet class=dev.weft.diagnostics.DiagnosticsExamples region=setup}
 *
 * <p><b>Switched on by the application.</b> Nothing runs until {@link #start()} (or
 * {@link #watch}); the server itself is unchanged. Once started, every part is on by default:
 * the JFR stream costs under 1% (JEP 349's goal; it only records two rare events), the lag probe
 * is one tiny task per loop per 100 ms, the layer two map operations per request. Each part can
 * be turned off. When JFR cannot run (a jlink image without {@code jdk.jfr}, a read-only
 * {@code java.io.tmpdir}) the pinning monitor is disabled with one INFO line; the rest works.
 *
 * <table class="striped">
 *   <caption>Options</caption>
 *   <thead><tr><th>option</th><th>default</th><th>meaning</th></tr></thead>
 *   <tbody>
 *   <tr><td>{@code pinning}</td><td>true</td><td>run the JFR stream of pinned threads and failed virtual-thread starts</td></tr>
 *   <tr><td>{@code pinningThreshold}</td><td>20 ms</td><td>report a pin that lasted longer (JFR's own default)</td></tr>
 *   <tr><td>{@code eventLoopProbe}</td><td>true</td><td>probe the event loops of servers given to {@code watch}</td></tr>
 *   <tr><td>{@code eventLoopProbeInterval}</td><td>100 ms</td><td>how often each loop runs the probe</td></tr>
 *   <tr><td>{@code eventLoopLagThreshold}</td><td>200 ms</td><td>a probe overdue by more is a stall: the loop's stack is logged</td></tr>
 *   <tr><td>{@code slowHandler}</td><td>5 s</td><td>a handler running longer has its stack logged once; zero turns it off</td></tr>
 *   <tr><td>{@code maxFrames}</td><td>32</td><td>stack frames in a report (1 to 1024)</td></tr>
 *   <tr><td>{@code logInterval}</td><td>60 s</td><td>pinning reports with the same top five frames are logged once per interval (all are counted)</td></tr>
 *   <tr><td>{@code maxListed}</td><td>100</td><td>in-flight requests listed by {@code GET /debug/requests}, the oldest first (1 to 10000)</td></tr>
 *   <tr><td>{@code listener}</td><td>none</td><td>also called with every {@link DiagnosticEvent} (metrics, tests); on the reporting thread, must not block</td></tr>
 *   </tbody>
 * </table>
 *
 * <p>Reports go to the SLF4J logger {@code dev.weft.diagnostics}. The request path in reports
 * and listings is sanitised (no query, control characters replaced, at most 200 characters);
 * headers and bodies are never shown.
 */
public final class Diagnostics implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("dev.weft.diagnostics");
    private static final int MAX_PATH = 200;

    private final Builder options;
    private final List<Consumer<DiagnosticEvent>> listeners;
    private final ConcurrentHashMap<Long, Running> running = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final LongAdder pinned = new LongAdder();
    private final LongAdder submitFailed = new LongAdder();
    private final LongAdder stalls = new LongAdder();
    private final LongAdder slowHandlers = new LongAdder();
    private final List<LagProbe> probes = new CopyOnWriteArrayList<>();
    private final PinningMonitor.RateLimit rateLimit;
    private final AtomicBoolean started = new AtomicBoolean();
    private volatile boolean closed;
    private volatile PinningMonitor monitor;
    private volatile Thread watchdog;

    private Diagnostics(Builder builder) {
        this.options = builder.copy();
        this.listeners = List.copyOf(builder.listeners);
        this.rateLimit = new PinningMonitor.RateLimit(options.logInterval);
    }

    /** A builder with every part on, at the defaults in the options table. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts the pinning monitor and the watchdog thread (slow handlers, event-loop stalls);
     * returns this. Idempotent.
     */
    public Diagnostics start() {
        if (closed) {
            throw new IllegalStateException("these diagnostics were closed");
        }
        if (!started.compareAndSet(false, true)) {
            return this;
        }
        if (options.pinning) {
            try {
                monitor = PinningMonitor.start(options.pinningThreshold, options.maxFrames, this::report);
            } catch (RuntimeException | Error e) {
                LOG.info("pinned virtual threads are not monitored: JFR cannot run here ({})", String.valueOf(e));
            }
        }
        Thread thread = Thread.ofPlatform().daemon().name("weft-diagnostics").unstarted(this::watch);
        watchdog = thread;
        thread.start();
        return this;
    }

    /**
     * Starts (if not yet started) and probes the event loops of {@code server} (unless
     * {@code eventLoopProbe(false)}); returns this. The probes end when the server closes.
     */
    public Diagnostics watch(RunningServer server) {
        Objects.requireNonNull(server, "server");
        start();
        if (options.eventLoopProbe) {
            LagProbe.attach(server, options.eventLoopProbeInterval.toNanos()).ifPresent(probes::add);
        }
        return this;
    }

    /**
     * The layer that records each request while its handler runs (for slow-handler reports and
     * the in-flight listing). Add it to the root router, outermost, so it sees every request;
     * one value, shared by every router it is given to.
     */
    public Middleware layer() {
        return layer;
    }

    private final Middleware layer = new Middleware() {
        @Override
        public Response handle(Request request, Next next) throws Exception {
            long id = ids.incrementAndGet();
            running.put(id, new Running(id, request, Thread.currentThread(), System.nanoTime()));
            try {
                return next.run(request);
            } finally {
                running.remove(id);
            }
        }

        @Override
        public String name() {
            return "Diagnostics";
        }
    };

    /**
     * The admin endpoint: {@code GET /debug/requests} answers JSON
     * {@code {"inFlight": n, "listed": m, "requests": [...]}}, the oldest {@code maxListed}
     * requests first, each with {@code id, method, route, path, ageMillis, protocol, client,
     * thread}; {@code cache-control: no-store}. Serve it on an admin server or nest it: it lists
     * paths and client addresses, so keep it off the public port.
     */
    public Router router() {
        return Router.builder()
                .get("/debug/requests", () -> Response.json(listing()).withHeader("cache-control", "no-store"))
                .build();
    }

    private Map<String, Object> listing() {
        List<InFlightRequest> all = inFlight();
        List<Map<String, Object>> shown = new ArrayList<>();
        for (InFlightRequest r : all.subList(0, Math.min(all.size(), options.maxListed))) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("id", r.id());
            item.put("method", r.method());
            item.put("route", r.route().orElse(null));
            item.put("path", r.path());
            item.put("ageMillis", r.age().toMillis());
            item.put("protocol", r.protocol());
            item.put("client", r.client());
            item.put("thread", r.thread());
            shown.add(item);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("inFlight", all.size());
        body.put("listed", shown.size());
        body.put("requests", shown);
        return body;
    }

    /** The requests whose handlers are running (through {@link #layer()}), the oldest first. */
    public List<InFlightRequest> inFlight() {
        long now = System.nanoTime();
        List<Running> all = new ArrayList<>(running.values());
        all.sort(Comparator.comparingLong(Running::id));
        List<InFlightRequest> result = new ArrayList<>(all.size());
        for (Running r : all) {
            result.add(r.view(now));
        }
        return result;
    }

    /** Each probed event loop's last and largest lag (for metrics). */
    public List<EventLoopLag> eventLoops() {
        List<EventLoopLag> result = new ArrayList<>();
        for (LagProbe probe : probes) {
            for (LagProbe.Loop loop : probe.loops()) {
                result.add(new EventLoopLag(loop.name(), Duration.ofNanos(loop.lastLagNanos()),
                        Duration.ofNanos(loop.maxLagNanos())));
            }
        }
        return result;
    }

    /** Pins over the threshold reported by JFR since start. */
    public long pinnedCount() {
        return pinned.sum();
    }

    /** Virtual threads whose start or continuation the scheduler refused, since start. */
    public long submitFailedCount() {
        return submitFailed.sum();
    }

    /** Event-loop stalls reported since start. */
    public long eventLoopStallCount() {
        return stalls.sum();
    }

    /** Slow handlers reported since start. */
    public long slowHandlerCount() {
        return slowHandlers.sum();
    }

    /** Stops the JFR stream, the watchdog and the probes. Idempotent. */
    @Override
    public void close() {
        closed = true;
        PinningMonitor m = monitor;
        if (m != null) {
            m.close();
        }
        Thread w = watchdog;
        if (w != null) {
            w.interrupt();
        }
        for (LagProbe probe : probes) {
            probe.stop();
        }
    }

    /** The watchdog thread: checks the probes and the running handlers every tick. */
    private void watch() {
        long lagThreshold = options.eventLoopLagThreshold.toNanos();
        long slow = options.slowHandler.toNanos();
        long tick = Math.clamp(Math.min(lagThreshold, slow == 0 ? Long.MAX_VALUE : slow) / 4,
                TimeUnit.MILLISECONDS.toNanos(10), TimeUnit.MILLISECONDS.toNanos(100));
        while (!closed) {
            try {
                TimeUnit.NANOSECONDS.sleep(tick);
            } catch (InterruptedException e) {
                return;
            }
            try {
                checkLoops(lagThreshold);
                if (slow > 0) {
                    checkHandlers(slow);
                }
            } catch (RuntimeException e) {
                LOG.warn("diagnostics watchdog failed; it keeps running", e);
            }
        }
    }

    private void checkLoops(long threshold) {
        for (LagProbe probe : probes) {
            boolean live = false;
            for (LagProbe.Loop loop : probe.loops()) {
                live |= !loop.stopped();
                long overdue = loop.overdue(threshold);
                if (overdue < 0) {
                    continue;
                }
                Thread thread = loop.thread().orElseThrow();
                report(new DiagnosticEvent.EventLoopStall(loop.name(), Duration.ofNanos(overdue), thread.getName(),
                        cut(thread.getStackTrace())));
            }
            if (!live) {
                probes.remove(probe); // its server closed
            }
        }
    }

    private void checkHandlers(long slow) {
        long now = System.nanoTime();
        for (Running r : running.values()) {
            if (now - r.start > slow && !r.reported) {
                r.reported = true; // the single watchdog thread: once per request
                List<StackTraceElement> stack = cut(r.thread.getStackTrace());
                if (running.containsKey(r.id)) { // still running once the stack was taken
                    report(new DiagnosticEvent.SlowHandler(r.view(System.nanoTime()), stack));
                }
            }
        }
    }

    private List<StackTraceElement> cut(StackTraceElement[] stack) {
        return List.of(stack).subList(0, Math.min(stack.length, options.maxFrames));
    }

    private void report(DiagnosticEvent event) {
        switch (event) {
            case DiagnosticEvent.Pinned p -> {
                pinned.increment();
                long suppressed = rateLimit.admit(p.stack());
                if (suppressed >= 0 && LOG.isWarnEnabled()) {
                    LOG.warn("virtual thread {} was pinned to its carrier for {} ms{}{}; stack:{}", p.thread(),
                            p.duration().toMillis(), p.reason().isEmpty() ? "" : " (" + p.reason() + ")",
                            suppressed > 0 ? " (" + suppressed + " more with this stack since the last report)" : "",
                            frames(p.stack()));
                }
            }
            case DiagnosticEvent.SubmitFailed f -> {
                submitFailed.increment();
                if (rateLimit.admit(f.stack()) >= 0) {
                    LOG.warn("virtual thread {} could not be scheduled: {}; stack:{}", f.thread(), f.exception(),
                            frames(f.stack()));
                }
            }
            case DiagnosticEvent.EventLoopStall s -> {
                stalls.increment();
                LOG.warn("event loop {} ({}) has not run for {} ms: blocking code on an event loop"
                        + " (a Handler.nonBlocking() route that blocks?); it is running:{}", s.loop(), s.thread(),
                        s.overdue().toMillis(), frames(s.stack()));
            }
            case DiagnosticEvent.SlowHandler h -> {
                slowHandlers.increment();
                InFlightRequest r = h.request();
                LOG.warn("{} {} (route {}) has been running for {} ms on {}; its stack:{}", r.method(), r.path(),
                        r.route().orElse("none yet"), r.age().toMillis(), r.thread(), frames(h.stack()));
            }
        }
        for (Consumer<DiagnosticEvent> listener : listeners) {
            try {
                listener.accept(event);
            } catch (RuntimeException e) {
                LOG.warn("a diagnostics listener failed", e);
            }
        }
    }

    private static String frames(List<StackTraceElement> stack) {
        StringBuilder s = new StringBuilder();
        for (StackTraceElement frame : stack) {
            s.append("\n\tat ").append(frame);
        }
        return s.toString();
    }

    /** Replaces control characters (log forging) and cuts a client-chosen path. */
    static String sanitise(String path) {
        StringBuilder s = new StringBuilder(Math.min(path.length(), MAX_PATH + 1));
        for (int i = 0; i < path.length() && i < MAX_PATH; i++) {
            char c = path.charAt(i);
            s.append(c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == '\u2028' || c == '\u2029' ? '?' : c);
        }
        if (path.length() > MAX_PATH) {
            s.append('…');
        }
        return s.toString();
    }

    /** A request while its handler runs. */
    private static final class Running {
        final long id;
        final Request request;
        final Thread thread;
        final long start;
        /** Written and read by the watchdog thread only. */
        boolean reported;

        Running(long id, Request request, Thread thread, long start) {
            this.id = id;
            this.request = request;
            this.thread = thread;
            this.start = start;
        }

        long id() {
            return id;
        }

        InFlightRequest view(long now) {
            String client;
            try {
                client = request.client().address().getHostAddress();
            } catch (RuntimeException e) {
                client = "unknown";
            }
            return new InFlightRequest(id, request.method().name(), request.matchedPath(), sanitise(request.path()),
                    Duration.ofNanos(Math.max(0, now - start)), request.protocol(), client,
                    thread.getName() + "#" + thread.threadId());
        }
    }

    /** Options for {@link Diagnostics}; {@link #build()} reports every invalid one at once. */
    public static final class Builder {
        private boolean pinning = true;
        private Duration pinningThreshold = Duration.ofMillis(20);
        private boolean eventLoopProbe = true;
        private Duration eventLoopProbeInterval = Duration.ofMillis(100);
        private Duration eventLoopLagThreshold = Duration.ofMillis(200);
        private Duration slowHandler = Duration.ofSeconds(5);
        private int maxFrames = 32;
        private Duration logInterval = Duration.ofSeconds(60);
        private int maxListed = 100;
        private final List<Consumer<DiagnosticEvent>> listeners = new ArrayList<>();

        private Builder() {}

        public Builder pinning(boolean value) { this.pinning = value; return this; }
        public Builder pinningThreshold(Duration value) { this.pinningThreshold = value; return this; }
        public Builder eventLoopProbe(boolean value) { this.eventLoopProbe = value; return this; }
        public Builder eventLoopProbeInterval(Duration value) { this.eventLoopProbeInterval = value; return this; }
        public Builder eventLoopLagThreshold(Duration value) { this.eventLoopLagThreshold = value; return this; }
        /** A handler running longer is reported once; {@link Duration#ZERO} turns the report off. */
        public Builder slowHandler(Duration value) { this.slowHandler = value; return this; }
        public Builder maxFrames(int value) { this.maxFrames = value; return this; }
        public Builder logInterval(Duration value) { this.logInterval = value; return this; }
        public Builder maxListed(int value) { this.maxListed = value; return this; }

        /** Also hands every report to {@code listener}; may be called several times. */
        public Builder listener(Consumer<DiagnosticEvent> listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /** Validates every option, throwing one exception that lists all problems. */
        public Diagnostics build() {
            List<String> problems = new ArrayList<>();
            positive(problems, "pinningThreshold", pinningThreshold, true);
            positive(problems, "eventLoopProbeInterval", eventLoopProbeInterval, false);
            positive(problems, "eventLoopLagThreshold", eventLoopLagThreshold, false);
            positive(problems, "slowHandler", slowHandler, true);
            positive(problems, "logInterval", logInterval, true);
            if (eventLoopProbeInterval != null && eventLoopProbeInterval.toMillis() < 1) {
                problems.add("eventLoopProbeInterval must be at least 1 ms, got " + eventLoopProbeInterval);
            }
            if (maxFrames < 1 || maxFrames > 1024) {
                problems.add("maxFrames must be between 1 and 1024, got " + maxFrames);
            }
            if (maxListed < 1 || maxListed > 10_000) {
                problems.add("maxListed must be between 1 and 10000, got " + maxListed);
            }
            if (!problems.isEmpty()) {
                throw new WeftException("invalid diagnostics options:\n  - " + String.join("\n  - ", problems));
            }
            return new Diagnostics(this);
        }

        private static void positive(List<String> problems, String name, Duration value, boolean zeroAllowed) {
            if (value == null) {
                problems.add(name + " must be set");
            } else if (value.isNegative() || (!zeroAllowed && value.isZero())) {
                problems.add(name + " must be " + (zeroAllowed ? "zero or positive" : "positive") + ", got " + value);
            }
        }

        private Builder copy() {
            Builder b = new Builder();
            b.pinning = pinning;
            b.pinningThreshold = pinningThreshold;
            b.eventLoopProbe = eventLoopProbe;
            b.eventLoopProbeInterval = eventLoopProbeInterval;
            b.eventLoopLagThreshold = eventLoopLagThreshold;
            b.slowHandler = slowHandler;
            b.maxFrames = maxFrames;
            b.logInterval = logInterval;
            b.maxListed = maxListed;
            return b;
        }
    }
}
