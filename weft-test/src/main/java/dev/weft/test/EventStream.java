package dev.weft.test;

import dev.weft.http.Headers;
import dev.weft.http.Method;
import dev.weft.http.Request;
import dev.weft.internal.http.ServerRequest;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A server-sent event stream read by a test, event by event, as a browser's {@code EventSource}
 * would parse it (see {@link ServerEvent}); in memory through an {@link InMemoryClient} (no
 * socket, but the same incremental delivery) or over a real socket through a {@link TestClient}
 * (HTTP/1.1 or HTTP/2, whichever the client speaks; HTTP/1.1 on a raw socket of its own, so
 * closing the stream closes that connection, HTTP/2 through the JDK client, where closing
 * resets the stream).
 *
 * {@snippet class=dev.weft.test.EventStreamExamples region=read}
 *
 * <p>Closing the stream is the client leaving: the server sees the connection closed (HTTP/1.1)
 * or the stream reset (HTTP/2). A response that is not an event stream (an error, a 404) is not
 * parsed: {@link #body()} holds it and {@link #next} reports the end at once.
 */
public final class EventStream implements AutoCloseable {
    private static final Object END = new Object();
    private static final int MAX_HEAD_LINE = 64 * 1024;

    private final LinkedBlockingQueue<Object> received = new LinkedBlockingQueue<>();
    private final AtomicInteger comments = new AtomicInteger();
    private final SseParser parser = new SseParser(received::add, comments::incrementAndGet);
    private int status;
    private Headers headers = Headers.empty();
    private String text = "";
    /** What leaving does: closes the socket, cancels the HTTP/2 stream, or closes the in-memory body. */
    private volatile AutoCloseable leave = () -> {};
    private volatile boolean closed;
    private IOException cutOff;
    private boolean ended;

    private EventStream() {}

    /**
     * Sends {@code GET target} with the given header names and values through {@code client} and
     * returns once the response head has arrived (at most 10 s).
     *
     * @throws IllegalArgumentException if {@code client} is neither a {@link TestClient} nor an {@link InMemoryClient}
     * @throws UncheckedIOException if the request fails
     */
    public static EventStream open(Client client, String target, String... headerNamesAndValues) {
        Objects.requireNonNull(target, "target");
        if (headerNamesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("header names and values come in pairs");
        }
        EventStream stream = new EventStream();
        try {
            switch (client) {
                case TestClient network when network.http2() -> stream.overHttp2(network, target, headerNamesAndValues);
                case TestClient network -> stream.overHttp1(network, target, headerNamesAndValues);
                case InMemoryClient memory -> stream.inMemory(memory, target, headerNamesAndValues);
                default -> throw new IllegalArgumentException(
                        "EventStream works with TestClient or InMemoryClient, not " + client.getClass().getName());
            }
        } catch (IOException e) {
            stream.close();
            throw new UncheckedIOException(e);
        }
        return stream;
    }

    private static boolean isEventStream(Headers headers) {
        return headers.first("content-type").orElse("").toLowerCase(java.util.Locale.ROOT).startsWith("text/event-stream");
    }

    // ---------------------------------------------------------------- HTTP/1.1: a raw socket

    private void overHttp1(TestClient client, String target, String[] extra) throws IOException {
        Socket socket = new Socket();
        leave = socket;
        socket.connect(new InetSocketAddress("127.0.0.1", client.port()), 10_000);
        socket.setSoTimeout(10_000); // for the head; the body is read without a timeout
        StringBuilder request = new StringBuilder("GET ").append(target).append(" HTTP/1.1\r\n")
                .append("host: 127.0.0.1:").append(client.port()).append("\r\n")
                .append("accept: text/event-stream\r\n");
        for (int i = 0; i < extra.length; i += 2) {
            request.append(extra[i]).append(": ").append(extra[i + 1]).append("\r\n");
        }
        OutputStream out = socket.getOutputStream();
        out.write(request.append("\r\n").toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
        InputStream in = new BufferedInputStream(socket.getInputStream());
        String statusLine = line(in);
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP/1.1 status line: " + statusLine);
        }
        status = Integer.parseInt(parts[1]);
        Headers.Builder head = Headers.builder();
        for (String field; !(field = line(in)).isEmpty(); ) {
            int colon = field.indexOf(':');
            head.add(field.substring(0, colon).trim().toLowerCase(java.util.Locale.ROOT), field.substring(colon + 1).trim());
        }
        headers = head.build();
        socket.setSoTimeout(0);
        if (isEventStream(headers)) {
            Thread.ofVirtual().name("weft-test-event-stream").start(() -> {
                try {
                    readBody(in, this::feed);
                    finished(null);
                } catch (IOException e) {
                    finished(e);
                }
            });
        } else {
            var whole = new ByteArrayOutputStream();
            socket.setSoTimeout(10_000);
            readBody(in, whole::write);
            text = whole.toString(StandardCharsets.UTF_8);
            received.add(END);
        }
    }

    private interface Bytes {
        void accept(byte[] bytes, int offset, int length);
    }

    /** Reads a chunked, fixed-length or close-delimited body into {@code sink}. */
    private void readBody(InputStream in, Bytes sink) throws IOException {
        if (headers.first("transfer-encoding").orElse("").toLowerCase(java.util.Locale.ROOT).contains("chunked")) {
            while (true) {
                String size = line(in);
                int semicolon = size.indexOf(';');
                int length = Integer.parseInt((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
                if (length == 0) {
                    while (!line(in).isEmpty()) {
                        // trailers: ignored
                    }
                    return;
                }
                byte[] chunk = in.readNBytes(length);
                if (chunk.length < length) {
                    throw new EOFException("the connection closed inside a chunk");
                }
                sink.accept(chunk, 0, length);
                if (!line(in).isEmpty()) {
                    throw new IOException("a chunk did not end with CRLF");
                }
            }
        }
        Optional<String> length = headers.first("content-length");
        byte[] buffer = new byte[8192];
        if (length.isPresent()) {
            long left = Long.parseLong(length.get());
            while (left > 0) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) {
                    throw new EOFException("the connection closed inside the body");
                }
                sink.accept(buffer, 0, n);
                left -= n;
            }
            return;
        }
        for (int n; (n = in.read(buffer)) >= 0; ) {
            sink.accept(buffer, 0, n);
        }
    }

    /** A line ending with CRLF (or LF), without it. */
    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c; (c = in.read()) != '\n'; ) {
            if (c < 0) {
                throw new EOFException("the connection closed" + (line.isEmpty() ? "" : " inside a line: " + line));
            }
            if (line.length() > MAX_HEAD_LINE) {
                throw new IOException("a line longer than " + MAX_HEAD_LINE + " bytes");
            }
            line.append((char) c);
        }
        int end = line.length();
        return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
    }

    // ---------------------------------------------------------------- HTTP/2: the JDK client

    private void overHttp2(TestClient client, String target, String[] extra) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(client.baseUri().resolve(target))
                .version(HttpClient.Version.HTTP_2)
                .header("accept", "text/event-stream").GET();
        for (int i = 0; i < extra.length; i += 2) {
            request.setHeader(extra[i], extra[i + 1]);
        }
        AtomicReference<Flow.Subscription> subscription = new AtomicReference<>();
        leave = () -> {
            Flow.Subscription s = subscription.get();
            if (s != null) {
                s.cancel(); // resets the stream
            }
        };
        HttpResponse.BodyHandler<byte[]> handler = info -> {
            Headers.Builder head = Headers.builder();
            for (Map.Entry<String, List<String>> e : info.headers().map().entrySet()) {
                if (!e.getKey().startsWith(":")) {
                    e.getValue().forEach(v -> head.add(e.getKey(), v));
                }
            }
            headers = head.build();
            status = info.statusCode();
            if (!isEventStream(headers)) {
                return HttpResponse.BodySubscribers.ofByteArray();
            }
            return new Subscriber(subscription);
        };
        try {
            HttpResponse<byte[]> response = client.http().sendAsync(request.build(), handler).get(10, TimeUnit.SECONDS);
            if (response.body() != null) {
                text = new String(response.body(), StandardCharsets.UTF_8);
                received.add(END);
            }
        } catch (ExecutionException e) {
            throw new IOException("the request failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("no response head within 10 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** Feeds the parser from the JDK client's body publisher, as the bytes come. */
    private final class Subscriber implements HttpResponse.BodySubscriber<byte[]> {
        private final AtomicReference<Flow.Subscription> subscription;

        Subscriber(AtomicReference<Flow.Subscription> subscription) {
            this.subscription = subscription;
        }

        @Override
        public CompletableFuture<byte[]> getBody() {
            return CompletableFuture.completedFuture(null); // the head is enough to return
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription.set(s);
            if (closed) {
                s.cancel();
            } else {
                s.request(Long.MAX_VALUE);
            }
        }

        @Override
        public void onNext(List<java.nio.ByteBuffer> buffers) {
            for (java.nio.ByteBuffer buffer : buffers) {
                byte[] bytes = new byte[buffer.remaining()];
                buffer.get(bytes);
                feed(bytes, 0, bytes.length);
            }
        }

        @Override
        public void onError(Throwable failure) {
            finished(failure instanceof IOException io ? io : new IOException(failure));
        }

        @Override
        public void onComplete() {
            finished(null);
        }
    }

    // ---------------------------------------------------------------- in memory

    private void inMemory(InMemoryClient client, String target, String[] extra) throws IOException {
        Request.Builder builder = Request.builder(Method.GET, target).remoteAddress(client.remoteAddress())
                .header("accept", "text/event-stream");
        for (int i = 0; i < extra.length; i += 2) {
            builder.header(extra[i], extra[i + 1]);
        }
        InMemoryStream.Head head;
        try {
            head = InMemoryStream.start(client.router(), (ServerRequest) builder.build()).get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("no response head within 10 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        status = head.status();
        headers = head.headers();
        InputStream body = head.body();
        leave = body;
        if (!isEventStream(headers)) {
            try (body) {
                text = new String(body.readAllBytes(), StandardCharsets.UTF_8);
            }
            received.add(END);
            return;
        }
        Thread.ofVirtual().name("weft-test-event-stream").start(() -> {
            byte[] buffer = new byte[8192];
            try (body) {
                for (int n; (n = body.read(buffer)) >= 0; ) {
                    feed(buffer, 0, n);
                }
                finished(null);
            } catch (IOException e) {
                finished(e);
            }
        });
    }

    // ---------------------------------------------------------------- reading

    /** The reading thread: more of the body. */
    private void feed(byte[] bytes, int offset, int length) {
        parser.feed(bytes, offset, length);
    }

    /** The reading thread: the body ended, cleanly if {@code failure} is null. */
    private void finished(IOException failure) {
        received.add(failure == null || closed ? END : failure);
    }

    /** The response status. */
    public int status() {
        return status;
    }
    /** The response headers (lower-case names). */
    public Headers headers() {
        return headers;
    }

    /** The first value of header {@code name}. */
    public Optional<String> header(String name) {
        return headers.first(name);
    }

    /** The whole body of a response that was not an event stream; empty for an event stream. */
    public String body() {
        return text;
    }

    /** How many comment lines (keep-alives among them) have been read so far. */
    public int comments() {
        return comments.get();
    }

    /**
     * The next event, or empty once the stream has ended (then {@link #cutOff()} tells how).
     *
     * @throws AssertionError if neither comes within {@code timeout}
     */
    public Optional<ServerEvent> next(Duration timeout) {
        if (ended) {
            return Optional.empty();
        }
        Object item;
        try {
            item = received.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        return switch (item) {
            case null -> throw new AssertionError("no event and no end of the stream within " + timeout);
            case ServerEvent event -> Optional.of(event);
            case IOException failure -> {
                ended = true;
                cutOff = failure;
                yield Optional.empty();
            }
            default -> {
                ended = true;
                yield Optional.empty();
            }
        };
    }

    /**
     * Every event until the stream ends, which must happen within {@code timeout}.
     *
     * @throws AssertionError if the stream does not end in time
     */
    public List<ServerEvent> rest(Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        List<ServerEvent> events = new ArrayList<>();
        for (Optional<ServerEvent> next; (next = next(Duration.ofNanos(Math.max(0, end - System.nanoTime())))).isPresent(); ) {
            events.add(next.get());
        }
        return events;
    }

    /**
     * Whether the stream ended without completing (the connection closed before the last chunk,
     * the HTTP/2 stream was reset, the in-memory body failed); false while it has not ended or
     * after a clean end.
     */
    public boolean cutOff() {
        return cutOff != null;
    }

    /** Leaves the stream, as a browser closing the page: the server sees the client gone. */
    @Override
    public void close() {
        closed = true;
        try {
            leave.close();
        } catch (Exception e) {
            // leaving anyway
        }
    }

    @Override
    public String toString() {
        return "EventStream[" + status + " " + headers + "]";
    }
}
