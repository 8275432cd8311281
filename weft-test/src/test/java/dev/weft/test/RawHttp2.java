package dev.weft.test;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http2.DefaultHttp2FrameReader;
import io.netty.handler.codec.http2.DefaultHttp2FrameWriter;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameAdapter;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersEncoder;
import io.netty.handler.codec.http2.Http2Settings;
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
import java.util.List;
import java.util.function.Predicate;

/**
 * One raw HTTP/2 prior-knowledge connection to {@code 127.0.0.1} for protocol tests: writes
 * exact frames (Netty's frame writer, so HPACK is real) and reads frames one by one (Netty's
 * frame reader). Frames not asked for yet are kept, so tests may read streams in any order.
 *
 * <p>Every read has a {@link #TIMEOUT_MS} socket timeout, so a test fails instead of hanging.
 */
final class RawHttp2 implements AutoCloseable {
    static final int TIMEOUT_MS = 5_000;

    /** A frame the server sent. */
    sealed interface Frame {
        /** The stream the frame belongs to, 0 for the connection. */
        int stream();
    }

    record SettingsFrame(Http2Settings settings, boolean ack) implements Frame {
        @Override public int stream() { return 0; }
    }

    record HeadersFrame(int stream, Http2Headers headers, boolean endStream) implements Frame {}

    record DataFrame(int stream, byte[] bytes, boolean endStream) implements Frame {}

    record ResetFrame(int stream, long errorCode) implements Frame {}

    record GoAwayFrame(int lastStreamId, long errorCode) implements Frame {
        @Override public int stream() { return 0; }
    }

    record WindowUpdateFrame(int stream, int increment) implements Frame {}

    /** PING and the like. */
    record OtherFrame(int stream, String type) implements Frame {}

