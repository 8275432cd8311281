package dev.weft.health;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One health check: asked by {@link Health} on a virtual thread of its own, at most once at a
 * time, its answer cached for a short while. It returns a {@link Result}; a thrown exception is a
 * {@code fail} whose text is shown only on the admin router ({@link Health.Detail#FULL}).
 *
 * <p>A check should bound its own waits (a pool's borrow timeout, {@code Connection.isValid(1)},
 * a Redis command timeout). Health gives up waiting after the check's timeout and answers
 * {@code fail "timed out"}, but it never interrupts the check: interrupting a virtual thread in
 * socket I/O closes the socket, which would break a pooled connection. Until the hanging run
 * returns, probes answer the timeout at once and no second run starts.
 */
@FunctionalInterface
public interface Check {

    /** Runs the check; an exception counts as {@code fail}. */
    Result check() throws Exception;

    /** Which probe asks the check. */
    enum Kind {
        /**
         * {@code /health/live}: whether the process should be restarted. A liveness check must
         * never touch a dependency (database, Redis, another service): when that dependency blips,
         * the orchestrator would restart every instance at once, which cures nothing.
         */
        LIVENESS,
        /** {@code /health/ready}: whether the instance should receive traffic (dependencies it needs are up). */
        READINESS,
        /**
         * {@code /health/started}: whether startup work (migrations, warm-up) is done. Once every
         * startup check passed after {@link Health#started()}, the probe stays passing and the
         * startup checks are not run again.
         */
        STARTUP
    }

    /** A check's verdict, with the draft's names ({@code application/health+json}). */
    enum Status {
        /** Healthy. */
        PASS,
        /** Healthy, with a concern (answered {@code 200}). */
        WARN,
        /** Unhealthy (answered {@code 503}). */
        FAIL;

        /** The lowercase name used in the JSON body. */
        public String json() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * What a check found. {@code output}, {@code observedValue}/{@code observedUnit} and
     * {@code details} appear only on the admin router ({@link Health.Detail#FULL}); the public
     * router shows the status alone.
     *
     * @param status the verdict
     * @param output a human-readable reason (for {@code warn}/{@code fail}); null for none
     * @param observedValue a measured value (a number, a string, a map); null for none
     * @param observedUnit the unit of {@code observedValue} ("ms", "connections"); null for none
     * @param details more members of the check's JSON object (e.g. {@code componentType}), in order
     */
    record Result(Status status, String output, Object observedValue, String observedUnit,
            Map<String, Object> details) {

        public Result {
            Objects.requireNonNull(status, "status");
            details = details == null || details.isEmpty() ? Map.of()
                    : Collections.unmodifiableMap(new LinkedHashMap<>(details));
        }

        /** Healthy. */
        public static Result pass() {
            return new Result(Status.PASS, null, null, null, Map.of());
        }

        /** Healthy with a concern. */
        public static Result warn(String output) {
            return new Result(Status.WARN, output, null, null, Map.of());
        }

        /** Unhealthy, with the reason (shown only on the admin router). */
        public static Result fail(String output) {
            return new Result(Status.FAIL, output, null, null, Map.of());
        }

        /** {@code pass} when {@code healthy}, else {@code fail} with {@code output}. */
        public static Result of(boolean healthy, String output) {
            return healthy ? pass() : fail(output);
        }

        /** This result with a measured value and its unit ({@code unit} may be null). */
        public Result withObservedValue(Object value, String unit) {
            return new Result(status, output, value, unit, details);
        }

        /** This result with one more member of its JSON object (replacing one of that name). */
        public Result withDetail(String name, Object value) {
            Objects.requireNonNull(name, "name");
            Map<String, Object> more = new LinkedHashMap<>(details);
            more.put(name, value);
            return new Result(status, output, observedValue, observedUnit, more);
        }
    }
}
