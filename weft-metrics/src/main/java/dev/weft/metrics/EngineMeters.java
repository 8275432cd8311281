package dev.weft.metrics;

import dev.weft.server.RunningServer;
import dev.weft.server.ServerStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.ToLongFunction;

/**
 * The engine's counters ({@link RunningServer#stats()}) of every bound server, summed, as meters.
 * Summed rather than tagged per server: {@code weft.server.requests.refused} is also counted by
 * the HTTP layer (413, 429), and Prometheus needs one set of tag keys per name. Counters of a
 * server that is unbound are dropped from the sum, so a counter may go down then; Prometheus
 * treats that as a reset, which is what it is.
 */
final class EngineMeters {
    static final String CONNECTIONS = "weft.server.connections.active";
    static final String IN_FLIGHT = "weft.server.requests.active";
    static final String WEBSOCKETS = "weft.websocket.sessions.active";
    static final String EVENT_STREAMS = "weft.sse.streams.active";

    private final List<ServerStats> servers = new CopyOnWriteArrayList<>();

    EngineMeters(MeterRegistry registry) {
        String connections = "Open connections by the protocol they speak";
        gauge(registry, CONNECTIONS, connections, "protocol", "h1", ServerStats::http1Connections);
        gauge(registry, CONNECTIONS, connections, "protocol", "h2", ServerStats::http2Connections);
        gauge(registry, CONNECTIONS, connections, "protocol", "ws", ServerStats::webSocketSessions);
        gauge(registry, IN_FLIGHT, "Requests being handled by the engine, including those it answers itself",
                null, null, ServerStats::requestsInFlight);
        gauge(registry, WEBSOCKETS, "Open WebSocket sessions", null, null, ServerStats::webSocketSessions);
        gauge(registry, EVENT_STREAMS, "Open server-sent event streams", null, null, ServerStats::eventStreams);
        for (ServerStats.Refusal reason : ServerStats.Refusal.values()) {
            FunctionCounter.builder(HttpMeters.REFUSED, this, self -> self.sum(s -> s.refused(reason)))
                    .description(HttpMeters.REFUSED_DESCRIPTION)
                    .tag("reason", reason.name().toLowerCase(Locale.ROOT))
                    .register(registry);
        }
        // The event-loop lag, pinning and offload meters come from Metrics.bind(Diagnostics) and
        // Metrics.bind(Offload).
    }

    void add(RunningServer server) {
        servers.add(server.stats());
    }

    void remove(RunningServer server) {
        servers.remove(server.stats());
    }

    private double sum(ToLongFunction<ServerStats> value) {
        long total = 0;
        for (ServerStats stats : servers) {
            total += value.applyAsLong(stats);
        }
        return total;
    }

    private void gauge(MeterRegistry registry, String name, String description, String tagKey, String tagValue,
            ToLongFunction<ServerStats> value) {
        Gauge.Builder<EngineMeters> gauge = Gauge.builder(name, this, self -> self.sum(value))
                .description(description)
                .strongReference(true); // the registry keeps this alive, not the caller
        if (tagKey != null) {
            gauge.tag(tagKey, tagValue);
        }
        gauge.register(registry);
    }
}
