package dev.weft.middleware;

import dev.weft.WeftException;
import dev.weft.http.Request;
import dev.weft.internal.http.Completion;
import dev.weft.internal.http.HttpTokens;
import dev.weft.internal.http.Redaction;
import dev.weft.internal.http.ServerRequest;
import dev.weft.response.Response;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * Logs one line per request through SLF4J, when the exchange ends: after the last byte of the
 * response was written, or when the client left. Fields are SLF4J key-value pairs (a JSON encoder
 * writes them as fields), and the message reads on its own:
 * {@code GET /todos/7 → 200, 42 bytes in 3.1 ms (route /todos/{id}, id 01J…, client 10.0.0.5, HTTP/1.1)}.
 *
 * {@snippet class=dev.weft.middleware.AccessLogExamples region=access-log}
 *
 * <table class="striped">
 *   <caption>Fields</caption>
 *   <thead><tr><th>key</th><th>value</th></tr></thead>
 *   <tbody>
 *     <tr><td>{@code method}</td><td>the request method</td></tr>
 *     <tr><td>{@code route}</td><td>the matched route template ({@code /todos/{id}}); absent when no route matched (404, a fallback)</td></tr>
 *     <tr><td>{@code path}</td><td>the raw path, control and non-ASCII characters escaped as {@code \xNN}, cut at {@code maxPathLength}</td></tr>
 *     <tr><td>{@code status}</td><td>the status sent (0 if the client left before any)</td></tr>
 *     <tr><td>{@code bytes}</td><td>body bytes written</td></tr>
 *     <tr><td>{@code duration_ms}</td><td>from this layer to the last byte (or the abort)</td></tr>
 *     <tr><td>{@code head_ms}</td><td>from this layer to the response head; absent if none was sent</td></tr>
 *     <tr><td>{@code request_id}</td><td>from {@link RequestId} when it runs outside this layer</td></tr>
 *     <tr><td>{@code client}</td><td>the client's IP address, {@code Request.client()}: the peer, or what a trusted proxy says</td></tr>
 *     <tr><td>{@code protocol}</td><td>{@code HTTP/1.1}, {@code HTTP/2.0} …</td></tr>
 *     <tr><td>{@code aborted}</td><td>true if the client left, the stream was reset or the body was cut off</td></tr>
 *     <tr><td>{@code header.<name>}</td><td>each header named in {@code requestHeaders}, sensitive ones {@code <redacted>}</td></tr>
 *   </tbody>
 * </table>
 *
 * <table class="striped">
 *   <caption>Options</caption>
 *   <thead><tr><th>option</th><th>default</th><th>meaning</th></tr></thead>
 *   <tbody>
 *     <tr><td>{@code logger}</td><td>{@code dev.weft.access}</td><td>the SLF4J logger name</td></tr>
 *     <tr><td>{@code successLevel}</td><td>INFO</td><td>level for 1xx, 2xx and 3xx</td></tr>
 *     <tr><td>{@code clientErrorLevel}</td><td>INFO</td><td>level for 4xx, and for exchanges aborted before a status was sent</td></tr>
 *     <tr><td>{@code serverErrorLevel}</td><td>WARN</td><td>level for 5xx (the failure itself is logged at ERROR where it happens)</td></tr>
 *     <tr><td>{@code sampleSuccess}</td><td>1</td><td>log one in N successful lines; errors and aborted exchanges are never sampled</td></tr>
 *     <tr><td>{@code requestHeaders}</td><td>none</td><td>request headers to add as {@code header.<name>} fields</td></tr>
 *     <tr><td>{@code sensitiveHeaders}</td><td>none</td><td>more headers to redact, besides {@code authorization}, {@code proxy-authorization}, {@code cookie}, {@code set-cookie}</td></tr>
 *     <tr><td>{@code maxPathLength}</td><td>256</td><td>longest path logged (characters), then {@code …}</td></tr>
 *     <tr><td>{@code maxHeaderLength}</td><td>256</td><td>longest header value logged, then {@code …}</td></tr>
 *   </tbody>
 * </table>
 *
 * <p>The line is logged on the thread that ends the exchange, usually a Netty event loop: use an
 * asynchronous appender if the log's destination can block. A request handed straight to
 * {@code router.handle(request)} (not through a server or a test client) never ends, so it is not
 * logged. Install it on the root router, inside {@link RequestId}.
 */
public final class AccessLog implements Middleware {

    /** Log levels, named as SLF4J names them; {@link #OFF} logs nothing. */
    public enum Level { OFF, TRACE, DEBUG, INFO, WARN, ERROR }

