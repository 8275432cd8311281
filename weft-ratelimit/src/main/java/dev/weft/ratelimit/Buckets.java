package dev.weft.ratelimit;

import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.VerboseResult;

/**
 * What the stores of buckets ({@link LocalBuckets}, {@link RedisBuckets}) answer: each takes one
 * token from the bucket of a key (created full with the limit's configuration if there is none).
 */
final class Buckets {
    private Buckets() {}

    /** The outcome of one request: allowed or not, tokens left per rate, nanoseconds until one more. */
    record Decision(boolean allowed, long[] remaining, long nanosToWait) {
        static Decision of(VerboseResult<ConsumptionProbe> result) {
            ConsumptionProbe probe = result.getValue();
            return new Decision(probe.isConsumed(), result.getDiagnostics().getAvailableTokensPerEachBandwidth(),
                    probe.isConsumed() ? 0 : probe.getNanosToWaitForRefill());
        }
    }

    /** The store could not decide; the limit applies its failure policy. */
    static final class UnavailableException extends Exception {
        private static final long serialVersionUID = 1L;

        UnavailableException(String message, Throwable cause) {
            super(message, cause, false, false);
        }
    }
}
