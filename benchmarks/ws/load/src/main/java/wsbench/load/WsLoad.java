package wsbench.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.util.ResourceLeakDetector;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The WebSocket load generator: one JVM, Netty's WebSocket client on epoll, ONE event loop
 * thread for every connection (no thread per connection). All connection state is touched only
 * by that thread, so counters and latency arrays need no synchronisation, and send and receive
 * times come from the same {@link System#nanoTime()} clock.
 *
 * <pre>
 * hold      --connections N: warms the server up, measures its heap (live, after full GCs
 *           through jcmd) and RSS, opens N idle connections to /echo at --rate per second, waits
 *           --settle seconds, measures again; KiB per connection = difference / N. Counts the
 *           connections that closed while held.
 * echo      --connections K, --window W: each connection sends a --size byte text message and
 *           keeps W outstanding, sending the next when an echo arrives; after --warmup seconds,
 *           --duration seconds measured: messages/s, round-trip p50/p99/max, server CPU/message.
 * broadcast --connections N join /room; connection 0 publishes "pub:seq:nanoTime" every
 *           --interval-ms, --warmup-messages unmeasured then --messages measured; every receipt
 *           records now - nanoTime: p50/p99/max, missing = N x messages - receipts.
 * </pre>
 *
 * With {@code --server-pid}, the server's CPU time (utime + stime from /proc/PID/stat, all
 * threads) over the measured window is divided by the messages the server sent in it. The
 * result is one JSON object on stdout; progress goes to stderr.
 */
public final class WsLoad {
    private static final Pattern HEAP_USED = Pattern.compile("(?m)^\\s*(\\S+)\\s+total (\\d+)K, used (\\d+)K");
    private static final Pattern HEAP_G1 = Pattern.compile("(?m)heap\\s+total.*?used (\\d+)K");

    private final Map<String, String> opts;
    private final String mode;
    private final String host;
    private final int port;
    private final int serverPid;
    private final MultiThreadIoEventLoopGroup group;
    private final EventLoop loop;
    private final Bootstrap bootstrap;
    private final Map<String, Object> result = new LinkedHashMap<>();

    // Connection bookkeeping (event loop thread only, except the volatile flags).
    private final Set<Conn> open = new LinkedHashSet<>();
    private int started;
    private int pending;
    private int failed;
    private int unexpectedCloses;
    private volatile boolean closing;
    private int errorsLogged;

    private WsLoad(String mode, Map<String, String> opts) {
        this.mode = mode;
        this.opts = opts;
        this.host = str("host", "127.0.0.1");
        this.port = num("port", 8080);
        this.serverPid = num("server-pid", 0);
        if (!Epoll.isAvailable()) {
            throw new IllegalStateException("epoll unavailable: " + Epoll.unavailabilityCause());
        }
        this.group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        this.loop = group.next();
        this.bootstrap = new Bootstrap().group(group).channel(EpollSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000);
    }