    /** What came back on one stream: the final head, the body, or the reset that ended it. */
    record Response(int status, Http2Headers headers, byte[] body, Long resetCode) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** As a {@link TestResponse}, for the shared problem assertions (pseudo-headers left out). */
        TestResponse toTestResponse() {
            dev.weft.http.Headers.Builder plain = dev.weft.http.Headers.builder();
            if (headers == null) { // reset before a response head
                return new TestResponse(status, plain.build(), body);
            }
            headers.forEach(e -> {
                if (e.getKey().charAt(0) != ':') {
                    plain.add(e.getKey().toString(), e.getValue().toString());
                }
            });
            return new TestResponse(status, plain.build(), body);
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final EmbeddedChannel channel = new EmbeddedChannel(new ChannelInboundHandlerAdapter());
    private final ChannelHandlerContext ctx = channel.pipeline().firstContext();
    // Ignores the server's header list limit, so tests can send a list over it.
    private final DefaultHttp2FrameWriter writer = new DefaultHttp2FrameWriter(Http2HeadersEncoder.NEVER_SENSITIVE, true);
    private final DefaultHttp2FrameReader reader =
            new DefaultHttp2FrameReader(new DefaultHttp2HeadersDecoder(true, 1 << 20));
    private final io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder hpack =
            new io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder(Http2HeadersEncoder.NEVER_SENSITIVE, true);
    private final ByteBuf inbound = Unpooled.buffer();
    private final List<Frame> received = new ArrayList<>();
    private final Collector collector = new Collector();
    private Http2Settings serverSettings;
    private boolean eof;

    private RawHttp2(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /** Connects, sends the preface and empty SETTINGS, and acknowledges the server's SETTINGS. */
    static RawHttp2 connect(int port) throws IOException {
        Socket socket = new Socket();
        try {
            socket.setSoTimeout(TIMEOUT_MS);
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MS);
            RawHttp2 connection = new RawHttp2(socket);
            connection.handshake();
            return connection;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** Speaks HTTP/2 on {@code socket}, already connected (after a PROXY header, say): preface and SETTINGS. */
    static RawHttp2 over(Socket socket) throws IOException {
        socket.setSoTimeout(TIMEOUT_MS);
        RawHttp2 connection = new RawHttp2(socket);
        connection.handshake();
        return connection;
    }

    private void handshake() throws IOException {
        out.write(ByteBufUtil.getBytes(Http2CodecUtil.connectionPrefaceBuf()));
        writer.writeSettings(ctx, new Http2Settings(), ctx.newPromise());
        send();
        SettingsFrame settings = (SettingsFrame) await(f -> f instanceof SettingsFrame s && !s.ack());
        serverSettings = settings.settings();
        writer.writeSettingsAck(ctx, ctx.newPromise());
        send();
    }

    /** The SETTINGS the server announced. */
    Http2Settings serverSettings() {
        return serverSettings;
    }

    /** A request head with {@code :method}, {@code :path}, {@code :scheme http} and {@code :authority}. */
    static Http2Headers request(String method, String path, String... namesAndValues) {
        Http2Headers headers = new DefaultHttp2Headers()
                .method(method).path(path).scheme("http").authority("127.0.0.1");
        for (int i = 0; i < namesAndValues.length; i += 2) {
            headers.add(namesAndValues[i], namesAndValues[i + 1]);
        }
        return headers;
    }

    RawHttp2 headers(int stream, Http2Headers headers, boolean endStream) throws IOException {
        writer.writeHeaders(ctx, stream, headers, 0, endStream, ctx.newPromise());
        return send();
    }

    RawHttp2 data(int stream, byte[] bytes, boolean endStream) throws IOException {
        writer.writeData(ctx, stream, Unpooled.wrappedBuffer(bytes), 0, endStream, ctx.newPromise());
        return send();
    }

    RawHttp2 reset(int stream, Http2Error error) throws IOException {
        writer.writeRstStream(ctx, stream, error.code(), ctx.newPromise());
        return send();
    }

    /**
     * Writes one frame exactly as given, bypassing the frame writer's checks: a 9-byte header
     * ({@code payload.length}, {@code type}, {@code flags}, {@code stream}) and {@code payload}.
     */
    RawHttp2 frame(int type, int flags, int stream, byte[] payload) throws IOException {
        return frame(payload.length, type, flags, stream, payload);
    }

    /** Like {@link #frame(int, int, int, byte[])}, with a declared length that may differ from the payload's. */
    RawHttp2 frame(int length, int type, int flags, int stream, byte[] payload) throws IOException {
        byte[] head = {(byte) (length >>> 16), (byte) (length >>> 8), (byte) length, (byte) type, (byte) flags,
                (byte) (stream >>> 24), (byte) (stream >>> 16), (byte) (stream >>> 8), (byte) stream};
        out.write(head);
        out.write(payload);
        out.flush();
        return this;
    }

    /** The HPACK block of {@code headers}, for a raw HEADERS or CONTINUATION frame. */
    byte[] encode(Http2Headers headers) throws IOException {
        ByteBuf buf = Unpooled.buffer();
        try {
            hpack.encodeHeaders(0, headers, buf);
            return ByteBufUtil.getBytes(buf);
        } catch (io.netty.handler.codec.http2.Http2Exception e) {
            throw new IOException(e);
        } finally {
            buf.release();
        }
    }

    /**
     * A header block of {@code namesAndValues} in exactly this order and spelling (HPACK literals
     * without indexing, no Huffman): unlike {@link Http2Headers}, it may put a pseudo-header after
     * a regular field, repeat one, or use upper case.
     */
    static byte[] literalBlock(String... namesAndValues) {
        ByteArrayOutputStream block = new ByteArrayOutputStream();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            block.write(0x00);
            hpackString(block, namesAndValues[i]);
            hpackString(block, namesAndValues[i + 1]);
        }
        return block.toByteArray();
    }

    private static void hpackString(ByteArrayOutputStream block, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        int length = bytes.length; // 7-bit prefix integer (RFC 7541 §5.1), Huffman bit 0
        if (length < 127) {
            block.write(length);
        } else {
            block.write(127);
            for (length -= 127; length >= 128; length >>>= 7) {
                block.write((length & 0x7f) | 0x80);
            }
            block.write(length);
        }
        block.writeBytes(bytes);
    }

    /** A HEADERS frame with END_HEADERS (and END_STREAM) carrying {@code block} as it is. */
    RawHttp2 headerBlock(int stream, byte[] block, boolean endStream) throws IOException {
        return frame(0x1, 0x4 | (endStream ? 0x1 : 0), stream, block);
    }

    RawHttp2 settings(Http2Settings settings) throws IOException {
        writer.writeSettings(ctx, settings, ctx.newPromise());
        return send();
    }

    RawHttp2 windowUpdate(int stream, int increment) throws IOException {
        writer.writeWindowUpdate(ctx, stream, increment, ctx.newPromise());
        return send();
    }

    /**
     * The error code of the GOAWAY the server ends the connection with, after checking that it
     * then closes the connection.
     */
    long connectionError() throws IOException {
        GoAwayFrame goAway = goAway();
        if (!closedByServer()) {
            throw new IOException("the server sent " + goAway + " but kept the connection open");
        }
        return goAway.errorCode();
    }

    /** {@code GET path} on {@code stream}, without a body. */
    RawHttp2 get(int stream, String path) throws IOException {
        return headers(stream, request("GET", path), true);
    }

    /** Writes what the frame writer produced to the socket. */
    private RawHttp2 send() throws IOException {
        channel.flushOutbound();
        for (Object msg; (msg = channel.readOutbound()) != null; ) {
            ByteBuf buf = (ByteBuf) msg;
            try {
                out.write(ByteBufUtil.getBytes(buf));
            } finally {
                buf.release();
            }
        }
        out.flush();
        return this;
    }

    /** Reads until {@code stream} ends (END_STREAM or RST_STREAM) and returns what came on it. */
    Response response(int stream) throws IOException {
        Http2Headers head = null;
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            Frame frame = await(f -> f.stream() == stream
                    && (f instanceof HeadersFrame || f instanceof DataFrame || f instanceof ResetFrame));
            switch (frame) {
                case ResetFrame r -> {
                    return new Response(head == null ? 0 : status(head), head, body.toByteArray(), r.errorCode());
                }
                case HeadersFrame h -> {
                    if (status(h.headers()) >= 200 || head == null) {
                        head = h.headers();
                    }
                    if (h.endStream()) {
                        return new Response(status(head), head, body.toByteArray(), null);
                    }
                }
                case DataFrame d -> {
                    body.writeBytes(d.bytes());
                    if (d.endStream()) {
                        return new Response(status(head), head, body.toByteArray(), null);
                    }
                }
                default -> throw new IllegalStateException("unexpected " + frame);
            }
        }
    }

    private static int status(Http2Headers headers) {
        return headers == null || headers.status() == null ? 0 : Integer.parseInt(headers.status().toString());
    }

    /** The next GOAWAY from the server. */
    GoAwayFrame goAway() throws IOException {
        return (GoAwayFrame) await(f -> f instanceof GoAwayFrame);
    }

    /**
     * The first frame (kept or newly read) that matches; frames before it stay kept.
     *
     * @throws EOFException if the server closes the connection first
     * @throws SocketTimeoutException if nothing matching arrives within the timeout
     */
    Frame await(Predicate<Frame> wanted) throws IOException {
        int checked = 0;
        while (true) {
            for (; checked < received.size(); checked++) {
                if (wanted.test(received.get(checked))) {
                    return received.remove(checked);
                }
            }
            if (!readMore()) {
                throw new EOFException("the server closed the connection; frames kept: " + received);
            }
        }
    }

    /**
     * The first matching frame within {@code millis}, or empty. The wait is a bound, not a
     * measurement: a test may only conclude "not yet", never "never".
     */
    java.util.Optional<Frame> awaitWithin(Predicate<Frame> wanted, int millis) throws IOException {
        socket.setSoTimeout(millis);
        try {
            return java.util.Optional.of(await(wanted));
        } catch (SocketTimeoutException e) {
            return java.util.Optional.empty();
        } finally {
            socket.setSoTimeout(TIMEOUT_MS);
        }
    }

    /** Like {@link #awaitWithin}, but the frame found stays kept for later reads. */
    java.util.Optional<Frame> peekWithin(Predicate<Frame> wanted, int millis) throws IOException {
        java.util.Optional<Frame> found = awaitWithin(wanted, millis);
        found.ifPresent(frame -> received.add(0, frame));
        return found;
    }

    /** Whether the server closes the connection within the timeout (frames before it are kept). */
    boolean closedByServer() throws IOException {
        try {
            while (readMore()) {
                // keep reading until EOF
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true; // reset by the server
        }
    }

    /** Whether any kept frame matches. */
    boolean kept(Predicate<Frame> wanted) {
        return received.stream().anyMatch(wanted);
    }

    private boolean readMore() throws IOException {
        if (eof) {
            return false;
        }
        byte[] chunk = new byte[16 * 1024];
        int n = in.read(chunk);
        if (n < 0) {
            eof = true;
            return false;
        }
        inbound.writeBytes(chunk, 0, n);
        try {
            reader.readFrame(ctx, inbound, collector);
        } catch (Exception e) {
            throw new IOException("cannot decode the server's frames", e);
        }
        inbound.discardReadBytes();
        return true;
    }

    @Override
    public void close() throws IOException {
        try {
            socket.close();
        } finally {
            inbound.release();
            reader.close();
            writer.close();
            channel.finishAndReleaseAll();
        }
    }

    /** Adds every decoded frame to {@link #received}. */
    private final class Collector extends Http2FrameAdapter {
        @Override
        public int onDataRead(ChannelHandlerContext c, int streamId, ByteBuf data, int padding, boolean endOfStream) {
            received.add(new DataFrame(streamId, ByteBufUtil.getBytes(data), endOfStream));
            return data.readableBytes() + padding;
        }

        @Override
        public void onHeadersRead(ChannelHandlerContext c, int streamId, Http2Headers headers, int padding,
                boolean endOfStream) {
            received.add(new HeadersFrame(streamId, headers, endOfStream));
        }

        @Override
        public void onHeadersRead(ChannelHandlerContext c, int streamId, Http2Headers headers, int streamDependency,
                short weight, boolean exclusive, int padding, boolean endOfStream) {
            received.add(new HeadersFrame(streamId, headers, endOfStream));
        }

        @Override
        public void onRstStreamRead(ChannelHandlerContext c, int streamId, long errorCode) {
            received.add(new ResetFrame(streamId, errorCode));
        }

        @Override
        public void onSettingsRead(ChannelHandlerContext c, Http2Settings settings) {
            received.add(new SettingsFrame(settings, false));
        }

        @Override
        public void onSettingsAckRead(ChannelHandlerContext c) {
            received.add(new SettingsFrame(null, true));
        }

        @Override
        public void onGoAwayRead(ChannelHandlerContext c, int lastStreamId, long errorCode, ByteBuf debugData) {
            received.add(new GoAwayFrame(lastStreamId, errorCode));
        }

        @Override
        public void onWindowUpdateRead(ChannelHandlerContext c, int streamId, int windowSizeIncrement) {
            received.add(new WindowUpdateFrame(streamId, windowSizeIncrement));
        }

        @Override
        public void onPingRead(ChannelHandlerContext c, long data) {
            received.add(new OtherFrame(0, "PING"));
        }

        @Override
        public void onPingAckRead(ChannelHandlerContext c, long data) {
            received.add(new OtherFrame(0, "PING_ACK"));
        }
    }

    /** Removes and returns every kept frame; for diagnostics. */
    List<Frame> drainKept() {
        List<Frame> all = new ArrayList<>(received);
        received.clear();
        return all;
    }

}
