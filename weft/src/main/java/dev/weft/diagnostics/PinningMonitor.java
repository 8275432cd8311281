package dev.weft.diagnostics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingStream;

/**
 * The in-process JFR stream of {@code jdk.VirtualThreadPinned} and
 * {@code jdk.VirtualThreadSubmitFailed}. JFR delivers events asynchronously, about once a second
 * (JEP 349): a report comes up to a second or two after the pin.
 */
final class PinningMonitor implements AutoCloseable {
    static final String PINNED = "jdk.VirtualThreadPinned";
    static final String SUBMIT_FAILED = "jdk.VirtualThreadSubmitFailed";

    private final RecordingStream stream;

    private PinningMonitor(RecordingStream stream) {
        this.stream = stream;
    }

    /**
     * Starts the stream; throws when JFR cannot run here (no {@code jdk.jfr} module in a jlink
     * image, a read-only {@code java.io.tmpdir} for its repository, JFR disabled).
     */
    static PinningMonitor start(Duration threshold, int maxFrames, Consumer<DiagnosticEvent> sink) {
        RecordingStream stream = new RecordingStream();
        try {
            stream.enable(PINNED).withThreshold(threshold).withStackTrace();
            stream.enable(SUBMIT_FAILED).withStackTrace();
            // Micrometer's VirtualThreadMetrics keeps the same bounds: the repository never grows past them.
            stream.setMaxAge(Duration.ofSeconds(5));
            stream.setMaxSize(10L * 1024 * 1024);
            stream.onEvent(PINNED, e -> sink.accept(pinned(e, maxFrames)));
            stream.onEvent(SUBMIT_FAILED, e -> sink.accept(submitFailed(e, maxFrames)));
            stream.startAsync();
            return new PinningMonitor(stream);
        } catch (RuntimeException | Error e) {
            stream.close();
            throw e;
        }
    }

    static DiagnosticEvent.Pinned pinned(RecordedEvent e, int maxFrames) {
        String reason = e.hasField("pinnedReason") ? String.valueOf(e.getString("pinnedReason")) : "";
        return new DiagnosticEvent.Pinned(thread(e), e.getDuration(), reason == null ? "" : reason,
                frames(e.getStackTrace(), maxFrames));
    }

    static DiagnosticEvent.SubmitFailed submitFailed(RecordedEvent e, int maxFrames) {
        String message = e.hasField("exceptionMessage") ? e.getString("exceptionMessage") : null;
        String thread = e.hasField("javaThreadId") ? "#" + e.getLong("javaThreadId") : thread(e);
        return new DiagnosticEvent.SubmitFailed(thread, message == null ? "" : message,
                frames(e.getStackTrace(), maxFrames));
    }

    private static String thread(RecordedEvent e) {
        RecordedThread thread = e.getThread();
        if (thread == null) {
            return "unknown";
        }
        String name = thread.getJavaName();
        return (name == null || name.isEmpty() ? "virtual" : name) + "#" + thread.getJavaThreadId();
    }

    /**
     * The frames, innermost first, without the JDK's own parking mechanics on top
     * ({@code java.lang.VirtualThread}: the same in every report), at most {@code maxFrames}.
     */
    static List<StackTraceElement> frames(RecordedStackTrace trace, int maxFrames) {
        if (trace == null) {
            return List.of();
        }
        List<StackTraceElement> frames = new ArrayList<>();
        boolean top = true;
        for (RecordedFrame frame : trace.getFrames()) {
            String type = frame.getMethod().getType().getName();
            if (top && type.equals("java.lang.VirtualThread")) {
                continue;
            }
            top = false;
            frames.add(new StackTraceElement(type, frame.getMethod().getName(), null, frame.getLineNumber()));
            if (frames.size() == maxFrames) {
                break;
            }
        }
        return frames;
    }

    @Override
    public void close() {
        stream.close();
    }

    /** Logs one report per distinct stack (its top frames) per window; counts the rest. */
    static final class RateLimit {
        private static final int MAX_SIGNATURES = 1024;
        private final long windowNanos;
        private final Map<String, long[]> seen = new ConcurrentHashMap<>();

        RateLimit(Duration window) {
            this.windowNanos = window.toNanos();
        }

        /**
         * Whether to log a report with {@code stack} now; -1 if not, else how many reports of
         * this stack were suppressed since the last one logged.
         */
        long admit(List<StackTraceElement> stack) {
            String signature = signature(stack);
            long now = System.nanoTime();
            if (seen.size() >= MAX_SIGNATURES && !seen.containsKey(signature)) {
                seen.clear(); // bounded: a flood of distinct stacks forgets the old ones
            }
            long[] entry = seen.computeIfAbsent(signature, s -> new long[] {now - windowNanos - 1, 0});
            synchronized (entry) {
                if (now - entry[0] > windowNanos) {
                    long suppressed = entry[1];
                    entry[0] = now;
                    entry[1] = 0;
                    return suppressed;
                }
                entry[1]++;
                return -1;
            }
        }

        private static String signature(List<StackTraceElement> stack) {
            StringBuilder s = new StringBuilder();
            for (int i = 0; i < Math.min(5, stack.size()); i++) {
                s.append(stack.get(i)).append('\n');
            }
            return s.toString();
        }
    }
}
