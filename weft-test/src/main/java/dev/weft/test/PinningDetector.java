package dev.weft.test;

import dev.weft.diagnostics.DiagnosticEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingStream;

/**
 * Fails a test when code pinned a virtual thread to its carrier: a JFR stream of
 * {@code jdk.VirtualThreadPinned} records while the action runs, and is drained before the check
 * (JFR delivers asynchronously; {@code RecordingStream.stop()} waits for every recorded event).
 *
 * <pre>{@code
 * PinningDetector.assertNoPinning(() -> client.get("/report"));
 * }</pre>
 *
 * <p>On JDK 24+ {@code synchronized} no longer pins (JEP 491); what still pins is blocking in a
 * class initializer or under a native frame (JNI drivers, upcalls). Pins by any thread during the
 * action count, so run pinning checks in tests that do not run in parallel with others.
 */
public final class PinningDetector {
    /** JFR's own default threshold for {@code jdk.VirtualThreadPinned}. */
    public static final Duration DEFAULT_THRESHOLD = Duration.ofMillis(20);
    private static final int MAX_FRAMES = 32;

    /** What the action does; it may throw. */
    @FunctionalInterface
    public interface Action {
        void run() throws Exception;
    }

    private PinningDetector() {}

    /** Runs {@code action}; throws {@link AssertionError} with the stacks if a thread was pinned over 20 ms. */
    public static void assertNoPinning(Action action) throws Exception {
        assertNoPinning(DEFAULT_THRESHOLD, action);
    }

    /** Runs {@code action}; throws {@link AssertionError} with the stacks if a thread was pinned over {@code threshold}. */
    public static void assertNoPinning(Duration threshold, Action action) throws Exception {
        List<DiagnosticEvent.Pinned> pins = record(threshold, action);
        if (!pins.isEmpty()) {
            StringBuilder message = new StringBuilder(pins.size() + " virtual thread pin(s) over "
                    + threshold.toMillis() + " ms:");
            for (DiagnosticEvent.Pinned pin : pins) {
                message.append("\n").append(pin.thread()).append(" pinned for ").append(pin.duration().toMillis())
                        .append(" ms").append(pin.reason().isEmpty() ? "" : " (" + pin.reason() + ")");
                for (StackTraceElement frame : pin.stack()) {
                    message.append("\n\tat ").append(frame);
                }
            }
            throw new AssertionError(message.toString());
        }
    }

    /** Runs {@code action} and returns the pins over {@code threshold} recorded meanwhile. */
    public static List<DiagnosticEvent.Pinned> record(Duration threshold, Action action) throws Exception {
        Objects.requireNonNull(threshold, "threshold");
        Objects.requireNonNull(action, "action");
        List<DiagnosticEvent.Pinned> pins = new ArrayList<>();
        try (RecordingStream stream = new RecordingStream()) {
            stream.enable("jdk.VirtualThreadPinned").withThreshold(threshold).withStackTrace();
            stream.onEvent("jdk.VirtualThreadPinned", e -> {
                synchronized (pins) {
                    pins.add(pinned(e));
                }
            });
            stream.startAsync();
            try {
                action.run();
            } finally {
                stream.stop(); // flushes, and returns once every recorded event was handed to onEvent
            }
        }
        synchronized (pins) {
            return List.copyOf(pins);
        }
    }

    private static DiagnosticEvent.Pinned pinned(RecordedEvent e) {
        RecordedThread thread = e.getThread();
        String name = thread == null ? "unknown"
                : (thread.getJavaName() == null || thread.getJavaName().isEmpty() ? "virtual" : thread.getJavaName())
                        + "#" + thread.getJavaThreadId();
        String reason = e.hasField("pinnedReason") ? e.getString("pinnedReason") : null;
        List<StackTraceElement> frames = new ArrayList<>();
        if (e.getStackTrace() != null) {
            for (RecordedFrame frame : e.getStackTrace().getFrames()) {
                String type = frame.getMethod().getType().getName();
                if (frames.isEmpty() && type.equals("java.lang.VirtualThread")) {
                    continue; // the JDK's parking mechanics, the same in every pin
                }
                frames.add(new StackTraceElement(type, frame.getMethod().getName(), null, frame.getLineNumber()));
                if (frames.size() == MAX_FRAMES) {
                    break;
                }
            }
        }
        return new DiagnosticEvent.Pinned(name, e.getDuration(), reason == null ? "" : reason, frames);
    }
}
