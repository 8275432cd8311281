package dev.weft.internal.netty;

import dev.weft.WeftException;
import dev.weft.routing.Router;
import dev.weft.server.RunningServer;
import dev.weft.server.ServerStats;
import dev.weft.server.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The Netty engine behind {@link Server}. */
public final class NettyServer implements RunningServer {
    private static final Logger LOG = LoggerFactory.getLogger("dev.weft.server");

    private static final byte[] TOO_MANY_CONNECTIONS = tooManyConnections();

    private final ServerState state;
    private final EventLoopGroup group;
    private final Channel serverChannel;
    private final ChannelGroup connections;
    private final InetSocketAddress address;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CountDownLatch terminated = new CountDownLatch(1);
    private final Thread shutdownHook;
    private final List<Runnable> shutdownListeners = new ArrayList<>();
    /** Guarded by {@link #shutdownListeners}: listeners added after this run at once. */
    private boolean listenersRan;

    private NettyServer(ServerState state, EventLoopGroup group, Channel serverChannel, ChannelGroup connections,
            boolean hook) {
        this.state = state;
        this.group = group;
        this.serverChannel = serverChannel;
        this.connections = connections;
        this.address = (InetSocketAddress) serverChannel.localAddress();
        this.shutdownHook = hook ? Thread.ofPlatform().name("weft-shutdown").unstarted(this::close) : null;
        if (shutdownHook != null) {
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        }
    }

