package dev.weft.test;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Records what the server logs on {@code dev.weft.server} (its start, stop and shutdown lines)
 * at {@code INFO} and above while open; closing restores the logger.
 */
final class LogCapture implements AutoCloseable {
    private final Logger logger = (Logger) LoggerFactory.getLogger("dev.weft.server");
    private final Level previousLevel = logger.getLevel();
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    LogCapture() {
        appender.start();
        logger.addAppender(appender);
        logger.setLevel(Level.INFO);
        logger.setAdditive(false); // recorded, not printed
    }

    /** The formatted messages logged so far, in order. */
    List<String> messages() {
        synchronized (appender) { // AppenderBase.doAppend appends under this lock, from any thread
            return appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
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
