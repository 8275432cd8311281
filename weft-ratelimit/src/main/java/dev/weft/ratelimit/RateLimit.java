package dev.weft.ratelimit;

import dev.weft.WeftException;
import dev.weft.http.Request;
import dev.weft.middleware.Middleware;
import dev.weft.middleware.Next;
import dev.weft.response.Problem;
import dev.weft.response.Response;
import dev.weft.response.Status;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConfigurationBuilder;
import io.github.bucket4j.TimeMeter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Pattern;

/**
 * A rate limit: each key (by default the client's address) gets a token bucket holding one or
 * more {@link Rate}s; a request takes one token from every rate, and a request that finds one of
 * them empty is answered {@code 429 Too Many Requests} without running the handler.
 *
 * {@snippet class=dev.weft.ratelimit.RateLimitExamples region=basic}
 *
 * <p><b>Responses.</b> Every response of a limited route carries the IETF
 * (draft-ietf-httpapi-ratelimit-headers-10) fields {@code RateLimit-Policy: "api";q=100;w=60}
 * (per rate: {@code q} its capacity, {@code w} the seconds an empty bucket takes to refill) and
 * {@code RateLimit: "api";r=42;t=35} ({@code r} requests left, {@code t} seconds until the rate is
 * full again). A refusal is a problem+json of type {@code quota-exceeded} with a
 * {@code violated-policies} member listing the empty rates, and {@code retry-after}: the seconds,
 * rounded up, until one more request fits (earlier than {@code t}, which counts until the bucket
 * is full). The handler of a refused request does not run.
 *
 * <p><b>One value, one limit.</b> A {@code RateLimit} holds its buckets: the same value given to
 * several routes or routers counts their requests together (per key). Use
 * {@link RateLimitKey#routeTemplate()} in the key for a bucket per route.
 *
 * <table class="striped">
 *   <caption>Options</caption>
 *   <thead><tr><th>option</th><th>default</th><th>meaning</th></tr></thead>
 *   <tbody>
 *   <tr><td>{@code name}</td><td>(required)</td><td>the policy name in headers and the route table
 *       (letters, digits, {@code - _ . :}; at most 64)</td></tr>
 *   <tr><td>{@code rate}</td><td>(at least one)</td><td>a bandwidth; a request must fit every one</td></tr>
 *   <tr><td>{@code key}</td><td>{@link RateLimitKey#clientAddress()}</td><td>whose bucket a request draws from</td></tr>
 *   <tr><td>{@code maxKeys}</td><td>100 000</td><td>local buckets held at most (each a Bucket4j bucket and its key);
 *       idle ones are dropped once full again, and past the bound new keys share one bucket</td></tr>
 *   <tr><td>{@code redis}</td><td>none (local)</td><td>keep the buckets in Redis, shared by every instance</td></tr>
 *   <tr><td>{@code clock}</td><td>system</td><td>the time of local buckets (for tests)</td></tr>
 *   </tbody>
 * </table>
 *
 * <p>Runs on the request's virtual thread. With Redis, one round trip per request, bounded by
 * {@link RedisBuckets.Builder#timeout} (or a shared connection's); when Redis cannot answer, the policy of
 * {@link RedisBuckets} applies (by default the request is let through).
 */
public final class RateLimit implements Middleware {
    /** The problem type the IETF draft registers for a 429 from a quota. */
    static final String QUOTA_EXCEEDED = "https://iana.org/assignments/http-problem-types#quota-exceeded";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");

    private final String name;
    private final List<Rate> rates;
    private final List<String> rateNames;
    private final RateLimitKey key;
    private final RateLimitKey fallback = RateLimitKey.clientAddress();
    private final BucketConfiguration configuration;
    private final LocalBuckets local;
    private final RedisBuckets redis;
    private final String policyHeader;
    private final LongAdder refused = new LongAdder();

