package dev.weft.redis.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Repeats an action until its result satisfies a condition: Redis reconnects in the background. */
public final class Eventually {
    private Eventually() {}

    /**
     * Calls {@code action} every 50 ms until its result satisfies {@code done}, and returns that
     * result; fails (showing the last result) once {@code bound} has passed.
     */
    public static <T> T until(Supplier<T> action, Predicate<T> done, Duration bound) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        while (true) {
            T result = action.get();
            if (done.test(result)) {
                return result;
            }
            assertThat(System.nanoTime()).as("did not reach the expected state; last: %s", result)
                    .isLessThan(deadline);
            Thread.sleep(50);
        }
    }
}
