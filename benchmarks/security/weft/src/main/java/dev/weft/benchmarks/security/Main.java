package dev.weft.benchmarks.security;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.weft.jwt.JwtAuth;
import dev.weft.middleware.Cors;
import dev.weft.ratelimit.Rate;
import dev.weft.ratelimit.RateLimit;
import dev.weft.ratelimit.RateLimitKey;
import dev.weft.ratelimit.RedisBuckets;
import dev.weft.routing.Handler;
import dev.weft.routing.Router;
import dev.weft.server.Server;
import io.lettuce.core.RedisURI;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The security benchmark's Weft app ({@code benchmarks/security-run}): the same small JSON,
 * {@code {"message":"Hello, World!"}}, on six routes, each adding one more layer, so the harness
 * can put each layer's cost next to the plain route's:
 *
 * <ul>
 *   <li>{@code /json}: no layer;
 *   <li>{@code /jwt}: {@link JwtAuth}, RS256 with a fixed public key (no JWKS fetch);
 *   <li>{@code /jwt-local}: a local {@link RateLimit} in front of the same JwtAuth;
 *   <li>{@code /jwt-redis}: a {@link RateLimit} whose buckets are in Redis ({@link RedisBuckets}),
 *       in front of JwtAuth;
 *   <li>{@code /jwt-redis-keyed}: the same with a bucket per {@code x-client} header value, so
 *       concurrent requests draw from many Redis keys instead of one;
 *   <li>{@code /jwt-cors}: {@link Cors} in front of the local rate limit and JwtAuth.
 * </ul>
 *
 * <p>Rate limits are keyed by the client's address (their default), so every request of the
 * benchmark draws from one bucket (but {@code /jwt-redis-keyed}'s), and allow 10,000,000 requests per second: high enough never to
 * refuse, so the benchmark measures the cost of checking, not refusals. {@code /stats} says how
 * many requests the limits refused and how many went through without Redis (fail open): the
 * harness requires both to stay 0.
 *
 * <p>Environment: {@code PORT} (8080); {@code REDIS_URI} (e.g. {@code redis://127.0.0.1:6379};
 * without it {@code /jwt-redis} points at a port nobody listens on and fails open);
 * {@code TOKEN_FILE}: where to write a valid bearer token for the benchmark (signed with the key
 * pair generated at startup, valid for a day).
 */
public final class Main {
    static final String ISSUER = "https://issuer.bench";
    static final String AUDIENCE = "bench-api";
    static final String ORIGIN = "https://app.bench.example";
    private static final Rate NEVER_REFUSES = Rate.perSecond(10_000_000);

    private Main() {}

    public record Message(String message) {}

    /** The app's layers, shared by the routes that use them; close it when the app stops. */
    record Layers(JwtAuth jwt, RateLimit local, RateLimit shared, RateLimit keyed, RedisBuckets redis, Cors cors)
            implements AutoCloseable {
        static Layers create(RSAKey key, RedisURI redisUri) {
            JwtAuth jwt = JwtAuth.builder()
                    .issuer(ISSUER)
                    .audience(AUDIENCE)
                    .algorithms("RS256")
                    .keys(new JWKSet(key.toPublicJWK()))
                    .build();
            RedisBuckets redis = RedisBuckets.builder(redisUri).build();
            return new Layers(jwt,
                    RateLimit.builder("local").rate(NEVER_REFUSES).build(),
                    RateLimit.builder("shared").rate(NEVER_REFUSES).redis(redis).build(),
                    // A header the client chooses: fine for a benchmark, not for a real limit
                    // (see RateLimitKey): without it, a request falls back to its address.
                    RateLimit.builder("keyed").rate(NEVER_REFUSES).key(RateLimitKey.header("x-client")).redis(redis).build(),
                    redis,
                    Cors.allowOrigins(ORIGIN));
        }

        @Override
        public void close() {
            jwt.close();
            redis.close();
        }
    }

    static Router app(Layers layers) {
        Message message = new Message("Hello, World!");
        return Router.builder()
                .get("/json", () -> message)
                .get("/jwt", Handler.of(() -> message).layer(layers.jwt()))
                .get("/jwt-local", Handler.of(() -> message).layer(layers.local()).layer(layers.jwt()))
                .get("/jwt-redis", Handler.of(() -> message).layer(layers.shared()).layer(layers.jwt()))
                .get("/jwt-redis-keyed", Handler.of(() -> message).layer(layers.keyed()).layer(layers.jwt()))
                .get("/jwt-cors", Handler.of(() -> message).layer(layers.cors()).layer(layers.local()).layer(layers.jwt()))
                .get("/stats", () -> stats(layers))
                .build();
    }

    private static Map<String, Object> stats(Layers layers) {
        Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("refusedLocal", layers.local().refused());
        stats.put("refusedShared", layers.shared().refused() + layers.keyed().refused());
        stats.put("allowedWithoutRedis", layers.redis().allowedWithoutRedis());
        stats.put("refusedWithoutRedis", layers.redis().refusedWithoutRedis());
        stats.put("redisUnavailable", layers.redis().unavailable());
        return stats;
    }

    static RSAKey generateKey() {
        try {
            return new RSAKeyGenerator(2048).keyID("bench").generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An RS256 access token for {@code subject} that the app's JwtAuth accepts for {@code validity}. */
    static String token(RSAKey key, String subject, Duration validity) {
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .audience(AUDIENCE)
                .subject(subject)
                .claim("scope", "bench:read")
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(validity)))
                .build();
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID())
                    .type(JOSEObjectType.JWT).build(), claims);
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void main(String[] args) throws InterruptedException, IOException {
        Map<String, String> env = System.getenv();
        int port = Integer.parseInt(env.getOrDefault("PORT", "8080"));
        // Port 1: nobody listens there, so without REDIS_URI the Redis route fails open.
        RedisURI redisUri = RedisURI.create(env.getOrDefault("REDIS_URI", "redis://127.0.0.1:1"));
        RSAKey key = generateKey();
        String tokenFile = env.get("TOKEN_FILE");
        if (tokenFile != null) {
            Files.writeString(Path.of(tokenFile), token(key, "bench-user", Duration.ofDays(1)) + "\n");
        }
        try (Layers layers = Layers.create(key, redisUri)) {
            Server.builder().port(port).build().serve(app(layers)).awaitShutdown();
        }
    }
}