    /** Binds and starts serving; returns once the socket accepts connections. */
    public static NettyServer start(ServerConfig config, Router router) {
        nettyDiagnosticsOffUnlessAsked();
        Engine engine = Engine.select(config.transport());
        // Before any thread exists: the files are read again here and may have changed since build().
        SslContext tls = config.tls().map(t -> TlsContexts.server(t,
                config.http2().enabled() ? TlsContexts.H2_AND_HTTP_1_1 : TlsContexts.HTTP_1_1)).orElse(null);
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(config.ioThreads(), engine.factory());
        ChannelGroup connections = new DefaultChannelGroup("weft-connections", GlobalEventExecutor.INSTANCE);
        ServerState state = new ServerState(router, config);
        HttpDecoderConfig decoder = new HttpDecoderConfig()
                .setMaxInitialLineLength(config.maxRequestLineBytes())
                .setMaxHeaderSize(config.maxHeaderBytes())
                .setMaxChunkSize(64 * 1024);
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(engine.channel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                // A client that shuts down its write side still gets answers to what it sent.
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        if (state.draining()) {
                            channel.close();
                            return;
                        }
                        if (!state.tryOpenConnection()) {
                            state.refused(ServerStats.Refusal.CONNECTION_LIMIT);
                            if (tls != null) {
                                channel.close(); // a plain-text 503 would mean nothing to a TLS client
                                return;
                            }
                            // Over the connection limit: say so in one pre-encoded write, then close.
                            channel.writeAndFlush(Unpooled.wrappedBuffer(TOO_MANY_CONNECTIONS))
                                    .addListener(ChannelFutureListener.CLOSE);
                            return;
                        }
                        channel.closeFuture().addListener(f -> state.connectionClosed());
                        connections.add(channel);
                        if (config.proxyProtocol() && !ProxyProtocol.install(channel, config.proxies())) {
                            channel.close();
                            return;
                        }
                        addTls(channel, tls, config.requestHeadTimeout());
                        ChannelPipeline pipeline = channel.pipeline()
                                .addLast("write-stall", new WriteStallHandler(config.writeTimeout()));
                        if (tls != null && config.http2().enabled()) {
                            // The client's ALPN choice, once the handshake is done, picks the protocol.
                            pipeline.addLast("alpn", new ApplicationProtocolNegotiationHandler(
                                    ApplicationProtocolNames.HTTP_1_1) {
                                @Override
                                protected void handshakeFailure(ChannelHandlerContext ctx, Throwable cause) {
                                    // A client's failed handshake is routine, not the server's warning.
                                    LOG.debug("TLS handshake with {} failed: {}", ctx.channel().remoteAddress(),
                                            String.valueOf(cause));
                                    ctx.close();
                                }

                                @Override
                                protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
                                    if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
                                        Http2Setup.configure(ctx.pipeline(), state);
                                    } else {
                                        addHttp1(ctx.pipeline(), state, decoder, false);
                                    }
                                }
                            });
                        } else {
                            addHttp1(pipeline, state, decoder, tls == null && config.http2().enabled());
                        }
                    }
                });
        Channel channel;
        try {
            channel = bootstrap.bind(config.host(), config.port()).sync().channel();
        } catch (Exception e) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            String where = config.host() + ":" + config.port();
            if (e instanceof BindException || e.getCause() instanceof BindException
                    || String.valueOf(e.getMessage()).contains("Address already in use")) {
                throw new WeftException("cannot listen on " + where + ": the port is already in use;"
                        + " stop the other process or choose another port", e);
            }
            throw new WeftException("cannot listen on " + where + ": " + e.getMessage(), e);
        }
        NettyServer server = new NettyServer(state, group, channel, connections, config.shutdownOnSignal());
        LOG.info("Weft listening on {}://{}:{} ({}{}, {} I/O threads)", tls == null ? "http" : "https", config.host(),
                server.address.getPort(), engine.name(),
                config.tls().map(t -> ", " + TlsContexts.describe(t.provider())).orElse(""), config.ioThreads());
        return server;
    }

    /**
     * Appends the HTTP/1.1 handlers; with {@code h2c}, behind a detector of the HTTP/2 preface and
     * an {@code Upgrade: h2c} handler (cleartext HTTP/2).
     */
    private static void addHttp1(ChannelPipeline pipeline, ServerState state, HttpDecoderConfig decoder, boolean h2c) {
        Http1Handler http1 = new Http1Handler(state);
        pipeline.addLast("activity", http1.activity());
        Http1Codec codec = new Http1Codec(decoder);
        if (h2c) {
            Http2Setup.cleartext(pipeline, state, codec, http1);
        } else {
            pipeline.addLast("http", codec);
        }
        pipeline.addLast("weft", http1);
    }

    /**
     * Puts TLS first in the pipeline when the server has a context: everything after it sees
     * plain bytes. A handshake that has not completed within {@code handshakeTimeout} (the head
     * timeout, counted from connect) closes the connection; so does a client that sends plain
     * HTTP, or anything but a TLS record (Netty's {@code NotSslRecordException}, logged at debug).
     */
    private static void addTls(SocketChannel channel, SslContext tls, Duration handshakeTimeout) {
        if (tls == null) {
            return;
        }
        SslHandler handler = tls.newHandler(channel.alloc());
        handler.setHandshakeTimeout(handshakeTimeout.toNanos(), TimeUnit.NANOSECONDS);
        channel.pipeline().addLast("tls", handler);
    }

    /**
     * Two Netty diagnostics cost every Weft server and serve only Weft's own debugging; each stays
     * on when its property is set. The leak detector samples one buffer in 128 and records a stack
     * trace for it: about 5% of the CPU a small request costs. Weft hands no Netty buffer to
     * application code, so a leak could only be Weft's own, and weft-test's socket suites run with
     * paranoid detection. Netty's JFR events on its buffer allocator cost about 100 ms at startup,
     * registered even when nothing records ({@code io.netty.jfr.enabled}); read once, so this works
     * only if nothing touched Netty before the first server starts.
     */
    private static void nettyDiagnosticsOffUnlessAsked() {
        if (System.getProperty("io.netty.jfr.enabled") == null) {
            System.setProperty("io.netty.jfr.enabled", "false");
        }
        if (System.getProperty("io.netty.leakDetection.level") == null
                && System.getProperty("io.netty.leakDetectionLevel") == null) {
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        }
    }

    private static byte[] tooManyConnections() {
        String body = dev.weft.response.Problem.of(dev.weft.response.Status.SERVICE_UNAVAILABLE,
                "the server has too many open connections; retry shortly").toJson();
        String head = "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/problem+json\r\n"
                + "retry-after: 1\r\nconnection: close\r\ncontent-length: " + body.length() + "\r\n\r\n";
        return (head + body).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    /** The event loops serving this server's connections (for {@link LagProbe}). */
    EventLoopGroup eventLoops() {
        return group;
    }

    @Override
    public ServerStats stats() {
        return state.stats();
    }

    @Override
    public InetSocketAddress address() {
        return address;
    }

    @Override
    public void awaitShutdown() throws InterruptedException {
        terminated.await();
    }

    @Override
    public void close() {
        close(state.config().shutdownTimeout());
    }

    @Override
    public void close(Duration timeout) {
        if (!closed.compareAndSet(false, true)) {
            try {
                terminated.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return;
        }
        boolean interrupted = false;
        try {
            // Readiness fails first, then the server goes on serving for the delay, so load
            // balancers see the 503 and stop sending before anything is refused.
            runShutdownListeners();
            interrupted = delay(state.config().shutdownDelay());
            state.startDraining();
            serverChannel.close().syncUninterruptibly();
            // Idle keep-alive connections are closed now; busy ones close after answering what they received.
            // An HTTP/2 connection has no Http1Handler: closing it is graceful (its frame codec
            // sends GOAWAY now and closes once its open streams are done, see Http2Lifecycle).
            for (Channel connection : connections) {
                connection.eventLoop().execute(() -> {
                    Http1Handler handler = connection.pipeline().get(Http1Handler.class);
                    if (handler != null) {
                        handler.drain();
                    } else if (connection.pipeline().get(WebSocketSession.class) == null) {
                        connection.close(); // HTTP/2 (GOAWAY, then close once its streams end) or mid-handshake
                    }
                    // A WebSocket connection has no Http1Handler any more: closing it here cut it
                    // with no Close frame (peers saw 1006). Its session ends it below, with Close
                    // 1001 and the closing handshake (found by WebSocketShutdownTest, #11).
                });
            }
            // WebSocket sessions are sent Close 1001, event streams end (both within the deadline).
            state.endLive();
            long deadline = System.nanoTime() + timeout.toNanos();
            int cut = state.awaitIdle(timeout.toNanos());
            if (cut > 0) {
                LOG.warn("shutdown deadline of {} passed; cutting {} in-flight request(s)", timeout, cut);
            }
            int open = state.awaitLive(Math.max(0, deadline - System.nanoTime()));
            if (open > 0) {
                LOG.warn("shutdown deadline of {} passed; cutting {} WebSocket session(s) or event stream(s)",
                        timeout, open);
            }
            connections.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
            LOG.info("Weft on port {} stopped", address.getPort());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
                try {
                    Runtime.getRuntime().removeShutdownHook(shutdownHook);
                } catch (IllegalStateException alreadyShuttingDown) {
                    // the JVM is exiting; the hook is running or done
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            terminated.countDown();
        }
    }

    /** Waits {@code delay} while the server serves normally; true if the wait was interrupted (cut short). */
    private boolean delay(Duration delay) {
        if (delay.isZero()) {
            return false;
        }
        LOG.info("Weft on port {} shutting down: readiness fails, serving on for {} before draining",
                address.getPort(), delay);
        try {
            Thread.sleep(delay);
            return false;
        } catch (InterruptedException e) {
            return true; // drain at once; the flag is restored once the drain is done
        }
    }

    @Override
    public void onShutdownStarted(Runnable listener) {
        java.util.Objects.requireNonNull(listener, "listener");
        synchronized (shutdownListeners) {
            if (!listenersRan) {
                shutdownListeners.add(listener);
                return;
            }
        }
        runListener(listener);
    }

    private void runShutdownListeners() {
        List<Runnable> listeners;
        synchronized (shutdownListeners) {
            listenersRan = true;
            listeners = List.copyOf(shutdownListeners);
        }
        listeners.forEach(NettyServer::runListener);
    }

    private static void runListener(Runnable listener) {
        try {
            listener.run();
        } catch (RuntimeException e) {
            LOG.warn("a shutdown listener failed; shutdown goes on", e);
        }
    }

    /** A transport's event-loop factory and server channel class. */
    private record Engine(String name, IoHandlerFactory factory, Class<? extends ServerChannel> channel) {
        static Engine select(Transport transport) {
            // Only the transports that may be used are probed: NIO never loads a native library.
            TransportChoice.Native none = TransportChoice.Native.no(null);
            TransportChoice.Native ioUring = transport == Transport.AUTO || transport == Transport.IO_URING
                    ? probe(IoUring::isAvailable, IoUring::unavailabilityCause) : none;
            TransportChoice.Native epoll = transport == Transport.EPOLL
                    || transport == Transport.AUTO && !ioUring.available()
                    ? probe(Epoll::isAvailable, Epoll::unavailabilityCause) : none;
            TransportChoice choice = TransportChoice.choose(transport, ioUring, epoll, System.getProperty("os.name"));
            switch (choice.level()) {
                case WARN -> LOG.warn(choice.message());
                case INFO -> LOG.info(choice.message());
                case NONE -> { }
            }
            return switch (choice.engine()) {
                case "io_uring" -> new Engine("io_uring", IoUringIoHandler.newFactory(), IoUringServerSocketChannel.class);
                case "epoll" -> new Engine("epoll", EpollIoHandler.newFactory(), EpollServerSocketChannel.class);
                default -> new Engine("nio", NioIoHandler.newFactory(), NioServerSocketChannel.class);
            };
        }

        private static TransportChoice.Native probe(java.util.function.BooleanSupplier check,
                java.util.function.Supplier<Throwable> cause) {
            try {
                return check.getAsBoolean() ? TransportChoice.Native.yes() : TransportChoice.Native.no(cause.get());
            } catch (LinkageError e) {
                return TransportChoice.Native.no(e); // the transport's classes are not on the class path
            }
        }
    }
}
