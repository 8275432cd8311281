package dev.weft.test;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * One raw HTTP/1.1 connection to {@code 127.0.0.1} for protocol tests: writes exact bytes, parses
 * responses (status line, headers, body by {@code content-length}, chunked or until EOF) and tells
 * whether the server closed the connection.
 *
 * <p>Every read has a {@link #TIMEOUT_MS} socket timeout and every loop is bounded, so a test
 * fails instead of hanging when the server misbehaves.
 */
final class RawHttp implements AutoCloseable {
    /** The read timeout of every socket, in milliseconds. */
    static final int TIMEOUT_MS = 5_000;
    private static final int MAX_LINE = 64 * 1024;
    private static final int MAX_HEADERS = 1_000;
    private static final int MAX_BODY = 64 * 1024 * 1024;
    private static final int END = -1;
    private static final int TIMED_OUT = -2;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private RawHttp(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /** Connects to {@code 127.0.0.1:port}. */
    static RawHttp connect(int port) throws IOException {
        return connect(port, 0);
    }

    /**
     * Connects to {@code 127.0.0.1:port} with a receive buffer of {@code receiveBufferBytes}
     * (0 leaves the system default and its auto-tuning), to bound how much a client that reads
     * slowly or not at all lets the kernel buffer.
     */
    static RawHttp connect(int port, int receiveBufferBytes) throws IOException {
        Socket socket = new Socket();
        try {
            if (receiveBufferBytes > 0) {
                socket.setReceiveBufferSize(receiveBufferBytes); // before connect, so the window honours it
            }
            socket.setSoTimeout(TIMEOUT_MS);
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MS);
            return new RawHttp(socket);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** Wraps {@code socket}, already connected (a TLS socket, say), and sets its read timeout. */
    static RawHttp over(Socket socket) throws IOException {
        socket.setSoTimeout(TIMEOUT_MS);
        return new RawHttp(socket);
    }

    /** {@code GET target HTTP/1.1} with a host header and {@code extraHeaders} (each {@code "name: value"}). */
    static String get(String target, String... extraHeaders) {
        return request("GET", target, "HTTP/1.1", extraHeaders);
    }

    /** A request head without a body, ending with the empty line. */
    static String request(String method, String target, String version, String... extraHeaders) {
        StringBuilder head = new StringBuilder();
        head.append(method).append(' ').append(target).append(' ').append(version).append("\r\n");
        head.append("Host: 127.0.0.1\r\n");
        for (String header : extraHeaders) {
            head.append(header).append("\r\n");
        }
        return head.append("\r\n").toString();
    }

    /** {@code POST target HTTP/1.1} with {@code body} (and its content-length). */
    static String post(String target, String body, String... extraHeaders) {
        String[] headers = Arrays.copyOf(extraHeaders, extraHeaders.length + 1);
        headers[extraHeaders.length] = "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length;
        return request("POST", target, "HTTP/1.1", headers) + body;
    }

    /** Writes {@code text} as ISO-8859-1 bytes, in one write, and flushes. */
    RawHttp send(String text) throws IOException {
        return send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Shuts down the sending side (a half-close: the server sees end of stream, the socket can still read). */
    RawHttp shutdownOutput() throws IOException {
        socket.shutdownOutput();
        return this;
    }

    /** Writes {@code bytes} in one write and flushes. */
    RawHttp send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /**
     * Writes {@code bytes} on a background daemon thread, for bodies larger than the socket
     * buffers (a write has no timeout; {@link #close()} unblocks it).
     */
    CompletableFuture<Void> sendInBackground(byte[] bytes) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread.ofPlatform().daemon().name("raw-http-writer").start(() -> {
            try {
                send(bytes);
                done.complete(null);
            } catch (IOException | RuntimeException e) {
                done.completeExceptionally(e);
            }
        });
        return done;
    }

    /** Reads one response (also an interim 1xx one) to a request that was not HEAD. */
    Response read() throws IOException {
        return read(false);
    }

    /** Reads one response; {@code head} if it answers a HEAD request (so it has no body). */
    Response read(boolean head) throws IOException {
        Response start = readHead();
        int status = start.status();
        Map<String, List<String>> headers = start.headers();
        boolean chunked = start.chunked();
        byte[] body;
        if (head || status / 100 == 1 || status == 204 || status == 304) {
            body = new byte[0];
        } else if (chunked) {
            body = readChunked();
        } else if (headers.containsKey("content-length")) {
            long length = Long.parseLong(headers.get("content-length").getFirst().trim());
            if (length > MAX_BODY) {
                throw new IOException("content-length " + length + " is larger than this test client accepts");
            }
            body = in.readNBytes((int) length);
            if (body.length != length) {
                throw new EOFException("the connection closed after " + body.length + " of " + length + " body bytes");
            }
        } else {
            body = readToEnd();
        }
        return new Response(start.version(), status, start.reason(), headers, body, chunked);
    }

    /**
     * Reads the status line and headers of one response and leaves its body unread (for
     * {@link #readSome} or for a test that never reads it); the returned body is empty.
     */
    Response readHead() throws IOException {
        String statusLine = readLine();
        if (statusLine == null) {
            throw new EOFException("the server closed the connection before sending a response");
        }
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
            throw new IOException("not an HTTP status line: '" + statusLine + "'");
        }
        int status;
        try {
            status = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new IOException("not an HTTP status line: '" + statusLine + "'", e);
        }
        Map<String, List<String>> headers = readHeaders();
        boolean chunked = headers.getOrDefault("transfer-encoding", List.of()).stream()
                .anyMatch(v -> v.toLowerCase(Locale.ROOT).contains("chunked"));
        return new Response(parts[0], status, parts.length > 2 ? parts[2] : "", headers, new byte[0], chunked);
    }

    /**
     * Reads whatever bytes come next, blocking until {@code buffer} is full or the stream ends:
     * returns how many were read, fewer than {@code buffer.length} only at end of stream.
     * A reset by the server counts as end of stream; a {@link SocketTimeoutException} after
     * {@link #TIMEOUT_MS} without a byte is thrown.
     */
    int readSome(byte[] buffer) throws IOException {
        int filled = 0;
        while (filled < buffer.length) { // each pass reads at least one byte, or returns, or throws
            int n;
            try {
                n = in.read(buffer, filled, buffer.length - filled);
            } catch (SocketException reset) {
                return filled;
            }
            if (n < 0) {
                return filled;
            }
            filled += n;
        }
        return filled;
    }

    /**
     * Reads one response, or returns empty if the connection ends (end of stream or reset) before
     * its first byte, as when the server closes an idle keep-alive connection the request was
     * racing to. A response cut after its first byte still throws.
     */
    Optional<Response> readUnlessClosed() throws IOException {
        in.mark(1);
        int next = nextByte();
        if (next == TIMED_OUT) {
            throw new SocketTimeoutException("no response within " + TIMEOUT_MS + " ms");
        }
        if (next == END) {
            return Optional.empty();
        }
        in.reset();
        return Optional.of(read());
    }

    /** Reads {@code count} responses in order. */
    List<Response> read(int count) throws IOException {
        List<Response> responses = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            responses.add(read());
        }
        return responses;
    }

    /**
     * Whether the server has closed the connection: the next read sees end of stream or a reset
     * within {@link #TIMEOUT_MS}; {@code false} if the connection stays open that long. Bytes that
     * arrive instead fail the test.
     */
    boolean closedByServer() throws IOException {
        int next = nextByte();
        if (next == TIMED_OUT) {
            return false;
        }
        if (next == END) {
            return true;
        }
        byte[] more = in.readNBytes(Math.min(in.available(), 200));
        throw new AssertionError("expected the connection to close, but the server sent: "
                + (char) next + new String(more, StandardCharsets.ISO_8859_1));
    }

    /**
     * Whether the server sends nothing and keeps the connection open for {@code millis}; a byte
     * that arrives is kept for the next read.
     */
    boolean readsNothingWithin(int millis) throws IOException {
        socket.setSoTimeout(millis);
        try {
            in.mark(1);
            int next = nextByte();
            if (next >= 0) {
                in.reset();
            }
            return next == TIMED_OUT;
        } finally {
            socket.setSoTimeout(TIMEOUT_MS);
        }
    }

    /**
     * Reads every byte until the server closes the connection (end of stream or reset) and
     * returns them; fails with a {@link SocketTimeoutException} if {@link #TIMEOUT_MS} pass
     * without a byte or the close.
     */
    byte[] readUntilClosed() throws IOException {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        while (received.size() <= MAX_BODY) {
            int n;
            try {
                n = in.read(buffer);
            } catch (SocketTimeoutException e) {
                throw new SocketTimeoutException("the server did not close the connection within " + TIMEOUT_MS
                        + " ms; received " + received.size() + " bytes");
            } catch (SocketException reset) {
                return received.toByteArray();
            }
            if (n < 0) {
                return received.toByteArray();
            }
            received.write(buffer, 0, n);
        }
        throw new IOException("more bytes than this test client accepts before the close");
    }

    /**
     * Whether {@code 127.0.0.1:port} refuses new connections: connecting fails, or the connection
     * is closed (end of stream or reset) without a byte of response to a simple GET.
     */
    static boolean refusesConnections(int port) {
        RawHttp connection;
        try {
            connection = connect(port);
        } catch (IOException refused) {
            return true;
        }
        try (connection) {
            connection.send(get("/"));
            return connection.nextByte() == END;
        } catch (IOException writeFailed) {
            return true;
        }
    }

    /** The next byte, {@link #END} at end of stream or reset, {@link #TIMED_OUT} after the read timeout. */
    private int nextByte() throws IOException {
        try {
            return in.read();
        } catch (SocketTimeoutException e) {
            return TIMED_OUT;
        } catch (SocketException e) {
            return END; // reset by the server
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** Closes with a reset (SO_LINGER 0) instead of an orderly close, as a client that vanishes might. */
    void abort() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    private Map<String, List<String>> readHeaders() throws IOException {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (int i = 0; i <= MAX_HEADERS; i++) {
            String line = readLine();
            if (line == null) {
                throw new EOFException("the connection closed inside the response headers");
            }
            if (line.isEmpty()) {
                return headers;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IOException("malformed response header line: '" + line + "'");
            }
            String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            headers.computeIfAbsent(name, n -> new ArrayList<>()).add(line.substring(colon + 1).trim());
        }
        throw new IOException("more than " + MAX_HEADERS + " response headers");
    }

    private byte[] readChunked() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (int i = 0; i < 1_000_000; i++) {
            String sizeLine = readLine();
            if (sizeLine == null) {
                throw new EOFException("the connection closed inside a chunked body");
            }
            int semicolon = sizeLine.indexOf(';');
            int size = Integer.parseInt((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
            if (size == 0) {
                readHeaders(); // trailers
                return body.toByteArray();
            }
            if (body.size() + size > MAX_BODY) {
                throw new IOException("chunked body larger than this test client accepts");
            }
            byte[] chunk = in.readNBytes(size);
            if (chunk.length != size) {
                throw new EOFException("the connection closed inside a chunk");
            }
            body.write(chunk);
            String end = readLine();
            if (end == null || !end.isEmpty()) {
                throw new IOException("a chunk is not followed by CRLF");
            }
        }
        throw new IOException("too many chunks");
    }

    private byte[] readToEnd() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        while (body.size() <= MAX_BODY) {
            int n = in.read(buffer);
            if (n < 0) {
                return body.toByteArray();
            }
            body.write(buffer, 0, n);
        }
        throw new IOException("close-delimited body larger than this test client accepts");
    }

    /** A line without its CRLF (a bare LF also ends it); {@code null} at end of stream before any byte. */
    private String readLine() throws IOException {
        StringBuilder line = new StringBuilder();
        while (line.length() < MAX_LINE) {
            int b = in.read();
            if (b < 0) {
                if (line.isEmpty()) {
                    return null;
                }
                throw new EOFException("the connection closed in the middle of a line: '" + line + "'");
            }
            if (b == '\n') {
                int last = line.length() - 1;
                if (last >= 0 && line.charAt(last) == '\r') {
                    line.setLength(last);
                }
                return line.toString();
            }
            line.append((char) b);
        }
        throw new IOException("a response line is longer than " + MAX_LINE + " bytes");
    }

    /**
     * One parsed response.
     *
     * @param version the protocol of the status line, e.g. {@code HTTP/1.1}
     * @param status the status code
     * @param reason the reason phrase
     * @param headers every header, by lower-case name, values in order
     * @param body the body bytes (decoded from chunks if it was chunked)
     * @param chunked whether the body was sent with chunked transfer coding
     */
    record Response(String version, int status, String reason, Map<String, List<String>> headers, byte[] body,
            boolean chunked) {

        /** The first value of {@code name} (case-insensitive). */
        Optional<String> header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
        }

        /** Whether the {@code connection} header lists {@code token} (case-insensitive). */
        boolean connectionHas(String token) {
            return headers.getOrDefault("connection", List.of()).stream()
                    .flatMap(v -> Arrays.stream(v.split(",")))
                    .anyMatch(t -> t.trim().equalsIgnoreCase(token));
        }

        /** The body as UTF-8 text. */
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** As a {@link TestResponse}, for the assertions shared with the other clients. */
        TestResponse toTestResponse() {
            dev.weft.http.Headers.Builder plain = dev.weft.http.Headers.builder();
            headers.forEach((name, values) -> values.forEach(value -> plain.add(name, value)));
            return new TestResponse(status, plain.build(), body);
        }

        @Override
        public String toString() {
            return version + " " + status + " " + reason + " " + headers + " " + text();
        }
    }
}
