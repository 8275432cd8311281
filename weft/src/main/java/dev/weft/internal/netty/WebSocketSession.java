package dev.weft.internal.netty;

import dev.weft.http.Request;
import dev.weft.internal.ws.Port;
import dev.weft.internal.ws.SharedFrame;
import dev.weft.json.JsonCodec;
import dev.weft.ws.Message;
import dev.weft.ws.WebSocket;
import dev.weft.ws.WebSocketClosedException;
import dev.weft.ws.WebSocketHandler;
import dev.weft.ws.WebSocketOptions;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.compression.DecompressionException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket session on a connection that left HTTP/1.1: the last handler of the pipeline,
 * behind Netty's frame decoder (framing, masking, reserved bits and opcodes, control-frame
 * rules, the frame limit: Close 1002 / 1009) and UTF-8 validator (Close 1007). It joins
 * fragments under the message and fragment limits (Close 1009), answers pings at once, pings the
 * peer and closes a silent one, runs the close handshake, and hands whole messages to the
 * handler's virtual thread through a small queue, pausing reads while the queue is full.
 *
 * <p>A protocol state machine, so longer than most files. Threads: the {@code ChannelHandler}
 * methods, timers and write listeners run on the channel's event loop; the {@link WebSocket}
 * methods run on any thread (the handler's, or a broadcaster's). The inbox and the end of the
 * session are guarded by {@code lock}; sends are serialised by {@code sendLock}; fields marked
 * "event loop" are confined to it.
 */
final class WebSocketSession extends ChannelInboundHandlerAdapter implements WebSocket, Port, ServerState.Live {
    private static final Logger LOG = LoggerFactory.getLogger(WebSocketSession.class);

    private final ServerState server;
    private final Request request;
    private final WebSocketOptions options;
    private final Optional<String> protocol;
    private final WebSocketHandler handler;
    private final JsonCodec codec;
    private ChannelHandlerContext ctx;

    // Inbound and the end, guarded by lock.
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final ArrayDeque<Message> inbox = new ArrayDeque<>();
    /** Why the session ended; set once. Volatile for lock-free reads by senders. */
    private volatile Message.Close ended;

    // Outbound.
    private final ReentrantLock sendLock = new ReentrantLock();
    private final Condition progressed = sendLock.newCondition();
    /** Bytes handed to the channel and not yet written to the socket. */
    private final AtomicLong pending = new AtomicLong();
    /** A sender waits on {@code progressed}: write completions must signal. */
    private volatile boolean senderWaiting;
    /** Pending bytes went over the bound since the last room call. */
    private volatile boolean overBound;
    private final List<Runnable> roomListeners = new CopyOnWriteArrayList<>();
    private final List<Runnable> endListeners = new CopyOnWriteArrayList<>();

    // Event loop.
    private boolean closeSent;
    private boolean closeReceived;
    /**
     * Reading is paused because {@code maxUnreadMessages} wait in the inbox. Written under
     * {@code lock} together with the inbox, so the handler's thread, which resumes reading, and
     * the event loop, which pauses it, always agree (volatile for the heartbeat's lock-free read).
     */
    private volatile boolean paused;
    private long lastRead;
    private long nextPing;
    private ScheduledFuture<?> heartbeat;
    private ScheduledFuture<?> closeTimer;
    /** The message being joined from fragments, or null. */
    private ByteBuf partial;
    private boolean partialText;
    private int fragments;
    private long pingSequence;

    private volatile Thread thread;
    /** The connection has closed (set on the event loop before the end listeners run). */
    private volatile boolean inactive;

    WebSocketSession(ServerState server, Request request, WebSocketOptions options, Optional<String> protocol,
            WebSocketHandler handler, JsonCodec codec) {
        this.server = server;
        this.request = request;
        this.options = options;
        this.protocol = protocol;
        this.handler = handler;
        this.codec = codec;
    }

