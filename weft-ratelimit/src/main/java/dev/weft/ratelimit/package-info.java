/**
 * Rate limits for Weft routes: per-key token buckets (Bucket4j) with the IETF
 * {@code RateLimit-Policy} / {@code RateLimit} headers and a 429 problem+json beyond the limit.
 *
 * <p>{@link dev.weft.ratelimit.RateLimit} is the layer; {@link dev.weft.ratelimit.Rate} says how
 * many requests per period; {@link dev.weft.ratelimit.RateLimitKey} says whose bucket a request
 * draws from. Buckets live in this process by default (bounded memory), or in Redis through
 * {@link dev.weft.ratelimit.RedisBuckets} so that every instance enforces one limit.
 */
package dev.weft.ratelimit;
