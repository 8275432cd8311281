package dev.weft.examples.live;

import dev.weft.response.Response;
import dev.weft.sse.Event;
import dev.weft.sse.Sse;
import java.time.Duration;
import java.util.Optional;

/**
 * A made-up price feed as server-sent events: one {@code tick} event per tick of the
 * {@link TickClock}, its id the tick's number. A tick's price is a function of its number, so
 * a client that reconnects with {@code Last-Event-ID} gets exactly the ticks it missed (up to
 * {@link #MAX_REPLAY}) and then the live ones, with no history kept in memory.
 */
public final class Ticker {
    /** The most missed ticks replayed to a client that reconnects. */
    public static final int MAX_REPLAY = 30;

    /** The symbol of the feed. */
    public static final String SYMBOL = "WEFT";

    /** One event's data: {@code {"seq":…,"time":"…","symbol":"WEFT","price":…,"change":…}}. */
    public record Tick(long seq, String time, String symbol, double price, double change) {}

    private final TickClock clock;

    public Ticker(TickClock clock) {
        this.clock = clock;
    }

    /** Tick {@code n}. */
    public Tick tick(long n) {
        double price = price(n);
        return new Tick(n, clock.timeOf(n).toString(), SYMBOL, price, round(price - price(n - 1)));
    }

    /**
     * The event stream for a client that last saw {@code lastEventId}: the ticks since (at most
     * {@link #MAX_REPLAY} of them), then every new tick as it comes; without a usable id, the
     * current tick first.
     */
    public Response stream(Optional<String> lastEventId) {
        long now = clock.current();
        long first = lastEventId.flatMap(Ticker::parse)
                .map(last -> Math.clamp(last + 1, now - MAX_REPLAY + 1, now + 1))
                .orElse(now);
        // The stream runs until the client leaves: then awaitTick is interrupted or send throws,
        // which ends the producer quietly. retry: the browser reconnects after 2 s, not its default 3-5 s.
        return Sse.emit(emitter -> {
            for (long n = first; ; n++) {
                clock.awaitTick(n);
                Event event = Event.json(tick(n)).withEvent("tick").withId(Long.toString(n));
                emitter.send(n == first ? event.withRetry(Duration.ofSeconds(2)) : event);
            }
        });
    }

    private static Optional<Long> parse(String id) {
        try {
            return Optional.of(Long.parseLong(id)).filter(n -> n >= 0);
        } catch (NumberFormatException e) {
            return Optional.empty(); // not one of ours: start afresh
        }
    }

    /** A smooth made-up price around 100 with a little deterministic noise. */
    private static double price(long n) {
        long h = n * 0x9E3779B97F4A7C15L;
        h = (h ^ (h >>> 31)) * 0xBF58476D1CE4E5B9L;
        double noise = ((h >>> 11) * 0x1.0p-53) - 0.5; // in [-0.5, 0.5)
        return round(100 + 8 * Math.sin(n / 40.0) + 3 * Math.sin(n / 7.0) + noise);
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
