package dev.weft.metrics;

import io.prometheus.metrics.tracer.common.SpanContext;

/**
 * Exemplars for the Prometheus registry: the trace and span of the request being recorded, as
 * the tracing layer (weft-otel) put them in the SLF4J MDC ({@code trace_id}, {@code span_id},
 * {@code trace_flags}) while the handler ran. The HTTP meters record at the end of the exchange,
 * on an event loop where no span is current, so they hand the ids over here for the duration of
 * one {@code record} call. Confined to that call's thread.
 */
final class MdcSpanContext implements SpanContext {
    /** The ids taken from the MDC when the handler returned; null fields when it held none. */
    record Ids(String traceId, String spanId, boolean sampled) {}

    private static final ThreadLocal<Ids> RECORDING = new ThreadLocal<>();

    /** Runs {@code record} with {@code ids} as the current span's, for an exemplar. */
    static void with(Ids ids, Runnable record) {
        if (ids == null) {
            record.run();
            return;
        }
        RECORDING.set(ids);
        try {
            record.run();
        } finally {
            RECORDING.remove();
        }
    }

    /** The ids in the MDC now, or null: called on the handler's thread as the layer returns. */
    static Ids fromMdc() {
        String trace = org.slf4j.MDC.get("trace_id");
        String span = org.slf4j.MDC.get("span_id");
        if (trace == null || span == null) {
            return null;
        }
        String flags = org.slf4j.MDC.get("trace_flags");
        return new Ids(trace, span, flags == null || flags.endsWith("1"));
    }

    @Override
    public String getCurrentTraceId() {
        Ids ids = RECORDING.get();
        return ids == null ? null : ids.traceId();
    }

    @Override
    public String getCurrentSpanId() {
        Ids ids = RECORDING.get();
        return ids == null ? null : ids.spanId();
    }

    @Override
    public boolean isCurrentSpanSampled() {
        Ids ids = RECORDING.get();
        return ids != null && ids.sampled();
    }

    @Override
    public void markCurrentSpanAsExemplar() {
        // The span has ended by the time the exchange is recorded; nothing to mark.
    }
}