    // ================================================================ lifecycle (event loop)

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
        this.ctx = context;
    }

    /** Event loop, once the pipeline speaks WebSocket: starts the heartbeat, reading and the handler. */
    void start() {
        if (!server.register(this)) {
            // Shutdown started after the 101 was decided: the session ends as it begins.
            end(new Message.Close(Message.Close.GOING_AWAY, "server shutting down"));
            sendClose(Message.Close.GOING_AWAY, "server shutting down");
        }
        long now = System.nanoTime();
        lastRead = now;
        long interval = options.heartbeat().toNanos();
        if (interval > 0) {
            nextPing = now + interval;
            scheduleHeartbeat(interval);
        }
        ctx.channel().closeFuture().addListener(f -> closed());
        ctx.channel().config().setAutoRead(true);
        thread = Thread.ofVirtual().name("weft-websocket").start(this::run);
    }

    /** The handler's virtual thread: the whole session, then a close if the handler left it open. */
    private void run() {
        try {
            handler.handle(this);
            close(Message.Close.NORMAL, "");
        } catch (WebSocketClosedException | InterruptedException | InterruptedIOException e) {
            LOG.debug("WebSocket handler of {} ended: {}", request.path(), String.valueOf(e));
            close(Message.Close.NORMAL, "");
        } catch (Throwable e) {
            LOG.error("WebSocket handler of {} failed", request.path(), e);
            close(Message.Close.INTERNAL_ERROR, "internal error");
            if (e instanceof Error error && !(e instanceof StackOverflowError)) {
                throw error;
            }
        } finally {
            thread = null;
        }
    }

    /**
     * Event loop, once the connection is closed: frees the session. Hooked on the channel's close
     * future, not on channelInactive, because a handler in front may not pass that on: Netty's
     * permessage-deflate inflater throws from its channelInactive after corrupt data, which left
     * the session registered (shutdown then waited its whole deadline) and its end listeners
     * never run (found by WebSocketCompressionTest, #11).
     */
    private void closed() {
        cancel(heartbeat);
        cancel(closeTimer);
        releasePartial();
        end(new Message.Close(Message.Close.ABNORMAL, "the connection closed without a close frame"));
        server.unregister(this);
        wakeSenders();
        Thread t = thread;
        if (t != null) {
            t.interrupt(); // a handler blocked elsewhere learns that its session is over
        }
        inactive = true;
        for (Runnable listener : endListeners) {
            if (endListeners.remove(listener)) {
                listener.run();
            }
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext context, Object event) {
        if (event instanceof ChannelInputShutdownEvent) {
            // The peer ended its side (the server allows half-closed connections for HTTP): it
            // will send nothing more, not even a Close frame, so the session is over; without
            // this its handler waited in receive() until the heartbeat gave up.
            ctx.close();
            return;
        }
        context.fireUserEventTriggered(event);
    }

    /** Shutdown: Close 1001; the peer has {@code closeTimeout} to answer (within the shutdown deadline). */
    @Override
    public void goingAway() {
        ctx.executor().execute(() -> {
            end(new Message.Close(Message.Close.GOING_AWAY, "server shutting down"));
            sendClose(Message.Close.GOING_AWAY, "server shutting down");
        });
    }

    // ================================================================ reading (event loop)

    @Override
    public void channelRead(ChannelHandlerContext context, Object msg) {
        if (!(msg instanceof WebSocketFrame frame)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        lastRead = System.nanoTime();
        try {
            if (frame.rsv() != 0) {
                // Only with an extension agreed (the decoder refuses reserved bits otherwise): the
                // inflater clears RSV1 on the frames it inflates, so what is left is RSV2/RSV3, or
                // RSV1 on a control frame; no extension gives them a meaning (RFC 6455 §5.2, RFC 7692 §6).
                fail(Message.Close.PROTOCOL_ERROR, "reserved bits set: " + frame.rsv());
                return;
            }
            switch (frame) {
                case PingWebSocketFrame ping -> {
                    if (!closeSent) {
                        ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
                    }
                }
                case PongWebSocketFrame pong -> { } // any frame proves the peer alive
                case CloseWebSocketFrame close -> closeFrame(close);
                default -> data(frame);
            }
        } finally {
            frame.release();
        }
    }

    /**
     * Any bytes read prove the peer alive, also the part of a large frame that is still arriving
     * (a 1 MiB message at a slow client's pace can take longer than the heartbeat's limit).
     */
    @Override
    public void channelReadComplete(ChannelHandlerContext context) {
        lastRead = System.nanoTime();
        context.fireChannelReadComplete();
    }

    private void closeFrame(CloseWebSocketFrame close) {
        closeReceived = true;
        // The body is checked here, not by Netty's decoder (see WebSocketPipeline.FrameDecoder), so
        // a bad one is answered with a Close frame. A 1-byte body never gets here (the decoder
        // refuses it from the frame header, with 1002).
        ByteBuf body = close.content();
        if (body.readableBytes() >= 2) {
            int code = body.getUnsignedShort(body.readerIndex());
            if (!Message.Close.sendable(code)) {
                fail(Message.Close.PROTOCOL_ERROR, "invalid close code " + code);
                return;
            }
            if (!utf8(body, body.readerIndex() + 2, body.readableBytes() - 2)) {
                fail(Message.Close.INVALID_PAYLOAD, "close reason is not valid UTF-8");
                return;
            }
        }
        int code = close.statusCode();
        Message.Close peer = code < 0 ? new Message.Close(Message.Close.NO_STATUS, "")
                : new Message.Close(code, close.reasonText());
        end(peer);
        releasePartial();
        if (closeSent) {
            ctx.close(); // both Close frames are exchanged: the server closes the connection first
            return;
        }
        closeSent = true;
        // Echo the peer's code (RFC 6455 §5.5.1), then close once the echo is written.
        CloseWebSocketFrame echo = code < 0 ? new CloseWebSocketFrame(true, 0, Unpooled.EMPTY_BUFFER)
                : new CloseWebSocketFrame(code, "");
        ctx.writeAndFlush(echo).addListener(ChannelFutureListener.CLOSE);
    }

    private void data(WebSocketFrame frame) {
        if (closeSent || ended != null) {
            return; // closing: the peer's data is read and dropped until its Close frame
        }
        boolean first = !(frame instanceof ContinuationWebSocketFrame);
        ByteBuf content = frame.content();
        if (first) {
            partialText = frame instanceof TextWebSocketFrame;
            fragments = 0;
        }
        fragments++;
        long size = (partial == null ? 0 : partial.readableBytes()) + (long) content.readableBytes();
        if (size > options.maxMessageBytes()) {
            fail(Message.Close.TOO_BIG, "message larger than " + options.maxMessageBytes() + " bytes");
            return;
        }
        if (fragments > options.maxFragments()) {
            fail(Message.Close.TOO_BIG, "message in more than " + options.maxFragments() + " fragments");
            return;
        }
        if (frame.isFinalFragment() && partial == null) {
            deliver(message(content, partialText)); // one frame: no copy into a joining buffer
            return;
        }
        if (partial == null) {
            // Fragments are copied into one buffer, so the memory a message holds is its bytes, not
            // a buffer per fragment (tiny fragments cannot amplify memory).
            partial = ctx.alloc().heapBuffer(Math.min(Math.max(content.readableBytes() * 2, 256),
                    options.maxMessageBytes()));
        }
        partial.writeBytes(content);
        if (frame.isFinalFragment()) {
            Message m = message(partial, partialText);
            releasePartial();
            deliver(m);
        }
    }

    /** Whether {@code length} bytes of {@code buf} from {@code index} are whole, valid UTF-8. */
    private static boolean utf8(ByteBuf buf, int index, int length) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(buf.nioBuffer(index, length));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private static Message message(ByteBuf content, boolean text) {
        if (text) {
            return new Message.Text(content.toString(StandardCharsets.UTF_8)); // checked by the UTF-8 validator
        }
        byte[] bytes = new byte[content.readableBytes()];
        content.getBytes(content.readerIndex(), bytes);
        return new Message.Binary(bytes);
    }

    private void deliver(Message m) {
        boolean pause = false;
        lock.lock();
        try {
            inbox.add(m);
            arrived.signal();
            if (!paused && inbox.size() >= options.maxUnreadMessages()) {
                // The handler is behind: stop reading, so TCP holds the sender back. Decided under
                // the lock: a handler that empties the inbox meanwhile sees it and resumes reading.
                paused = true;
                pause = true;
            }
        } finally {
            lock.unlock();
        }
        if (pause) {
            ctx.channel().config().setAutoRead(false);
        }
    }

    /**
     * Event loop, after the handler took a message from a full inbox: reads again unless the
     * inbox filled up once more since. Always runs after the pause it undoes, which happened
     * earlier on this event loop.
     */
    private void resumeReading() {
        if (!paused && ctx.channel().isActive()) {
            lastRead = System.nanoTime(); // the peer's frames waited unread by our choice
            ctx.channel().config().setAutoRead(true);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
        if (cause instanceof CorruptedWebSocketFrameException corrupt) {
            // The decoder or the UTF-8 validator has written its Close frame and closes the connection.
            closeSent = true;
            int code = corrupt.closeStatus() != null ? corrupt.closeStatus().code() : Message.Close.PROTOCOL_ERROR;
            LOG.debug("WebSocket peer {} broke the protocol ({}): {}", ctx.channel().remoteAddress(), code,
                    corrupt.getMessage());
            end(new Message.Close(code, reasonOf(corrupt.getMessage())));
            return;
        }
        if (cause instanceof DecompressionException && cause.getCause() == null) {
            // The inflater's output reached its bound (JdkZlibDecoder throws this one without a cause).
            fail(Message.Close.TOO_BIG, "message inflates past " + options.maxMessageBytes() + " bytes");
            return;
        }
        if (cause instanceof DecoderException) {
            // Only the inflater is left to throw these (the frame decoder's are handled above):
            // data that is not deflate (a DataFormatException inside), or a compressed frame that
            // inflates to nothing. It was a bare drop, and corrupt data was reported as 1009 (#11).
            fail(Message.Close.INVALID_PAYLOAD, "invalid compressed data");
            return;
        }
        LOG.debug("WebSocket connection {} failed: {}", ctx.channel().remoteAddress(), String.valueOf(cause));
        ctx.close();
    }

    /** Event loop: the peer broke a limit: Close with {@code code}, then the connection closes. */
    private void fail(int code, String reason) {
        releasePartial();
        end(new Message.Close(code, reason));
        if (!closeSent && ctx.channel().isActive()) {
            closeSent = true;
            ctx.writeAndFlush(new CloseWebSocketFrame(code, reason)).addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.close();
        }
    }

    private void releasePartial() {
        if (partial != null) {
            partial.release();
            partial = null;
        }
    }

    // ================================================================ heartbeat (event loop)

    private void scheduleHeartbeat(long delayNanos) {
        heartbeat = ctx.executor().schedule(this::beat, Math.max(delayNanos, TimeUnit.MILLISECONDS.toNanos(1)),
                TimeUnit.NANOSECONDS);
    }

    private void beat() {
        heartbeat = null;
        if (!ctx.channel().isActive()) {
            return;
        }
        long now = System.nanoTime();
        if (paused) {
            lastRead = now; // unread frames wait in the socket: the peer is not silent
        }
        long interval = options.heartbeat().toNanos();
        long deadline = lastRead + interval + options.heartbeatTimeout().toNanos();
        if (now - deadline >= 0) {
            long silent = TimeUnit.NANOSECONDS.toMillis(now - lastRead);
            LOG.debug("WebSocket peer {} silent for {} ms: closing", ctx.channel().remoteAddress(), silent);
            end(new Message.Close(Message.Close.ABNORMAL, "heartbeat timeout: nothing from the peer for "
                    + silent + " ms"));
            ctx.close(); // no Close frame: the peer is gone or cannot answer
            return;
        }
        if (now - nextPing >= 0 && !closeSent) {
            ctx.writeAndFlush(new PingWebSocketFrame(Unpooled.copyLong(++pingSequence)));
            nextPing = now + interval;
        }
        scheduleHeartbeat(Math.min(nextPing, deadline) - now);
    }

    // ================================================================ closing

    @Override
    public void close(int code, String reason) {
        Message.Close close = Message.Close.of(code, reason);
        if (ended != null) {
            return;
        }
        end(close); // at once: no send may follow a close
        ctx.executor().execute(() -> sendClose(close.code(), close.reason()));
    }

    /**
     * Event loop: sends a Close frame unless one was sent, then closes the connection once the
     * peer's Close arrives or after {@code closeTimeout}.
     */
    private void sendClose(int code, String reason) {
        if (closeSent || !ctx.channel().isActive()) {
            return;
        }
        closeSent = true;
        releasePartial();
        if (closeReceived) {
            ctx.writeAndFlush(new CloseWebSocketFrame(code, reason)).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        ctx.writeAndFlush(new CloseWebSocketFrame(code, reason));
        lock.lock();
        try {
            paused = false; // the peer's Close must be read (its data is dropped from now on)
        } finally {
            lock.unlock();
        }
        ctx.channel().config().setAutoRead(true);
        closeTimer = ctx.executor().schedule(() -> {
            ctx.close();
        }, options.closeTimeout().toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Records why the session ended (the first reason wins) and wakes its reader and senders. */
    private void end(Message.Close close) {
        lock.lock();
        try {
            if (ended != null) {
                return;
            }
            ended = close;
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
        wakeSenders();
    }

    private void wakeSenders() {
        sendLock.lock();
        try {
            progressed.signalAll();
        } finally {
            sendLock.unlock();
        }
    }

    private static void cancel(ScheduledFuture<?> future) {
        if (future != null) {
            future.cancel(false);
        }
    }

    /** A close reason cut to what a Close frame can carry (decoder messages can be longer). */
    private static String reasonOf(String message) {
        if (message == null) {
            return "";
        }
        String r = message;
        while (r.getBytes(StandardCharsets.UTF_8).length > Message.Close.MAX_REASON_BYTES) {
            r = r.substring(0, r.length() - 1);
        }
        return r;
    }

    // ================================================================ WebSocket: receiving (any thread)

    @Override
    public Message receive() throws InterruptedException {
        return take(-1);
    }

    @Override
    public Optional<Message> receive(Duration timeout) throws InterruptedException {
        return Optional.ofNullable(take(timeout.toNanos()));
    }

    /** The next message; the end once the inbox is empty; null after {@code nanos} (negative: no limit). */
    private Message take(long nanos) throws InterruptedException {
        Message m;
        boolean resume = false;
        lock.lock();
        try {
            while (inbox.isEmpty() && ended == null) {
                try {
                    if (nanos < 0) {
                        arrived.await();
                    } else if (nanos == 0) {
                        return null;
                    } else {
                        nanos = arrived.awaitNanos(nanos);
                    }
                } catch (InterruptedException e) {
                    if (ended != null) {
                        break; // interrupted because the session ended: that is the answer
                    }
                    throw e;
                }
            }
            m = inbox.poll();
            if (m == null) {
                return ended;
            }
            if (paused && inbox.size() <= options.maxUnreadMessages() / 2) {
                // Half empty: resuming at once would pause again with the next message, and toggle per message.
                paused = false;
                resume = true;
            }
        } finally {
            lock.unlock();
        }
        if (resume) {
            ctx.executor().execute(this::resumeReading);
        }
        return m;
    }

    // ================================================================ WebSocket: sending (any thread)

    @Override
    public void send(String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        send(new TextWebSocketFrame(true, 0, Unpooled.wrappedBuffer(bytes)), bytes.length);
    }

    @Override
    public void send(byte[] bytes) throws IOException {
        send(new BinaryWebSocketFrame(true, 0, Unpooled.wrappedBuffer(bytes)), bytes.length);
    }

    @Override
    public void sendJson(Object value) throws IOException {
        byte[] bytes = codec.write(value);
        send(new TextWebSocketFrame(true, 0, Unpooled.wrappedBuffer(bytes)), bytes.length);
    }

    /**
     * Hands {@code frame} to the channel once the pending bytes leave room for it (or none are
     * pending), waiting at most {@code sendTimeout} without progress; then the peer is a slow consumer.
     */
    private void send(WebSocketFrame frame, int size) throws IOException {
        sendLock.lock();
        try {
            long limit = options.maxPendingBytes();
            long timeout = options.sendTimeout().toNanos();
            long deadline = System.nanoTime() + timeout;
            long seen = pending.get();
            while (true) {
                Message.Close end = ended;
                if (end != null) {
                    throw new WebSocketClosedException(end);
                }
                long now = pending.get();
                if (now == 0 || now + size <= limit) {
                    break;
                }
                long t = System.nanoTime();
                if (now < seen) {
                    seen = now; // progress: the peer reads, slowly maybe
                    deadline = t + timeout;
                }
                if (t - deadline >= 0) {
                    closeSlow("slow consumer: no progress for " + options.sendTimeout().toMillis() + " ms");
                    throw new WebSocketClosedException(ended != null ? ended
                            : new Message.Close(Message.Close.POLICY_VIOLATION, "slow consumer"));
                }
                senderWaiting = true;
                try {
                    progressed.awaitNanos(deadline - t);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while waiting to send");
                }
            }
            write(frame, size);
            frame = null;
        } finally {
            sendLock.unlock();
            if (frame != null) {
                frame.release();
            }
        }
    }

    /** Hands {@code msg} (a frame, or an encoded frame's bytes) to the channel, counting {@code size} as pending. */
    private void write(Object msg, int size) {
        if (pending.addAndGet(size) > options.maxPendingBytes()) {
            overBound = true;
        }
        ctx.writeAndFlush(msg).addListener(f -> written(size)); // from this handler on: nothing behind it writes
    }

    /** Event loop: {@code size} bytes left the process (or were dropped with the connection). */
    private void written(int size) {
        long left = pending.addAndGet(-size);
        if (senderWaiting) {
            senderWaiting = false;
            wakeSenders();
        }
        if (overBound && left <= options.maxPendingBytes() / 2) {
            overBound = false;
            for (Runnable listener : roomListeners) {
                listener.run();
            }
        }
    }

    // ================================================================ Port (for the hub)

    @Override
    public boolean offer(SharedFrame message) {
        int size = message.size();
        sendLock.lock();
        try {
            if (ended != null) {
                return false;
            }
            if (!fits(size)) {
                overBound = true;
                // Writes may have completed since, without calling for room (it was not asked yet).
                if (!fits(size)) {
                    return false;
                }
            }
            write(message.frame(), size);
            return true;
        } finally {
            sendLock.unlock();
        }
    }

    private boolean fits(int size) {
        long now = pending.get();
        return now == 0 || now + size <= options.maxPendingBytes();
    }

    @Override
    public void onRoom(Runnable listener) {
        roomListeners.add(listener);
    }

    @Override
    public void onEnd(Runnable listener) {
        endListeners.add(listener);
        if (inactive && endListeners.remove(listener)) {
            listener.run(); // it ended already; the remove makes sure only one side runs it
        }
    }

    @Override
    public void closeSlow(String reason) {
        end(new Message.Close(Message.Close.POLICY_VIOLATION, reason)); // at once: nothing more is sent
        ctx.executor().execute(() -> {
            if (!closeSent && ctx.channel().isActive()) {
                closeSent = true;
                // The Close frame waits behind what the peer did not read; the connection closes now.
                ctx.writeAndFlush(new CloseWebSocketFrame(Message.Close.POLICY_VIOLATION, "slow consumer"));
            }
            ctx.close();
        });
    }

    @Override
    public boolean ended() {
        return ended != null;
    }

    @Override
    public java.util.concurrent.Executor executor() {
        return ctx.executor();
    }

    // ================================================================ WebSocket: facts

    @Override
    public boolean isOpen() {
        return ended == null && ctx.channel().isActive();
    }

    @Override
    public Optional<Message.Close> closeReason() {
        return Optional.ofNullable(ended);
    }

    @Override
    public Optional<String> protocol() {
        return protocol;
    }

    @Override
    public Request request() {
        return request;
    }

    @Override
    public String toString() {
        return "WebSocket[" + request.path() + " " + ctx.channel().remoteAddress() + "]";
    }
}
