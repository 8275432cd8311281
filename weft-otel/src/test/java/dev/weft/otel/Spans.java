package dev.weft.otel;

import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import dev.weft.routing.Router;
import dev.weft.test.Client;
import dev.weft.test.Transport;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** An SDK that keeps finished spans in memory, and a {@link Tracing} on it. */
final class Spans implements AutoCloseable {
    final InMemorySpanExporter exporter = InMemorySpanExporter.create();
    final SdkTracerProvider provider = SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(exporter))
            .build();
    final OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
            .setTracerProvider(provider)
            .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
            .build();
    final Tracing tracing = Tracing.of(sdk);

    /**
     * Waits (up to 5 s) for {@code count} finished spans: a span ends when the exchange ends,
     * which on a socket may come after the client has read the response.
     */
    List<SpanData> await(int count) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (true) {
            List<SpanData> spans = exporter.getFinishedSpanItems();
            if (spans.size() >= count || System.nanoTime() > deadline) {
                return spans;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return spans;
            }
        }
    }

    /**
     * A client for {@code router} over {@code transport}, with no span recorded yet: the HTTP/2
     * client's first request (the {@code OPTIONS} that upgrades the connection) is forgotten.
     */
    Client start(Transport transport, Router router) {
        Client client = transport.start(router);
        if (transport == Transport.HTTP_2) {
            await(1);
            exporter.reset();
        }
        return client;
    }

    /** The one span of a single request (waits for it). */
    SpanData one() {
        List<SpanData> spans = await(1);
        if (spans.size() != 1) {
            throw new AssertionError("expected one span, got " + spans);
        }
        return spans.getFirst();
    }

    @Override
    public void close() {
        sdk.close();
    }
}