    public static void main(String[] args) throws Exception {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        if (args.length == 0 || args[0].startsWith("-")) {
            System.err.println("usage: WsLoad hold|echo|broadcast [--port P] [--connections N] [--server-pid PID] ...");
            System.exit(2);
        }
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 1; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 == args.length) {
                throw new IllegalArgumentException("expected --name value at " + args[i]);
            }
            opts.put(args[i].substring(2), args[++i]);
        }
        WsLoad load = new WsLoad(args[0], opts);
        try {
            switch (args[0]) {
                case "hold" -> load.hold();
                case "echo" -> load.echo();
                case "broadcast" -> load.broadcast();
                default -> throw new IllegalArgumentException("unknown mode " + args[0]);
            }
        } finally {
            load.group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        System.out.println(json(load.result));
    }

    // ---------------------------------------------------------------------------------- hold

    private void hold() throws Exception {
        int n = num("connections", 10_000);
        int settle = num("settle", 10);
        // Warm-up: open, use and close connections, so the baseline already has the JIT's code,
        // the allocator's arenas and the framework's lazily built state.
        int warmConns = num("warmup-connections", 1000);
        log("warm-up: %d connections to /echo, 20 messages each", warmConns);
        openConnections("/echo", warmConns, num("rate", 2000));
        runOnLoop(() -> {
            for (Conn c : open) {
                c.window = 1;
                c.remaining = 20;
                c.sendEcho();
            }
        });
        awaitCondition(() -> open.stream().allMatch(c -> c.remaining == 0 && c.outstanding == 0), 30);
        closeAll();
        sleep(2);
        result.put("connections", n);
        Memory before = memory();
        log("baseline: heap %d KiB, RSS %d KiB", before.heapKiB, before.rssKiB);

        long t0 = System.nanoTime();
        openConnections("/echo", n, num("rate", 2000));
        double openSeconds = (System.nanoTime() - t0) / 1e9;
        int opened = callOnLoop(open::size);
        log("opened %d of %d in %.1f s (%d failed); idle for %d s", opened, n, openSeconds, failed, settle);
        sleep(settle);
        Memory after = memory();
        int closedWhileHeld = callOnLoop(() -> unexpectedCloses);
        int held = opened - closedWhileHeld;
        log("held %d: heap %d KiB, RSS %d KiB", held, after.heapKiB, after.rssKiB);
        result.put("opened", opened);
        result.put("failed", failed);
        result.put("closed_while_held", closedWhileHeld);
        result.put("held", held);
        result.put("open_seconds", round(openSeconds, 2));
        result.put("heap_before_kib", before.heapKiB);
        result.put("heap_after_kib", after.heapKiB);
        result.put("rss_before_kib", before.rssKiB);
        result.put("rss_after_kib", after.rssKiB);
        if (held > 0) {
            result.put("heap_kib_per_conn", round((after.heapKiB - before.heapKiB) / (double) held, 2));
            result.put("rss_kib_per_conn", round((after.rssKiB - before.rssKiB) / (double) held, 2));
        }
        closeAll();
    }

    private record Memory(long heapKiB, long rssKiB) {
    }

    /** Heap in use after two full GCs ({@code jcmd GC.run}), then the process's VmRSS. */
    private Memory memory() throws IOException, InterruptedException {
        if (serverPid == 0) {
            return new Memory(-1, -1);
        }
        String jcmd = str("jcmd", "jcmd");
        jcmdOut(jcmd, "GC.run");
        jcmdOut(jcmd, "GC.run");
        sleep(1);
        String info = jcmdOut(jcmd, "GC.heap_info");
        long used = 0;
        Matcher m = HEAP_USED.matcher(info);
        boolean any = false;
        while (m.find()) {
            used += Long.parseLong(m.group(3));
            any = true;
        }
        if (!any) {
            Matcher g1 = HEAP_G1.matcher(info);
            if (!g1.find()) {
                throw new IllegalStateException("cannot read heap use from jcmd GC.heap_info:\n" + info);
            }
            used = Long.parseLong(g1.group(1));
        }
        long rss = -1;
        for (String line : Files.readAllLines(Path.of("/proc/" + serverPid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                rss = Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return new Memory(used, rss);
    }

    private String jcmdOut(String jcmd, String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(jcmd, Integer.toString(serverPid), command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("jcmd " + command + " failed:\n" + out);
        }
        return out;
    }

    // ---------------------------------------------------------------------------------- echo

    private long echoCount;
    private boolean measuring;
    private LongArray latencies = new LongArray(1 << 20);

    private void echo() throws Exception {
        int k = num("connections", 64);
        int window = Math.min(num("window", 1), 64);
        int size = num("size", 32);
        int warmup = num("warmup", 5);
        int duration = num("duration", 10);
        byte[] payload = "x".repeat(size).getBytes(StandardCharsets.US_ASCII);
        openConnections("/echo", k, 5000);
        int opened = callOnLoop(open::size);
        log("echo: %d connections, window %d, %d-byte text messages, %d s warm-up, %d s measured",
                opened, window, size, warmup, duration);
        CountDownLatch done = new CountDownLatch(1);
        long[] window0 = new long[4];
        runOnLoop(() -> {
            for (Conn c : open) {
                c.payload = payload;
                c.window = window;
                c.remaining = Long.MAX_VALUE;
                c.sendEcho();
            }
            loop.schedule(() -> {
                measuring = true;
                window0[0] = System.nanoTime();
                window0[1] = echoCount;
                window0[2] = cpuTicks();
            }, warmup, TimeUnit.SECONDS);
            loop.schedule(() -> {
                measuring = false;
                double seconds = (System.nanoTime() - window0[0]) / 1e9;
                long messages = echoCount - window0[1];
                long ticks = cpuTicks() - window0[2];
                result.put("messages", messages);
                result.put("seconds", round(seconds, 3));
                result.put("msgs_per_s", round(messages / seconds, 0));
                if (serverPid != 0) {
                    result.put("server_cpu_us_per_msg", round(ticks * 1e6 / ticks() / Math.max(messages, 1), 2));
                }
                for (Conn c : open) {
                    c.remaining = 0; // stop sending; the outstanding echoes still arrive
                }
                done.countDown();
            }, warmup + duration, TimeUnit.SECONDS);
        });
        done.await();
        awaitCondition(() -> open.stream().allMatch(c -> c.outstanding == 0), 10);
        // Connections still waiting for echoes 10 s after the last send: the server stopped
        // answering them (their messages are counted as lost).
        long[] stalled = callOnLoop(() -> new long[] {
                open.stream().filter(c -> c.outstanding > 0).count(),
                open.stream().mapToLong(c -> c.outstanding).sum()});
        if (stalled[0] > 0) {
            log("%d connections still wait for %d echoes 10 s after the last send", stalled[0], stalled[1]);
        }
        result.put("stalled_connections", stalled[0]);
        result.put("lost_echoes", stalled[1]);
        latencyStats("rtt", latencies);
        result.put("connections", opened);
        result.put("window", window);
        result.put("size", size);
        result.put("failed", failed);
        result.put("unexpected_closes", callOnLoop(() -> unexpectedCloses));
        closeAll();
    }

    // ----------------------------------------------------------------------------- broadcast

    private int warmupMessages;
    private int measuredMessages;
    private long receipts;          // measured receipts
    private long expectedReceipts;
    private long strayReceipts;     // payloads that did not parse
    private long measureStartTicks;
    private long measureEndTicks;
    private long measureStartNanos;
    private long measureEndNanos;
    private long lastPublishNanos;
    private CountDownLatch allReceived;

    private void broadcast() throws Exception {
        int n = num("connections", 10_000);
        int interval = num("interval-ms", 1000);
        warmupMessages = num("warmup-messages", 5);
        measuredMessages = num("messages", 30);
        int settle = num("settle", 5);
        int grace = num("grace", 5);
        long t0 = System.nanoTime();
        openConnections("/room", n, num("rate", 2000));
        int opened = callOnLoop(open::size);
        log("broadcast: %d of %d joined /room in %.1f s (%d failed); settle %d s, then %d + %d publications every %d ms",
                opened, n, (System.nanoTime() - t0) / 1e9, failed, settle, warmupMessages, measuredMessages, interval);
        sleep(settle);
        int members = opened;
        expectedReceipts = (long) members * measuredMessages;
        allReceived = new CountDownLatch(1);
        latencies = new LongArray((int) Math.min(expectedReceipts + 16, Integer.MAX_VALUE - 16));
        CountDownLatch published = new CountDownLatch(1);
        int total = warmupMessages + measuredMessages;
        runOnLoop(() -> {
            Conn publisher = open.iterator().next();
            int[] seq = {0};
            ScheduledFuture<?>[] task = new ScheduledFuture<?>[1];
            task[0] = loop.scheduleAtFixedRate(() -> {
                if (seq[0] == total) {
                    task[0].cancel(false);
                    published.countDown();
                    return;
                }
                long now = System.nanoTime();
                if (seq[0] == warmupMessages) {
                    measureStartTicks = cpuTicks();
                    measureStartNanos = now;
                }
                lastPublishNanos = now;
                String text = "pub:" + seq[0]++ + ":" + now;
                publisher.ch.writeAndFlush(new TextWebSocketFrame(Unpooled.wrappedBuffer(text.getBytes(StandardCharsets.US_ASCII))));
            }, 0, interval, TimeUnit.MILLISECONDS);
        });
        published.await();
        boolean complete = allReceived.await(grace, TimeUnit.SECONDS);
        long[] ends = callOnLoop(() -> {
            if (measureEndNanos == 0) { // not every receipt arrived: the window ends now
                measureEndNanos = System.nanoTime();
                measureEndTicks = cpuTicks();
            }
            return new long[] {receipts, strayReceipts, unexpectedCloses};
        });
        double seconds = (measureEndNanos - measureStartNanos) / 1e9;
        log("broadcast: %d of %d receipts (%s), %d closes", ends[0], expectedReceipts,
                complete ? "all" : "timed out after " + grace + " s grace", ends[2]);
        result.put("members", members);
        result.put("failed", failed);
        result.put("messages", measuredMessages);
        result.put("interval_ms", interval);
        result.put("expected", expectedReceipts);
        result.put("received", ends[0]);
        result.put("missed", expectedReceipts - ends[0]);
        result.put("stray", ends[1]);
        result.put("unexpected_closes", ends[2]);
        result.put("seconds", round(seconds, 3));
        result.put("deliveries_per_s", round(ends[0] / seconds, 0));
        if (serverPid != 0) {
            long ticks = measureEndTicks - measureStartTicks;
            result.put("server_cpu_s", round(ticks / (double) ticks(), 2));
            result.put("server_cpu_us_per_msg", round(ticks * 1e6 / ticks() / Math.max(ends[0], 1), 2));
        }
        latencyStats("latency", latencies);
        closeAll();
    }

    private void onBroadcast(ByteBuf content) {
        long now = System.nanoTime();
        // "<seq>:<nanoTime>" (the server strips "pub:")
        int colon = content.indexOf(content.readerIndex(), content.writerIndex(), (byte) ':');
        if (colon < 0) {
            strayReceipts++;
            return;
        }
        long seq = parseLong(content, content.readerIndex(), colon);
        long sent = parseLong(content, colon + 1, content.writerIndex());
        if (seq < 0 || sent < 0) {
            strayReceipts++;
            return;
        }
        if (seq < warmupMessages) {
            return;
        }
        latencies.add(now - sent);
        if (++receipts == expectedReceipts) {
            measureEndNanos = now;
            measureEndTicks = cpuTicks();
            allReceived.countDown();
        }
    }

    private static long parseLong(ByteBuf b, int from, int to) {
        if (from >= to) {
            return -1;
        }
        long v = 0;
        for (int i = from; i < to; i++) {
            int d = b.getByte(i) - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            v = v * 10 + d;
        }
        return v;
    }

    // --------------------------------------------------------------------------- connections

    /** One client connection; touched only by the event loop thread. */
    private final class Conn extends SimpleChannelInboundHandler<WebSocketFrame> {
        Channel ch;
        boolean upgraded;
        byte[] payload;
        int window;
        long remaining;
        int outstanding;
        private final long[] sent = new long[64];
        private int head;

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
                upgraded = true;
                pending--;
                open.add(this);
            } else if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
                ctx.close();
            }
            super.userEventTriggered(ctx, evt);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
            if (!(frame instanceof TextWebSocketFrame)) {
                return;
            }
            if (mode.equals("broadcast")) {
                onBroadcast(frame.content());
            } else {
                long now = System.nanoTime();
                if (outstanding > 0) {
                    long rtt = now - sent[(head - outstanding) & 63];
                    outstanding--;
                    echoCount++;
                    if (measuring) {
                        latencies.add(rtt);
                    }
                }
                sendEcho();
            }
        }

        void sendEcho() {
            while (outstanding < window && remaining > 0) {
                remaining--;
                sent[head++ & 63] = System.nanoTime();
                outstanding++;
                ch.writeAndFlush(new TextWebSocketFrame(Unpooled.wrappedBuffer(payload != null ? payload : PING)));
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            if (upgraded) {
                open.remove(this);
                if (!closing) {
                    unexpectedCloses++;
                }
            } else {
                pending--;
                failed++;
            }
            super.channelInactive(ctx);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (!closing && ++errorsLogged <= 5) {
                log("connection error: %s", cause);
            }
            ctx.close();
        }
    }

    private static final byte[] PING = "ping".getBytes(StandardCharsets.US_ASCII);

    /**
     * Opens {@code n} connections to {@code path} at most {@code rate} per second and at most
     * {@code --max-pending} handshakes in flight; returns when each has upgraded or failed.
     */
    private void openConnections(String path, int n, int rate) throws Exception {
        URI uri = URI.create("ws://" + host + ":" + port + path);
        int maxPending = num("max-pending", 256);
        int alreadyOpen = callOnLoop(open::size);
        int failedBefore = callOnLoop(() -> failed);
        started = 0;
        long t0 = System.nanoTime();
        CountDownLatch done = new CountDownLatch(1);
        ScheduledFuture<?>[] ticker = new ScheduledFuture<?>[1];
        runOnLoop(() -> ticker[0] = loop.scheduleAtFixedRate(() -> {
            long allowed = Math.min((long) ((System.nanoTime() - t0) / 1e9 * rate) + 1, n);
            while (started < allowed && pending < maxPending) {
                started++;
                pending++;
                connect(uri);
            }
            if (started == n && pending == 0) {
                ticker[0].cancel(false);
                done.countDown();
            }
        }, 0, 5, TimeUnit.MILLISECONDS));
        if (!done.await(n / Math.max(rate, 1) + 60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("connections did not finish opening");
        }
        int newFailed = callOnLoop(() -> failed) - failedBefore;
        int opened = callOnLoop(open::size) - alreadyOpen;
        if (newFailed > 0) {
            log("%d of %d connections to %s failed", newFailed, n, path);
        }
        if (opened == 0) {
            throw new IllegalStateException("no connection to " + uri + " upgraded");
        }
    }

    private void connect(URI uri) {
        Conn conn = new Conn();
        WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(uri)
                .version(WebSocketVersion.V13)
                .allowExtensions(false)
                .generateOriginHeader(false)
                .handshakeTimeoutMillis(30_000)
                .dropPongFrames(true)
                .build();
        bootstrap.clone().handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                conn.ch = ch;
                ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(8192),
                        new WebSocketClientProtocolHandler(config), conn);
            }
        }).connect(host, port).addListener(f -> {
            if (!f.isSuccess()) {
                pending--;
                failed++;
                if (failed <= 5) {
                    log("connect failed: %s", f.cause());
                }
            }
        });
    }

    /** Sends Close to every open connection, waits up to 15 s for them to close, closes the rest. */
    private void closeAll() throws Exception {
        closing = true;
        runOnLoop(() -> {
            for (Conn c : List.copyOf(open)) {
                c.ch.writeAndFlush(new CloseWebSocketFrame(1000, "bye"));
            }
        });
        awaitCondition(open::isEmpty, 15);
        int unclosed = callOnLoop(open::size);
        if (unclosed > 0) {
            // The server answered neither our Close nor closed the TCP connection within 15 s.
            log("%d connections still open 15 s after sending Close; closing them", unclosed);
            result.merge("close_timeouts", unclosed, (a, b) -> ((Number) a).intValue() + ((Number) b).intValue());
        }
        runOnLoop(() -> {
            for (Conn c : List.copyOf(open)) {
                c.ch.close();
            }
        });
        awaitCondition(open::isEmpty, 5);
        closing = false;
        runOnLoop(() -> unexpectedCloses = 0);
    }

    // -------------------------------------------------------------------------------- helpers

    private void latencyStats(String name, LongArray values) {
        long[] sorted = values.sorted();
        result.put(name + "_samples", sorted.length);
        if (sorted.length == 0) {
            return;
        }
        result.put(name + "_p50_ms", round(percentile(sorted, 50) / 1e6, 3));
        result.put(name + "_p99_ms", round(percentile(sorted, 99) / 1e6, 3));
        result.put(name + "_p999_ms", round(percentile(sorted, 99.9) / 1e6, 3));
        result.put(name + "_max_ms", round(sorted[sorted.length - 1] / 1e6, 3));
    }

    private static long percentile(long[] sorted, double p) {
        int index = (int) Math.ceil(p / 100 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    /** utime + stime of the server, in clock ticks; 0 without a pid. */
    private long cpuTicks() {
        if (serverPid == 0) {
            return 0;
        }
        try {
            String stat = Files.readString(Path.of("/proc/" + serverPid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private double ticks() {
        return num("clk-tck", 100);
    }

    private void runOnLoop(Runnable task) throws Exception {
        loop.submit(task).get();
    }

    private <T> T callOnLoop(java.util.concurrent.Callable<T> task) throws Exception {
        return loop.submit(task).get();
    }

    private interface Condition {
        boolean holds();
    }

    private void awaitCondition(Condition condition, int seconds) throws Exception {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (!callOnLoop(condition::holds)) {
            if (System.nanoTime() > deadline) {
                log("gave up waiting after %d s", seconds);
                return;
            }
            Thread.sleep(50);
        }
    }

    private static void sleep(int seconds) throws InterruptedException {
        Thread.sleep(seconds * 1000L);
    }

    private int num(String name, int dflt) {
        String v = opts.get(name);
        return v == null ? dflt : Integer.parseInt(v);
    }

    private String str(String name, String dflt) {
        return opts.getOrDefault(name, dflt);
    }

    private static double round(double v, int digits) {
        double scale = Math.pow(10, digits);
        return Math.round(v * scale) / scale;
    }

    private static void log(String format, Object... args) {
        System.err.printf(Locale.ROOT, "[wsload] " + format + "%n", args);
    }

    private static String json(Map<String, Object> map) {
        StringBuilder sb = new StringBuilder("{");
        for (Map.Entry<String, Object> e : map.entrySet()) {
            if (sb.length() > 1) {
                sb.append(", ");
            }
            sb.append('"').append(e.getKey()).append("\": ");
            Object v = e.getValue();
            sb.append(v instanceof Number ? v.toString() : '"' + String.valueOf(v) + '"');
        }
        return sb.append('}').toString();
    }

    /** A growable array of longs. */
    static final class LongArray {
        private long[] values;
        private int size;

        LongArray(int capacity) {
            values = new long[Math.max(16, capacity)];
        }

        void add(long v) {
            if (size == values.length) {
                values = Arrays.copyOf(values, values.length * 2);
            }
            values[size++] = v;
        }

        long[] sorted() {
            long[] copy = Arrays.copyOf(values, size);
            Arrays.sort(copy);
            return copy;
        }
    }
}
