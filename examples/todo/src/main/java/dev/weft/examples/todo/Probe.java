package dev.weft.examples.todo;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * {@code Main probe URL [timeout]}: a container health check without curl. One GET, exit code 0
 * on a 2xx answer, 1 on anything else (another status, a refused connection, a timeout, a bad
 * URL), and one line saying which. Docker's HEALTHCHECK reads exactly that: 0 healthy, 1 unhealthy
 * (2 is reserved, so a usage error is 1 too).
 *
 * <p>It runs in its own short-lived JVM next to the server, so it loads no logging, no Netty and
 * no Weft: only {@code java.net.http}.
 */
final class Probe {
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

    private Probe() {}

    /** Runs the subcommand's arguments (after {@code probe}); returns the process exit code. */
    static int run(String[] args, PrintStream out) {
        if (args.length < 1 || args.length > 2) {
            out.println("usage: probe URL [timeout, e.g. 2s or 500ms]");
            return 1;
        }
        Duration timeout;
        URI uri;
        try {
            timeout = args.length == 2 ? duration(args[1]) : DEFAULT_TIMEOUT;
            uri = URI.create(args[0]);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException("not an http(s) URL with a host");
            }
        } catch (IllegalArgumentException e) {
            out.println("probe: bad arguments: " + e.getMessage());
            return 1;
        }
        return get(uri, timeout, out);
    }

    static int get(URI uri, Duration timeout, PrintStream out) {
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER).build()) {
            // The request timeout covers the answer's head; the body is discarded as it comes.
            HttpResponse<Void> response = client.send(HttpRequest.newBuilder(uri).timeout(timeout).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
            int status = response.statusCode();
            boolean ok = status >= 200 && status < 300;
            out.println("probe: " + uri + " -> " + status + (ok ? " healthy" : " unhealthy"));
            return ok ? 0 : 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            out.println("probe: " + uri + " -> interrupted");
            return 1;
        } catch (Exception e) {
            out.println("probe: " + uri + " -> unhealthy: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()));
            return 1;
        }
    }

    /** {@code 2s}, {@code 500ms}; at least 1 ms, at most a minute. */
    static Duration duration(String text) {
        Duration d;
        try {
            if (text.endsWith("ms")) {
                d = Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
            } else if (text.endsWith("s")) {
                d = Duration.ofSeconds(Long.parseLong(text.substring(0, text.length() - 1)));
            } else {
                throw new IllegalArgumentException("timeout '" + text + "' is not like 2s or 500ms");
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("timeout '" + text + "' is not like 2s or 500ms");
        }
        if (d.isNegative() || d.isZero() || d.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new IllegalArgumentException("timeout '" + text + "' must be between 1ms and 60s");
        }
        return d;
    }
}