    private RateLimit(Builder builder, List<String> rateNames) {
        this.name = builder.name;
        this.rates = List.copyOf(builder.rates);
        this.rateNames = rateNames;
        this.key = builder.key;
        ConfigurationBuilder config = BucketConfiguration.builder();
        long idleNanos = 1;
        for (int i = 0; i < rates.size(); i++) {
            Rate rate = rates.get(i);
            config.addLimit(Bandwidth.builder().capacity(rate.capacity())
                    .refillGreedy(rate.tokens(), rate.period()).id(rateNames.get(i)).build());
            idleNanos = Math.max(idleNanos, rate.nanosToRefill(rate.capacity()));
        }
        this.configuration = config.build();
        this.redis = builder.redis;
        this.local = redis != null ? null : new LocalBuckets(configuration, builder.maxKeys, idleNanos, meter(builder.clock));
        List<String> items = new ArrayList<>();
        for (int i = 0; i < rates.size(); i++) {
            items.add("\"" + rateNames.get(i) + "\";q=" + rates.get(i).capacity() + ";w=" + rates.get(i).windowSeconds());
        }
        this.policyHeader = String.join(", ", items);
    }

    /** A builder for the limit named {@code name}. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    @Override
    public Response handle(Request request, Next next) throws Exception {
        String bucket = Keys.bounded(key.of(request).orElseGet(() -> fallback.of(request).orElseThrow()));
        Buckets.Decision decision;
        try {
            decision = redis != null ? redis.consume(name, bucket, configuration) : local.consume(bucket, configuration);
        } catch (Buckets.UnavailableException e) {
            if (!redis.allowWithoutRedis(name, e)) {
                return redis.refusal(name).withHeader("ratelimit-policy", policyHeader);
            }
            return next.run(request).withHeader("ratelimit-policy", policyHeader);
        }
        if (!decision.allowed()) {
            refused.increment();
            return tooMany(decision);
        }
        return withHeaders(next.run(request), decision);
    }

    private Response withHeaders(Response response, Buckets.Decision decision) {
        return response.withHeader("ratelimit-policy", policyHeader).withHeader("ratelimit", state(decision));
    }

    private String state(Buckets.Decision decision) {
        StringBuilder out = new StringBuilder();
        long[] remaining = decision.remaining();
        for (int i = 0; i < rates.size(); i++) {
            Rate rate = rates.get(i);
            long left = Math.max(0, remaining[i]);
            long reset = ceilSeconds(rate.nanosToRefill(rate.capacity() - left));
            if (i > 0) {
                out.append(", ");
            }
            out.append('"').append(rateNames.get(i)).append("\";r=").append(left).append(";t=").append(reset);
        }
        return out.toString();
    }

    private Response tooMany(Buckets.Decision decision) {
        List<String> violated = new ArrayList<>();
        for (int i = 0; i < rates.size(); i++) {
            if (decision.remaining()[i] < 1) {
                violated.add(rateNames.get(i));
            }
        }
        long retryAfter = Math.max(1, ceilSeconds(decision.nanosToWait()));
        String json = Problem.of(Status.TOO_MANY_REQUESTS,
                        "rate limit '" + name + "' exceeded; retry after " + retryAfter + " s")
                .with("violated-policies", violated)
                .withType(QUOTA_EXCEEDED)
                .toJson();
        return withHeaders(Response.bytes(Status.TOO_MANY_REQUESTS, Response.PROBLEM_JSON,
                        json.getBytes(StandardCharsets.UTF_8)), decision)
                .withHeader("retry-after", Long.toString(retryAfter));
    }

    /** Requests refused (429) since this limit was built. */
    public long refused() {
        return refused.sum();
    }

    /** Local buckets held now (0 with Redis). */
    public int trackedKeys() {
        return local != null ? local.size() : 0;
    }

    /** Requests with a new key that shared the overflow bucket because {@code maxKeys} live buckets were held. */
    public long overflowed() {
        return local != null ? local.overflowed() : 0;
    }

    @Override
    public String name() {
        List<String> parts = new ArrayList<>();
        for (Rate rate : rates) {
            parts.add(rate.tokens() + "/" + period(rate.period()) + (rate.capacity() != rate.tokens() ? " burst " + rate.capacity() : ""));
        }
        return "RateLimit(" + name + ": " + String.join(", ", parts) + (redis != null ? ", redis" : "") + ")";
    }

    @Override
    public Kind kind() {
        return Kind.RATE_LIMIT;
    }

    private static String period(Duration d) {
        if (d.equals(Duration.ofSeconds(1))) {
            return "s";
        } else if (d.equals(Duration.ofMinutes(1))) {
            return "min";
        } else if (d.equals(Duration.ofHours(1))) {
            return "h";
        } else if (d.equals(Duration.ofDays(1))) {
            return "day";
        }
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }

