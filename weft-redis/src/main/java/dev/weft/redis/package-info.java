/**
 * Weft on Redis, over Lettuce: {@link dev.weft.redis.RedisSessionStore}, a
 * {@link dev.weft.session.SessionStore} every instance of a service shares, and
 * {@link dev.weft.redis.RedisConnection}, the connection handling (timeouts, reconnection, outage
 * state) it shares with weft-ratelimit's Redis buckets and any later Redis integration.
 */
package dev.weft.redis;
