/**
 * Health probes: liveness, readiness and startup checks registered by the app and its modules,
 * run concurrently on virtual threads with a timeout and a short cache, served as
 * {@code application/health+json}; and the shutdown order load balancers understand (readiness
 * fails first, a delay, then the drain). See {@link dev.weft.health.Health}.
 *
 * {@snippet class=dev.weft.health.HealthExamples region=health}
 */
package dev.weft.health;