    private final Logger logger;
    private final Level success;
    private final Level clientError;
    private final Level serverError;
    private final int sampleSuccess;
    private final List<String> requestHeaders;
    private final Set<String> sensitive;
    private final int maxPathLength;
    private final int maxHeaderLength;
    private final AtomicLong successes = new AtomicLong();

    private AccessLog(Builder b) {
        this.logger = LoggerFactory.getLogger(b.logger);
        this.success = b.successLevel;
        this.clientError = b.clientErrorLevel;
        this.serverError = b.serverErrorLevel;
        this.sampleSuccess = b.sampleSuccess;
        this.requestHeaders = List.copyOf(b.requestHeaders);
        Set<String> names = new LinkedHashSet<>(Redaction.ALWAYS);
        names.addAll(b.sensitiveHeaders);
        this.sensitive = Set.copyOf(names);
        this.maxPathLength = b.maxPathLength;
        this.maxHeaderLength = b.maxHeaderLength;
    }

    /** The layer with every default. */
    public static AccessLog create() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Response handle(Request request, Next next) throws Exception {
        long start = System.nanoTime();
        ServerRequest server = (ServerRequest) request; // Request is sealed
        // Registered before the handler runs: a client that leaves meanwhile is logged too.
        server.onComplete(done -> log(server, start, done));
        return next.run(request);
    }

    @Override
    public String name() {
        return "AccessLog";
    }

    @Override
    public Kind kind() {
        return Kind.ACCESS_LOG;
    }

    /** Logs the line for {@code request}; on the thread that ended the exchange. */
    private void log(ServerRequest request, long start, Completion done) {
        int status = done.status();
        Level level = status >= 500 ? serverError : status >= 400 || status == 0 ? clientError : success;
        if (level == Level.OFF || !enabled(level)) {
            return;
        }
        if (status < 400 && status > 0 && !done.aborted() && sampleSuccess > 1
                && successes.getAndIncrement() % sampleSuccess != 0) {
            return;
        }
        String method = escape(request.method().name(), 32);
        String route = request.matchedPath().orElse(null);
        String path = escape(request.path(), maxPathLength);
        double durationMs = (done.endNanos() - start) / 1e6;
        Double headMs = done.headNanos() == 0 ? null : Math.max(0, done.headNanos() - start) / 1e6;
        String id = RequestId.of(request).orElse(null);
        String client = request.client().address().getHostAddress();
        LoggingEventBuilder line = logger.atLevel(slf4j(level))
                .addKeyValue("method", method);
        if (route != null) {
            line = line.addKeyValue("route", route);
        }
        line = line.addKeyValue("path", path)
                .addKeyValue("status", status)
                .addKeyValue("bytes", done.bytes())
                .addKeyValue("duration_ms", round(durationMs));
        if (headMs != null) {
            line = line.addKeyValue("head_ms", round(headMs));
        }
        if (id != null) {
            line = line.addKeyValue("request_id", id);
        }
        line = line.addKeyValue("client", client)
                .addKeyValue("protocol", request.protocol())
                .addKeyValue("aborted", done.aborted());
        for (String name : requestHeaders) {
            List<String> values = request.headers().all(name);
            if (!values.isEmpty()) {
                String value = sensitive.contains(name) ? Redaction.REDACTED
                        : escape(String.join(", ", values), maxHeaderLength);
                line = line.addKeyValue("header." + name, value);
            }
        }
        StringBuilder message = new StringBuilder(96).append(method).append(' ').append(path).append(" → ");
        message.append(status == 0 ? "no response" : Integer.toString(status)).append(", ").append(done.bytes())
                .append(" bytes in ").append(round(durationMs)).append(" ms (route ")
                .append(route == null ? "none" : route);
        if (id != null) {
            message.append(", id ").append(id);
        }
        message.append(", client ").append(client).append(", ").append(request.protocol());
        if (done.aborted()) {
            message.append(", aborted");
        }
        line.setMessage(message.append(')').toString()).log();
    }

    private boolean enabled(Level level) {
        return switch (level) {
            case TRACE -> logger.isTraceEnabled();
            case DEBUG -> logger.isDebugEnabled();
            case INFO -> logger.isInfoEnabled();
            case WARN -> logger.isWarnEnabled();
            case ERROR -> logger.isErrorEnabled();
            case OFF -> false;
        };
    }

    private static org.slf4j.event.Level slf4j(Level level) {
        return org.slf4j.event.Level.valueOf(level.name());
    }

    private static double round(double ms) {
        return Math.round(ms * 1000) / 1000.0;
    }

