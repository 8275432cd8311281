package dev.weft.metrics;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Scrapes {@code /metrics} over real HTTP. The HTTP layer records when the engine reports the end
 * of an exchange, on an event loop, which may be just after the client has the response: checks
 * poll until the meter they wait for shows up (bounded), instead of sleeping.
 */
final class Scrape {
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    private Scrape() {}

    static HttpResponse<String> get(int port, String path, String accept) {
        return send(port, "GET", path, accept);
    }

    static HttpResponse<String> send(int port, String method, String path, String accept) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(10))
                    .method(method, HttpRequest.BodyPublishers.noBody());
            if (accept != null) {
                request.header("accept", accept);
            }
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String text(int adminPort) {
        HttpResponse<String> response = get(adminPort, "/metrics", null);
        if (response.statusCode() != 200) {
            throw new AssertionError("scrape answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    /** Scrapes until every one of {@code needles} is in the text (at most 10 s); returns the last scrape. */
    static String awaitContaining(int adminPort, String... needles) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        String last = "";
        while (System.nanoTime() - end < 0) {
            last = text(adminPort);
            boolean all = true;
            for (String needle : needles) {
                all &= last.contains(needle);
            }
            if (all) {
                return last;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the scrape never contained " + String.join(" and ", needles) + ":\n" + last);
    }

    /**
     * The value of the first sample of {@code name} carrying every one of {@code labels}
     * ({@code key="value"} fragments), or -1 if there is none.
     */
    static double value(String scrape, String name, String... labels) {
        for (String line : scrape.split("\n")) {
            if (!line.startsWith(name + "{") && !line.startsWith(name + " ")) {
                continue;
            }
            boolean all = true;
            for (String label : labels) {
                all &= line.contains(label);
            }
            if (all) {
                int close = line.lastIndexOf('}');
                String rest = line.substring(close < 0 ? name.length() : close + 1).trim();
                return Double.parseDouble(rest.split(" ")[0]);
            }
        }
        return -1;
    }
}
