package dev.weft.health;

import dev.weft.WeftException;
import dev.weft.response.Response;
import dev.weft.response.Status;
import dev.weft.routing.Router;
import dev.weft.server.RunningServer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Liveness, readiness and startup probes for one application: the checks the app and its modules
 * registered, run concurrently on virtual threads with a timeout and a short result cache, served
 * as {@code application/health+json} (the shape of the IETF draft
 * {@code draft-inadarei-api-health-check}).
 *
 * {@snippet class=dev.weft.health.HealthExamples region=health}
 *
 * <table>
 *   <caption>Health options</caption>
 *   <tr><th>option</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code timeout}</td><td>2 s</td><td>how long a probe waits for one check (a check may set its
 *       own); past it the check is {@code fail "timed out after … ms"}, and while that run still hangs
 *       probes answer so at once and start no second run</td></tr>
 *   <tr><td>{@code cacheFor}</td><td>1 s</td><td>how long a check's result (pass or fail) is reused, so probes
 *       from several load balancers do not each reach the database; zero runs the check on every probe</td></tr>
 * </table>
 *
 * <p>Endpoints of {@link #router(Detail)}: {@code GET /health/live} (liveness checks; with none, the
 * process answering is the check), {@code GET /health/ready} (readiness checks, failing before
 * {@link #started()} and once an attached server's shutdown started), {@code GET /health/started}
 * (startup checks, failing before {@link #started()}), and {@code GET /health} (every check).
 * Each answers {@code 200} when the status is {@code pass} or {@code warn}, {@code 503} when it is
 * {@code fail}, always with {@code cache-control: no-store}.
 *
 * <p>At shutdown, readiness must fail before the server stops accepting, so load balancers stop
 * sending first: {@link #attach(RunningServer)} does that, with the server's
 * {@code shutdownDelay} (see {@code Server}) giving them time to notice.
 */
public final class Health {
    private static final Logger LOG = LoggerFactory.getLogger("dev.weft.health");
    /** The media type of the draft. */
    public static final String HEALTH_JSON = "application/health+json";
    /** The name of the pseudo-check that reports the lifecycle (starting, started, stopping). */
    public static final String LIFECYCLE = "lifecycle";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9:._-]{0,63}");

    /** How much a router tells. */
    public enum Detail {
        /**
         * Statuses, check names and durations only: for the public port. Exception text, outputs,
         * observed values and details never appear.
         */
        STATUS_ONLY,
        /** Everything each check returned, and the text of exceptions: for the admin port only. */
        FULL
    }

    private enum Lifecycle { STARTING, STARTED, STOPPING }

    private final List<Runner> runners;
    private final long cacheNanos;
    private volatile Lifecycle lifecycle = Lifecycle.STARTING;
    /** Every startup check passed after {@link #started()}: they are not run again. */
    private volatile boolean startupDone;

    private Health(Builder builder) {
        this.runners = List.copyOf(builder.runners);
        this.cacheNanos = builder.cacheFor.toNanos();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Marks startup done: {@code /health/started} passes once the startup checks do, and readiness
     * no longer fails for that reason. {@link #attach(RunningServer)} calls it; call it yourself
     * when readiness should wait for work done after the server is serving. Idempotent; ignored
     * once shutdown started.
     */
    public void started() {
        synchronized (this) {
            if (lifecycle == Lifecycle.STARTING) {
                lifecycle = Lifecycle.STARTED;
            }
        }
    }

    /**
     * Marks shutdown started: readiness fails from now on (liveness does not). Attached servers
     * call it when their shutdown starts; call it yourself for a shutdown of your own making.
     */
    public void stopping() {
        lifecycle = Lifecycle.STOPPING;
    }

    /**
     * Ties this health to {@code server}: marks startup done ({@link #started()}) and makes
     * readiness fail as soon as the server's shutdown starts (SIGTERM or {@code close()}), before
     * its {@code shutdownDelay} and the drain. Attach every server whose shutdown should take the
     * instance out of rotation. Returns {@code server}.
     */
    public RunningServer attach(RunningServer server) {
        server.onShutdownStarted(this::stopping);
        started();
        return server;
    }

    /** The probes without details, for the public port; see {@link #router(Detail)}. */
    public Router router() {
        return router(Detail.STATUS_ONLY);
    }

    /**
     * The probes as a router: {@code /health/live}, {@code /health/ready}, {@code /health/started}
     * and {@code /health}. Serve {@link Detail#FULL} only on an admin port that the public cannot reach.
     */
    public Router router(Detail detail) {
        Objects.requireNonNull(detail, "detail");
        return Router.builder()
                .get("/health/live", () -> answer(Probe.LIVE, detail))
                .get("/health/ready", () -> answer(Probe.READY, detail))
                .get("/health/started", () -> answer(Probe.STARTED, detail))
                .get("/health", () -> answer(Probe.ALL, detail))
                .build();
    }

    private enum Probe { LIVE, READY, STARTED, ALL }

    private Response answer(Probe probe, Detail detail) {
        Map<String, Object> checks = new LinkedHashMap<>();
        Check.Status overall = Check.Status.PASS;
        if (probe != Probe.LIVE) {
            Lifecycle now = lifecycle;
            boolean failing = now == Lifecycle.STARTING || (now == Lifecycle.STOPPING && probe != Probe.STARTED);
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("status", failing ? "fail" : "pass");
            if (detail == Detail.FULL) {
                entry.put("observedValue", now.name().toLowerCase(java.util.Locale.ROOT));
            }
            checks.put(LIFECYCLE, List.of(entry));
            overall = failing ? Check.Status.FAIL : overall;
        }
        List<Runner> asked = new ArrayList<>();
        for (Runner runner : runners) {
            boolean wanted = switch (probe) {
                case LIVE -> runner.kind == Check.Kind.LIVENESS;
                case READY -> runner.kind == Check.Kind.READINESS;
                case STARTED -> runner.kind == Check.Kind.STARTUP;
                case ALL -> true;
            };
            // Startup checks run only once startup was marked (the app may still be migrating) and
            // stop running once they all passed.
            if (wanted && (runner.kind != Check.Kind.STARTUP || lifecycle != Lifecycle.STARTING)) {
                asked.add(runner);
            }
        }
        long now = System.nanoTime();
        List<Run> runs = new ArrayList<>(asked.size());
        for (Runner runner : asked) {
            runs.add(runner.current(now, runner.kind == Check.Kind.STARTUP && startupDone ? Long.MAX_VALUE : cacheNanos));
        }
        boolean startupPassing = true;
        for (int i = 0; i < runs.size(); i++) {
            Runner runner = asked.get(i);
            Observed seen = runs.get(i).await(runner);
            checks.put(runner.name, List.of(seen.json(detail)));
            overall = worse(overall, seen.result.status());
            if (runner.kind == Check.Kind.STARTUP && seen.result.status() == Check.Status.FAIL) {
                startupPassing = false;
            }
        }
        if (probe == Probe.STARTED && startupPassing && lifecycle != Lifecycle.STARTING) {
            startupDone = true;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", overall.json());
        body.put("checks", checks);
        return Response.json(overall == Check.Status.FAIL ? Status.SERVICE_UNAVAILABLE : Status.OK, body)
                .withHeader("content-type", HEALTH_JSON)
                .withHeader("cache-control", "no-store");
    }

    private static Check.Status worse(Check.Status a, Check.Status b) {
        return a.ordinal() >= b.ordinal() ? a : b;
    }

    /** A result with when it was observed and how long the check took. */
    private record Observed(Check.Result result, Instant time, long durationNanos) {
        Map<String, Object> json(Detail detail) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("status", result.status().json());
            entry.put("time", time.toString());
            entry.put("durationMs", Math.round(durationNanos / 10_000.0) / 100.0);
            if (detail == Detail.FULL) {
                if (result.observedValue() != null) {
                    entry.put("observedValue", result.observedValue());
                }
                if (result.observedUnit() != null) {
                    entry.put("observedUnit", result.observedUnit());
                }
                if (result.output() != null && result.status() != Check.Status.PASS) {
                    entry.put("output", result.output());
                }
                result.details().forEach(entry::putIfAbsent);
            }
            return entry;
        }
    }

    /** One run of a check: its future and when it started. */
    private static final class Run {
        final CompletableFuture<Observed> future;
        final long startNanos;
        private volatile boolean warned;

        Run(CompletableFuture<Observed> future, long startNanos) {
            this.future = future;
            this.startNanos = startNanos;
        }

        /** The run's result, or {@code fail "timed out"} once the check's timeout since its start passed. */
        Observed await(Runner runner) {
            long left = startNanos + runner.timeoutNanos - System.nanoTime();
            try {
                return left > 0 ? future.get(left, TimeUnit.NANOSECONDS) : future.getNow(null) != null
                        ? future.getNow(null) : timedOut(runner);
            } catch (TimeoutException e) {
                return timedOut(runner);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Observed(Check.Result.fail("interrupted while waiting"), Instant.now(),
                        System.nanoTime() - startNanos);
            } catch (ExecutionException e) {
                return new Observed(Check.Result.fail(String.valueOf(e.getCause())), Instant.now(),
                        System.nanoTime() - startNanos);
            }
        }

        private Observed timedOut(Runner runner) {
            long ms = TimeUnit.NANOSECONDS.toMillis(runner.timeoutNanos);
            if (!warned) {
                warned = true;
                LOG.warn("health check '{}' did not answer within {} ms; probes fail until it returns", runner.name, ms);
            }
            return new Observed(Check.Result.fail("timed out after " + ms + " ms"), Instant.now(),
                    System.nanoTime() - startNanos);
        }
    }

    /** A registered check with its cache and its one run in flight. */
    private static final class Runner {
        final String name;
        final Check.Kind kind;
        final Check check;
        final long timeoutNanos;
        private final ReentrantLock lock = new ReentrantLock();
        private Observed cached;
        private long cachedAt;
        private Run inFlight;

        Runner(String name, Check.Kind kind, Check check, Duration timeout) {
            this.name = name;
            this.kind = kind;
            this.check = check;
            this.timeoutNanos = timeout.toNanos();
        }

        /** The fresh cached result, else the run in flight, else a new run: never two runs at once. */
        Run current(long now, long cacheNanos) {
            lock.lock();
            try {
                if (cached != null && now - cachedAt < cacheNanos) {
                    return new Run(CompletableFuture.completedFuture(cached), now);
                }
                if (inFlight != null) {
                    return inFlight;
                }
                Run run = new Run(new CompletableFuture<>(), now);
                inFlight = run;
                Thread.ofVirtual().name("weft-health-" + name).start(() -> execute(run));
                return run;
            } finally {
                lock.unlock();
            }
        }

        private void execute(Run run) {
            Check.Result result;
            try {
                result = check.check();
                if (result == null) {
                    result = Check.Result.fail("the check returned no result");
                }
            } catch (Throwable e) {
                // Any failure is the check's verdict; its text goes only to the admin router.
                result = Check.Result.fail(String.valueOf(e));
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
            }
            long end = System.nanoTime();
            Observed observed = new Observed(result, Instant.now(), end - run.startNanos);
            lock.lock();
            try {
                cached = observed;
                cachedAt = end;
                inFlight = null;
            } finally {
                lock.unlock();
            }
            run.future.complete(observed);
        }
    }

    /** Collects checks; {@link #build()} reports every problem at once. */
    public static final class Builder {
        private record Pending(String name, Check.Kind kind, Duration timeout, Check check) {}

        private final List<Pending> pending = new ArrayList<>();
        private List<Runner> runners = List.of();
        private Duration timeout = Duration.ofSeconds(2);
        private Duration cacheFor = Duration.ofSeconds(1);

        private Builder() {}

        /** A liveness check: never one that touches a dependency (see {@link Check.Kind#LIVENESS}). */
        public Builder liveness(String name, Check check) {
            return check(name, Check.Kind.LIVENESS, null, check);
        }

        /** A readiness check: a dependency the instance needs to serve traffic. */
        public Builder readiness(String name, Check check) {
            return check(name, Check.Kind.READINESS, null, check);
        }

        /** A startup check: work that must be done before the instance counts as started. */
        public Builder startup(String name, Check check) {
            return check(name, Check.Kind.STARTUP, null, check);
        }

        /**
         * A check of {@code kind} with its own timeout ({@code null}: the builder's). Names are
         * unique across kinds, 1 to 64 of {@code A-Z a-z 0-9 : . _ -} (the draft's
         * {@code component:measurement}), and {@value #LIFECYCLE} is reserved.
         */
        public Builder check(String name, Check.Kind kind, Duration timeout, Check check) {
            pending.add(new Pending(name, kind, timeout, check));
            return this;
        }

        /** How long a probe waits for a check without a timeout of its own; default 2 s. */
        public Builder timeout(Duration value) {
            this.timeout = value;
            return this;
        }

        /** How long a check's result is reused; default 1 s, zero for never. */
        public Builder cacheFor(Duration value) {
            this.cacheFor = value;
            return this;
        }

        /**
         * Validates every check and option.
         *
         * @throws WeftException listing every problem, one per line
         */
        public Health build() {
            List<String> problems = new ArrayList<>();
            Set<String> names = new HashSet<>();
            List<Runner> built = new ArrayList<>();
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                problems.add("timeout must be positive, got " + timeout);
            }
            if (cacheFor == null || cacheFor.isNegative()) {
                problems.add("cacheFor must be zero or positive, got " + cacheFor);
            }
            for (Pending p : pending) {
                String name = p.name();
                Check.Kind kind = p.kind();
                Duration own = p.timeout();
                Check check = p.check();
                if (name == null || !NAME.matcher(name).matches()) {
                    problems.add("check name '" + name + "' must be 1 to 64 of A-Z a-z 0-9 : . _ - (starting with a letter or digit)");
                } else if (name.equals(LIFECYCLE)) {
                    problems.add("check name '" + LIFECYCLE + "' is reserved for the lifecycle entry");
                } else if (!names.add(name)) {
                    problems.add("check name '" + name + "' is registered twice");
                }
                if (kind == null) {
                    problems.add("check '" + name + "' needs a kind");
                }
                if (check == null) {
                    problems.add("check '" + name + "' is null");
                }
                if (own != null && (own.isNegative() || own.isZero())) {
                    problems.add("check '" + name + "' timeout must be positive, got " + own);
                }
                if (problems.isEmpty()) {
                    built.add(new Runner(name, kind, check, own != null ? own : timeout));
                }
            }
            if (!problems.isEmpty()) {
                throw new WeftException("invalid health checks:\n  - " + String.join("\n  - ", problems));
            }
            runners = built;
            return new Health(this);
        }
    }
}
