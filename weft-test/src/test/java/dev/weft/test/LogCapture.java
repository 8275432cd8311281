package dev.weft.test;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Records what a logger logs at {@code INFO} (or a chosen level) and above while open (by default
 * {@code dev.weft.server}: the server's start, stop and shutdown lines); closing restores it.
 */
final class LogCapture implements AutoCloseable {
    private final Logger logger;
    private final Level previousLevel;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>() {
        @Override
        protected void append(ILoggingEvent event) {
            // The MDC is read lazily from the reading thread otherwise: take it from the logging one.
            event.prepareForDeferredProcessing();
            super.append(event);
        }
    };

    LogCapture() {
        this("dev.weft.server");
    }

    /** Records {@code loggerName} and the loggers below it. */
    LogCapture(String loggerName) {
        this(loggerName, Level.INFO);
    }

    /** Records {@code loggerName} and the loggers below it from {@code level} up. */
    LogCapture(String loggerName, Level level) {
        logger = (Logger) LoggerFactory.getLogger(loggerName);
        previousLevel = logger.getLevel();
        appender.start();
        logger.addAppender(appender);
        logger.setLevel(level);
        logger.setAdditive(false); // recorded, not printed
    }

    /** The events logged so far, in order. */
    List<ILoggingEvent> events() {
        synchronized (appender) {
            return List.copyOf(appender.list);
        }
    }

    /**
     * Waits (up to 5 s) until at least {@code count} events were logged, and returns them all: a
     * line logged when the exchange ends may come after the client has read the response.
     */
    List<ILoggingEvent> awaitEvents(int count) {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
        while (true) {
            List<ILoggingEvent> events = events();
            if (events.size() >= count || System.nanoTime() > deadline) {
                return events;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return events();
            }
        }
    }

    /** The key-value pairs of {@code event}, by key (values as logged). */
    static java.util.Map<String, Object> fields(ILoggingEvent event) {
        java.util.Map<String, Object> fields = new java.util.LinkedHashMap<>();
        if (event.getKeyValuePairs() != null) {
            event.getKeyValuePairs().forEach(pair -> fields.put(pair.key, pair.value));
        }
        return fields;
    }

    /** The formatted messages logged so far, in order. */
    List<String> messages() {
        synchronized (appender) { // AppenderBase.doAppend appends under this lock, from any thread
            return appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        }
    }

    /** The formatted messages logged at {@code level} or above so far, in order. */
    List<String> messagesAtLeast(Level level) {
        synchronized (appender) {
            return appender.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(level))
                    .map(ILoggingEvent::getFormattedMessage).toList();
        }
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        logger.setLevel(previousLevel);
        logger.setAdditive(true);
        appender.stop();
    }
}