    /**
     * {@code text} safe for one log line: control characters, non-ASCII characters, {@code "} and
     * {@code \} escaped ({@code \xNN}, {@code \\uNNNN}), cut at {@code max} characters of input
     * with {@code …} appended.
     */
    static String escape(String text, int max) {
        int n = Math.min(text.length(), max);
        StringBuilder out = null;
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            boolean plain = c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
            if (!plain && out == null) {
                out = new StringBuilder(n + 16).append(text, 0, i);
            }
            if (out != null) {
                if (plain) {
                    out.append(c);
                } else if (c == '"' || c == '\\') {
                    out.append('\\').append(c);
                } else if (c <= 0xff) {
                    out.append("\\x").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 15, 16));
                } else {
                    out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                }
            }
        }
        String result = out != null ? out.toString() : n == text.length() ? text : text.substring(0, n);
        return n < text.length() ? result + "…" : result;
    }

    /** Options built one by one; {@link #build()} checks them all. */
    public static final class Builder {
        private String logger = "dev.weft.access";
        private Level successLevel = Level.INFO;
        private Level clientErrorLevel = Level.INFO;
        private Level serverErrorLevel = Level.WARN;
        private int sampleSuccess = 1;
        private final List<String> requestHeaders = new ArrayList<>();
        private final List<String> sensitiveHeaders = new ArrayList<>();
        private int maxPathLength = 256;
        private int maxHeaderLength = 256;
        private final List<String> problems = new ArrayList<>();

        private Builder() {}

        /** The SLF4J logger name; default {@code dev.weft.access}. */
        public Builder logger(String name) {
            this.logger = name;
            return this;
        }

        /** The level of 1xx, 2xx and 3xx lines; default INFO. */
        public Builder successLevel(Level level) {
            this.successLevel = level;
            return this;
        }

        /** The level of 4xx lines and of exchanges aborted before a status; default INFO. */
        public Builder clientErrorLevel(Level level) {
            this.clientErrorLevel = level;
            return this;
        }

        /** The level of 5xx lines; default WARN. */
        public Builder serverErrorLevel(Level level) {
            this.serverErrorLevel = level;
            return this;
        }

        /** Logs one in {@code n} successful exchanges (1 to 1,000,000; default 1: all). */
        public Builder sampleSuccess(int n) {
            this.sampleSuccess = n;
            return this;
        }

        /** Request headers to log as {@code header.<name>} fields; sensitive ones are redacted. */
        public Builder requestHeaders(String... names) {
            for (String name : names) {
                if (!HttpTokens.isToken(name)) {
                    problems.add("requestHeaders: " + RequestId.quoted(name) + " is not a header name");
                } else {
                    requestHeaders.add(name.toLowerCase(Locale.ROOT));
                }
            }
            return this;
        }

        /** Headers to redact besides {@code authorization}, {@code proxy-authorization}, {@code cookie}, {@code set-cookie}. */
        public Builder sensitiveHeaders(String... names) {
            for (String name : names) {
                if (!HttpTokens.isToken(name)) {
                    problems.add("sensitiveHeaders: " + RequestId.quoted(name) + " is not a header name");
                } else {
                    sensitiveHeaders.add(name.toLowerCase(Locale.ROOT));
                }
            }
            return this;
        }

        /** The longest path logged, 16 to 65,536 characters; default 256. */
        public Builder maxPathLength(int characters) {
            this.maxPathLength = characters;
            return this;
        }

        /** The longest header value logged, 16 to 65,536 characters; default 256. */
        public Builder maxHeaderLength(int characters) {
            this.maxHeaderLength = characters;
            return this;
        }

        /**
         * Checks every option at once.
         *
         * @throws WeftException listing every invalid option, one per line
         */
        public AccessLog build() {
            List<String> all = new ArrayList<>(problems);
            if (logger == null || logger.isBlank()) {
                all.add("logger must not be blank, got " + RequestId.quoted(logger));
            }
            if (successLevel == null) {
                all.add("successLevel must be set");
            }
            if (clientErrorLevel == null) {
                all.add("clientErrorLevel must be set");
            }
            if (serverErrorLevel == null) {
                all.add("serverErrorLevel must be set");
            }
            if (sampleSuccess < 1 || sampleSuccess > 1_000_000) {
                all.add("sampleSuccess must be 1 to 1000000, got " + sampleSuccess);
            }
            if (maxPathLength < 16 || maxPathLength > 65_536) {
                all.add("maxPathLength must be 16 to 65536, got " + maxPathLength);
            }
            if (maxHeaderLength < 16 || maxHeaderLength > 65_536) {
                all.add("maxHeaderLength must be 16 to 65536, got " + maxHeaderLength);
            }
            if (!all.isEmpty()) {
                throw new WeftException("invalid AccessLog options:\n  - " + String.join("\n  - ", all));
            }
            return new AccessLog(this);
        }
    }

    @Override
    public String toString() {
        return "AccessLog[" + Objects.requireNonNull(logger.getName()) + "]";
    }
}
