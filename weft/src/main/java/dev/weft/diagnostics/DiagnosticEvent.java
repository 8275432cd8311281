package dev.weft.diagnostics;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What {@link Diagnostics} reports: each is logged at {@code WARN} (pinning rate-limited) and
 * handed to the listeners given to {@link Diagnostics.Builder#listener}. Stacks are cut to
 * {@code maxFrames}.
 */
public sealed interface DiagnosticEvent {

    /** The frames of the stack, innermost first, at most {@code maxFrames}. */
    List<StackTraceElement> stack();

    /**
     * A virtual thread blocked while pinned to its carrier for longer than the threshold (JFR
     * {@code jdk.VirtualThreadPinned}). On JDK 24+ that is blocking in a class initializer or
     * under a native frame; {@code synchronized} no longer pins (JEP 491).
     *
     * @param thread the virtual thread's name and id
     * @param duration how long it stayed pinned
     * @param reason the JVM's reason when it gives one (JDK 24+ {@code pinnedReason}), else empty
     */
    record Pinned(String thread, Duration duration, String reason, List<StackTraceElement> stack)
            implements DiagnosticEvent {
        public Pinned {
            Objects.requireNonNull(thread, "thread");
            Objects.requireNonNull(duration, "duration");
            Objects.requireNonNull(reason, "reason");
            stack = List.copyOf(stack);
        }
    }

    /**
     * A virtual thread could not be started or continued: its scheduler refused the task (JFR
     * {@code jdk.VirtualThreadSubmitFailed}).
     *
     * @param thread the virtual thread's name and id
     * @param exception the scheduler's exception message
     */
    record SubmitFailed(String thread, String exception, List<StackTraceElement> stack) implements DiagnosticEvent {
        public SubmitFailed {
            Objects.requireNonNull(thread, "thread");
            Objects.requireNonNull(exception, "exception");
            stack = List.copyOf(stack);
        }
    }

    /**
     * An event loop did not run its lag probe for longer than the threshold: something blocked
     * it. {@code stack} is the loop thread's stack taken from the watchdog while it was blocked.
     *
     * @param loop the server's port and the loop's index
     * @param overdue how late the probe was when the stack was taken
     * @param thread the event-loop thread's name
     */
    record EventLoopStall(String loop, Duration overdue, String thread, List<StackTraceElement> stack)
            implements DiagnosticEvent {
        public EventLoopStall {
            Objects.requireNonNull(loop, "loop");
            Objects.requireNonNull(overdue, "overdue");
            Objects.requireNonNull(thread, "thread");
            stack = List.copyOf(stack);
        }
    }

    /**
     * A handler ran longer than {@code slowHandler}; reported once per request, while it runs,
     * with its thread's stack at that moment.
     */
    record SlowHandler(InFlightRequest request, List<StackTraceElement> stack) implements DiagnosticEvent {
        public SlowHandler {
            Objects.requireNonNull(request, "request");
            stack = List.copyOf(stack);
        }
    }
}
