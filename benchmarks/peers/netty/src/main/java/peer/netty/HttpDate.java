package peer.netty;

import io.netty.handler.codec.DateFormatter;
import io.netty.util.AsciiString;
import io.netty.util.concurrent.EventExecutor;

import java.util.Date;
import java.util.concurrent.TimeUnit;

/** The value of the Date header, formatted once a second instead of once a response. */
final class HttpDate {

    private static volatile AsciiString now = format();

    private HttpDate() {
    }

    static void start(EventExecutor executor) {
        executor.scheduleAtFixedRate(() -> now = format(), 1000, 1000, TimeUnit.MILLISECONDS);
    }

    static AsciiString now() {
        return now;
    }

    private static AsciiString format() {
        return AsciiString.cached(DateFormatter.format(new Date()));
    }
}
