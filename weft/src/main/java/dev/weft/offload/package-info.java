/**
 * Bounded work off the request's virtual thread: {@link dev.weft.offload.Offload} runs CPU-heavy
 * tasks on a bounded platform-thread pool, {@link dev.weft.offload.Bulkhead} bounds concurrent
 * calls to a slow external resource. Both answer 503 with {@code retry-after} when full.
 */
package dev.weft.offload;
