package dev.weft.ratelimit;

import java.time.Duration;
import java.util.Objects;

/**
 * One bandwidth of a {@link RateLimit}: {@code tokens} requests per {@code period}, refilled
 * continuously (one token every {@code period / tokens}), with room for a burst of
 * {@code capacity} requests after a quiet spell.
 *
 * <p>{@code perSecond(10)} means ten requests per second (never "one every ten seconds", the
 * naming trap of Rust's governor). A limit may hold several rates, for example
 * {@code perMinute(100)} and {@code perHour(1000)}: a request must fit all of them.
 *
 * <p>The values are checked by {@link RateLimit.Builder#build()}, with every other option.
 *
 * @param tokens requests allowed per {@code period}
 * @param period the period over which {@code tokens} are refilled
 * @param capacity the most requests allowed at once after a quiet spell (the burst);
 *     {@code tokens} unless set with {@link #withBurst}
 * @param name the name of this rate in the {@code RateLimit-Policy} and {@code RateLimit}
 *     headers and in {@code violated-policies}; empty for the default (the limit's name, followed
 *     by {@code -<window>s} when a limit has several rates)
 */
public record Rate(long tokens, Duration period, long capacity, String name) {

    public Rate {
        Objects.requireNonNull(period, "period");
        Objects.requireNonNull(name, "name");
    }

    /** {@code n} requests per {@code period}. */
    public static Rate of(long n, Duration period) {
        return new Rate(n, period, n, "");
    }

    /** {@code n} requests per second. */
    public static Rate perSecond(long n) {
        return of(n, Duration.ofSeconds(1));
    }

    /** {@code n} requests per minute. */
    public static Rate perMinute(long n) {
        return of(n, Duration.ofMinutes(1));
    }

    /** {@code n} requests per hour. */
    public static Rate perHour(long n) {
        return of(n, Duration.ofHours(1));
    }

    /** {@code n} requests per day. */
    public static Rate perDay(long n) {
        return of(n, Duration.ofDays(1));
    }

    /**
     * This rate, allowing up to {@code capacity} requests at once: more than {@code tokens} to
     * allow bursts after a quiet spell, fewer to smooth traffic ({@code perMinute(60).withBurst(10)}:
     * one a second on average, never more than 10 at once).
     */
    public Rate withBurst(long capacity) {
        return new Rate(tokens, period, capacity, name);
    }

    /** This rate, named {@code name} in the headers (letters, digits, {@code - _ . :}). */
    public Rate named(String name) {
        return new Rate(tokens, period, capacity, name);
    }

    /** Seconds to refill an empty bucket to {@code capacity}, rounded up: the header's {@code w}. */
    long windowSeconds() {
        return Math.max(1, (long) Math.ceil((double) capacity * period.toNanos() / tokens / 1e9));
    }

    /** Nanoseconds for {@code missing} tokens to come back (doubles: only whole seconds are shown). */
    long nanosToRefill(long missing) {
        return missing <= 0 ? 0 : (long) Math.ceil((double) missing * period.toNanos() / tokens);
    }
}
