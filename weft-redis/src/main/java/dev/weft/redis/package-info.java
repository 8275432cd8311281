/**
 * Weft on Redis, over Lettuce: {@link dev.weft.redis.RedisSessionStore}, a
 * {@link dev.weft.session.SessionStore} every instance of a service shares.
 */
package dev.weft.redis;
