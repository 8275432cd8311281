package dev.weft.test;

import dev.weft.ws.Message;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A WebSocket client over a real socket for tests: the handshake, whole messages, and — for
 * protocol tests — raw frames of any shape (unmasked, reserved bits, bad opcodes, fragments).
 *
 * <p>Blocking and single-threaded: a test sends and receives in turn. {@link #receive(Duration)}
 * answers the server's pings by itself (unless {@link #answerPings(boolean) turned off}), joins
 * fragments, and returns {@link Message.Close} once the server closed (its Close frame, or the
 * connection). Every read is bounded by a timeout, so a test fails instead of hanging.
 *
 * {@snippet class=dev.weft.test.WebSocketClientExamples region=echo}
 */
public final class WebSocketClient implements TestWebSocket {
    /** Opcodes (RFC 6455 §5.2). */
    public static final int CONTINUATION = 0x0, TEXT = 0x1, BINARY = 0x2, CLOSE = 0x8, PING = 0x9, PONG = 0xA;
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * One frame as it came off the wire.
     *
     * @param fin the final-fragment bit
     * @param rsv the three reserved bits
     * @param opcode the opcode
     * @param payload the (unmasked) payload
     */
    public record Frame(boolean fin, int rsv, int opcode, byte[] payload) {
        /** The close code of a Close frame, 1005 if it has none. */
        public int closeCode() {
            return payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : Message.Close.NO_STATUS;
        }

        /** The reason of a Close frame. */
        public String closeReason() {
            return payload.length > 2 ? new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8) : "";
        }
    }

    /** The server's answer to the handshake: status, headers (names lower-cased) and any body. */
    public record Handshake(int status, Map<String, List<String>> headers, String body) {
        public Optional<String> header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final Handshake handshake;
    private boolean answerPings = true;
    private Message.Close closed;
    private int pingsReceived;

    private WebSocketClient(Socket socket, InputStream in, Handshake handshake) throws IOException {
        this.socket = socket;
        this.in = in;
        this.out = socket.getOutputStream();
        this.handshake = handshake;
    }

    /**
     * Opens a session to {@code path} on {@code 127.0.0.1:port}, sending {@code headers} (name,
     * value pairs) with the handshake.
     *
     * @throws HandshakeRefusedException if the server answers anything but 101 (the answer is in it)
     */
    public static WebSocketClient connect(int port, String path, String... headers) {
        WebSocketClient client = open(port, path, headers);
        if (client.handshake.status() != 101) {
            client.closeSocket();
            throw new HandshakeRefusedException(client.handshake);
        }
        return client;
    }

    /**
     * Sends the handshake and returns the client whatever the answer; for tests of refused
     * handshakes ({@link #handshake()} has the answer). {@code headers} replace the standard
     * handshake fields of the same name; a value of {@code null} leaves the field out.
     */
    public static WebSocketClient open(int port, String path, String... headers) {
        if (headers.length % 2 != 0) {
            throw new IllegalArgumentException("headers are name, value pairs");
        }
        byte[] nonce = new byte[16];
        RANDOM.nextBytes(nonce);
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("host", "127.0.0.1:" + port);
        fields.put("upgrade", "websocket");
        fields.put("connection", "Upgrade");
        fields.put("sec-websocket-key", Base64.getEncoder().encodeToString(nonce));
        fields.put("sec-websocket-version", "13");
        List<String[]> extra = new ArrayList<>();
        for (int i = 0; i < headers.length; i += 2) {
            String name = headers[i].toLowerCase(Locale.ROOT);
            if (fields.containsKey(name)) {
                fields.put(name, headers[i + 1]);
            } else {
                extra.add(new String[] {headers[i], headers[i + 1]});
            }
        }
        StringBuilder request = new StringBuilder("GET ").append(path).append(" HTTP/1.1\r\n");
        fields.forEach((name, value) -> {
            if (value != null) {
                request.append(name).append(": ").append(value).append("\r\n");
            }
        });
        for (String[] field : extra) {
            request.append(field[0]).append(": ").append(field[1]).append("\r\n");
        }
        request.append("\r\n");
        Socket socket = new Socket();
        try {
            socket.setSoTimeout(10_000);
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = new BufferedInputStream(socket.getInputStream());
            return new WebSocketClient(socket, in, readHandshake(in));
        } catch (IOException e) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // already failing
            }
            throw new UncheckedIOException(e);
        }
    }

    private static Handshake readHandshake(InputStream in) throws IOException {
        String statusLine = line(in);
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP response: " + statusLine);
        }
        int status = Integer.parseInt(parts[1]);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (int i = 0; i < 1_000; i++) {
            String l = line(in);
            if (l.isEmpty()) {
                break;
            }
            int colon = l.indexOf(':');
            headers.computeIfAbsent(l.substring(0, colon).strip().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                    .add(l.substring(colon + 1).strip());
        }
        String body = "";
        List<String> length = headers.get("content-length");
        if (status != 101 && length != null) {
            body = new String(in.readNBytes(Integer.parseInt(length.get(0))), StandardCharsets.UTF_8);
        }
        return new Handshake(status, Map.copyOf(headers), body);
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (line.size() < 64 * 1024) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("the connection closed inside the handshake answer");
            }
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int n = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, n, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
        }
        throw new IOException("a header line over 64 KiB");
    }

    /** The server's answer to the handshake. */
    @Override
    public Handshake handshake() {
        return handshake;
    }

    /** Whether {@link #receive} answers pings (on by default); off to play a peer that vanished. */
    public WebSocketClient answerPings(boolean answer) {
        this.answerPings = answer;
        return this;
    }

    /** How many pings {@link #receive} has seen. */
    public int pingsReceived() {
        return pingsReceived;
    }

    // ---------------------------------------------------------------- messages

    @Override
    public void send(String text) {
        sendFrame(true, 0, TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void send(byte[] bytes) {
        sendFrame(true, 0, BINARY, bytes);
    }

    @Override
    public Message receive(Duration timeout) {
        if (closed != null) {
            return closed;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        ByteArrayOutputStream joined = null;
        int type = -1;
        while (true) {
            Optional<Frame> next = frame(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            if (next.isEmpty()) {
                if (closed != null) {
                    return closed;
                }
                throw new AssertionError("no message within " + timeout.toMillis() + " ms");
            }
            Frame f = next.get();
            switch (f.opcode()) {
                case PING -> {
                    pingsReceived++;
                    if (answerPings) {
                        sendFrame(true, 0, PONG, f.payload());
                    }
                }
                case PONG -> { }
                case CLOSE -> {
                    closed = new Message.Close(f.closeCode(), f.closeReason());
                    try {
                        sendFrame(true, 0, CLOSE, f.payload().length >= 2
                                ? new byte[] {f.payload()[0], f.payload()[1]} : new byte[0]);
                    } catch (UncheckedIOException alreadyClosed) {
                        // the server may close first
                    }
                    return closed;
                }
                default -> {
                    if (f.opcode() != CONTINUATION) {
                        type = f.opcode();
                        joined = new ByteArrayOutputStream();
                    }
                    if (joined == null) {
                        throw new AssertionError("a continuation frame without a message");
                    }
                    joined.writeBytes(f.payload());
                    if (f.fin()) {
                        byte[] bytes = joined.toByteArray();
                        return type == TEXT ? new Message.Text(utf8(bytes)) : new Message.Binary(bytes);
                    }
                }
            }
        }
    }

    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new AssertionError("the server sent a text message that is not UTF-8", e);
        }
    }

    @Override
    public void close(int code, String reason) {
        byte[] r = reason.getBytes(StandardCharsets.UTF_8);
        byte[] payload = new byte[2 + r.length];
        payload[0] = (byte) (code >> 8);
        payload[1] = (byte) code;
        System.arraycopy(r, 0, payload, 2, r.length);
        sendFrame(true, 0, CLOSE, payload);
    }

    /**
     * Waits for the server's Close frame (skipping data and answering pings) or the end of the
     * connection; {@code Close(1006)} if the connection ended without one.
     */
    @Override
    public Message.Close awaitClose(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (closed == null) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("the server did not close within " + timeout.toMillis() + " ms");
            }
            receive(Duration.ofNanos(left));
        }
        return closed;
    }

    /** Waits until the server closes the TCP connection; returns whether it did within {@code timeout}. */
    public boolean awaitDisconnect(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (System.nanoTime() < deadline) {
                socket.setSoTimeout((int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                if (in.read() < 0) {
                    return true;
                }
            }
            return false;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    // ---------------------------------------------------------------- raw frames

    /** Sends one masked frame as given. */
    public void sendFrame(boolean fin, int rsv, int opcode, byte[] payload) {
        sendFrame(fin, rsv, opcode, payload, true);
    }

    /** Sends one frame as given; {@code masked} false breaks the protocol (clients must mask). */
    public void sendFrame(boolean fin, int rsv, int opcode, byte[] payload, boolean masked) {
        sendRaw(encode(fin, rsv, opcode, payload, masked));
    }

    /** The bytes of one frame, for tests that write several at once or split them. */
    public static byte[] encode(boolean fin, int rsv, int opcode, byte[] payload, boolean masked) {
        ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
        frame.write((fin ? 0x80 : 0) | (rsv & 0x7) << 4 | (opcode & 0xF));
        int maskBit = masked ? 0x80 : 0;
        if (payload.length <= 125) {
            frame.write(maskBit | payload.length);
        } else if (payload.length <= 0xFFFF) {
            frame.write(maskBit | 126);
            frame.write(payload.length >> 8);
            frame.write(payload.length);
        } else {
            frame.write(maskBit | 127);
            long n = payload.length;
            for (int shift = 56; shift >= 0; shift -= 8) {
                frame.write((int) (n >> shift));
            }
        }
        if (masked) {
            byte[] mask = new byte[4];
            RANDOM.nextBytes(mask);
            frame.writeBytes(mask);
            byte[] masked2 = new byte[payload.length];
            for (int i = 0; i < payload.length; i++) {
                masked2[i] = (byte) (payload[i] ^ mask[i & 3]);
            }
            frame.writeBytes(masked2);
        } else {
            frame.writeBytes(payload);
        }
        return frame.toByteArray();
    }

    /** Writes {@code bytes} as they are. */
    public void sendRaw(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The next frame of any kind, as it is (no ping answered, nothing joined); empty if none
     * came within {@code timeoutMillis} or the connection ended (then {@link #receive} reports
     * {@code Close(1006)}).
     */
    public Optional<Frame> frame(long timeoutMillis) {
        try {
            socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, Math.max(1, timeoutMillis)));
            int b0 = in.read();
            if (b0 < 0) {
                ended();
                return Optional.empty();
            }
            socket.setSoTimeout(10_000); // the rest of a started frame comes soon
            int b1 = read();
            long length = b1 & 0x7F;
            if (length == 126) {
                length = (read() << 8) | read();
            } else if (length == 127) {
                length = 0;
                for (int i = 0; i < 8; i++) {
                    length = (length << 8) | read();
                }
            }
            if ((b1 & 0x80) != 0) {
                throw new AssertionError("the server sent a masked frame");
            }
            if (length > 256L * 1024 * 1024) {
                throw new AssertionError("a frame of " + length + " bytes");
            }
            byte[] payload = in.readNBytes((int) length);
            if (payload.length < length) {
                ended();
                return Optional.empty();
            }
            return Optional.of(new Frame((b0 & 0x80) != 0, (b0 >> 4) & 0x7, b0 & 0xF, payload));
        } catch (SocketTimeoutException e) {
            return Optional.empty();
        } catch (IOException e) {
            ended();
            return Optional.empty();
        }
    }

    private int read() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("the connection ended inside a frame");
        }
        return b;
    }

    private void ended() {
        if (closed == null) {
            closed = new Message.Close(Message.Close.ABNORMAL, "the connection ended without a close frame");
        }
    }

    private void closeSocket() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }

    /** Closes the socket at once (no closing handshake): a client that vanishes. */
    @Override
    public void close() {
        closeSocket();
    }

    /** Thrown by {@link #connect} when the server does not answer 101. */
    public static final class HandshakeRefusedException extends RuntimeException {
        private final transient Handshake answer;

        HandshakeRefusedException(Handshake answer) {
            super("the server refused the WebSocket handshake with " + answer.status() + ": " + answer.body());
            this.answer = answer;
        }

        public Handshake answer() {
            return answer;
        }
    }
}