    static long ceilSeconds(long nanos) {
        return nanos <= 0 ? 0 : (nanos + 999_999_999L) / 1_000_000_000L;
    }

    private static TimeMeter meter(Clock clock) {
        if (clock == null) {
            return TimeMeter.SYSTEM_NANOTIME;
        }
        return new TimeMeter() {
            @Override
            public long currentTimeNanos() {
                Instant now = clock.instant();
                return now.getEpochSecond() * 1_000_000_000L + now.getNano();
            }

            @Override
            public boolean isWallClockBased() {
                return true;
            }
        };
    }

    /** Options of a {@link RateLimit}; {@link #build} checks them all at once. */
    public static final class Builder {
        private final String name;
        private final List<Rate> rates = new ArrayList<>();
        private RateLimitKey key = RateLimitKey.clientAddress();
        private int maxKeys = 100_000;
        private RedisBuckets redis;
        private Clock clock;

        private Builder(String name) {
            this.name = name;
        }

        /** Adds a bandwidth: a request must fit every one. */
        public Builder rate(Rate rate) {
            rates.add(Objects.requireNonNull(rate, "rate"));
            return this;
        }

        /** Whose bucket a request draws from (default: the client's address). */
        public Builder key(RateLimitKey key) {
            this.key = Objects.requireNonNull(key, "key");
            return this;
        }

        /** Local buckets held at most (default 100 000); ignored with {@link #redis}. */
        public Builder maxKeys(int value) { this.maxKeys = value; return this; }

        /** Keeps the buckets in Redis, shared with every instance using the same Redis and limit name. */
        public Builder redis(RedisBuckets redis) {
            this.redis = Objects.requireNonNull(redis, "redis");
            return this;
        }

        /** The time local buckets refill by (default: {@code System.nanoTime}); for tests. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Checks every option.
         *
         * @throws WeftException listing every invalid option, one per line
         */
        public RateLimit build() {
            List<String> problems = new ArrayList<>();
            if (name == null || !NAME.matcher(name).matches()) {
                problems.add("name must be 1 to 64 letters, digits or - _ . : (it is sent in headers), got "
                        + (name == null ? "null" : "'" + name + "'"));
            }
            if (rates.isEmpty()) {
                problems.add("at least one rate is needed, e.g. rate(Rate.perMinute(100))");
            }
            List<String> rateNames = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < rates.size(); i++) {
                Rate rate = rates.get(i);
                String label = "rate " + (i + 1) + " (" + rate.tokens() + " per " + rate.period() + ")";
                if (rate.tokens() < 1) {
                    problems.add(label + ": tokens must be at least 1, got " + rate.tokens());
                }
                if (rate.period().isNegative() || rate.period().isZero() || rate.period().compareTo(Duration.ofDays(366)) > 0) {
                    problems.add(label + ": period must be positive and at most 366 days, got " + rate.period());
                }
                if (rate.capacity() < 1) {
                    problems.add(label + ": burst capacity must be at least 1, got " + rate.capacity());
                }
                if (rate.capacity() > 1_000_000_000L) {
                    problems.add(label + ": capacity must be at most 1 000 000 000, got " + rate.capacity());
                }
                String rateName = rate.name().isEmpty()
                        ? (rates.size() == 1 ? String.valueOf(name) : name + "-" + (rate.tokens() >= 1 && !rate.period().isZero() && !rate.period().isNegative() ? rate.windowSeconds() + "s" : String.valueOf(i + 1)))
                        : rate.name();
                if (!rate.name().isEmpty() && !NAME.matcher(rate.name()).matches()) {
                    problems.add(label + ": name must be 1 to 64 letters, digits or - _ . :, got '" + rate.name() + "'");
                } else if (!seen.add(rateName)) {
                    problems.add(label + ": its name '" + rateName + "' is used by another rate; name them with Rate.named(..)");
                }
                rateNames.add(rateName);
            }
            if (maxKeys < 1) {
                problems.add("maxKeys must be at least 1, got " + maxKeys);
            }
            if (redis != null && clock != null) {
                problems.add("clock(..) applies to local buckets only; Redis buckets use the system clock");
            }
            if (!problems.isEmpty()) {
                throw new WeftException("invalid RateLimit options:\n  - " + String.join("\n  - ", problems));
            }
            return new RateLimit(this, List.copyOf(rateNames));
        }
    }
}
