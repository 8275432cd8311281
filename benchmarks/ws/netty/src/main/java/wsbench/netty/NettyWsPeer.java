package wsbench.netty;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.concurrent.GlobalEventExecutor;

import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The raw Netty WebSocket peer: {@code /echo} echoes every data frame, {@code /room} joins one
 * {@link ChannelGroup}; a text message {@code pub:<payload>} from any member is sent to every
 * member (the publisher too) as one text frame whose payload buffer is shared, not copied:
 * {@link ChannelGroup#writeAndFlush} hands each channel a {@code retainedDuplicate()}.
 *
 * <p>Written the way Netty's own examples and docs do it: native transport, pooled allocator,
 * {@link HttpObjectAggregator} only for the upgrade request (the handshaker removes it and
 * the HTTP codec after the handshake), {@link WebSocketServerProtocolHandler} for the handshake,
 * close, ping and pong. Its defaults are kept: 10 s handshake timeout, 64 KiB frames, no
 * extensions, pong frames dropped, no server pings and no idle timeout (Netty has neither by
 * default).
 *
 * <p>Environment: {@code PORT} (8080), {@code PEER_TRANSPORT} ({@code auto}: io_uring if
 * available, else epoll, else NIO), {@code PEER_IO_THREADS} (one event loop per core).
 */
public final class NettyWsPeer {

    private NettyWsPeer() {
    }

    private record Engine(String name, IoHandlerFactory factory, Class<? extends ServerChannel> channel) {
    }

    public static void main(String[] args) throws Exception {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        int port = intEnv("PORT", 8080);
        int threads = intEnv("PEER_IO_THREADS", Runtime.getRuntime().availableProcessors());
        Engine engine = engine(System.getenv().getOrDefault("PEER_TRANSPORT", "auto"));

        EventLoopGroup group = new MultiThreadIoEventLoopGroup(threads, engine.factory());
        ChannelGroup room = new DefaultChannelGroup("room", GlobalEventExecutor.INSTANCE);
        RoomHandler roomHandler = new RoomHandler(room);
        try {
            ServerBootstrap bootstrap = new ServerBootstrap()
                    .group(group)
                    .channel(engine.channel())
                    .option(ChannelOption.SO_BACKLOG, 8192)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline()
                                    .addLast("http", new HttpServerCodec())
                                    .addLast("aggregator", new HttpObjectAggregator(8192))
                                    .addLast("route", new Route(roomHandler));
                        }
                    });
            Channel server = bootstrap.bind("0.0.0.0", port).sync().channel();
            System.out.printf("netty websocket peer listening on :%d (transport %s, %d event loops)%n",
                    port, engine.name(), threads);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                server.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
                group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
            }, "shutdown"));
            server.closeFuture().sync();
        } finally {
            group.shutdownGracefully();
        }
    }

    /**
     * Picks the endpoint from the upgrade request's path, installs the protocol handler and the
     * endpoint's frame handler behind itself, removes itself and passes the request on to the
     * handshake.
     */
    static final class Route extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final RoomHandler room;

        Route(RoomHandler room) {
            super(false);
            this.room = room;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            String path = new QueryStringDecoder(request.uri()).path();
            ChannelHandler endpoint = switch (path) {
                case "/echo" -> EchoHandler.INSTANCE;
                case "/room" -> room;
                default -> null;
            };
            if (endpoint == null) {
                request.release();
                var response = new DefaultFullHttpResponse(request.protocolVersion(), HttpResponseStatus.NOT_FOUND);
                response.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
                ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
                return;
            }
            WebSocketServerProtocolConfig config = WebSocketServerProtocolConfig.newBuilder()
                    .websocketPath(path)
                    .build();
            ctx.pipeline().addLast("ws", new WebSocketServerProtocolHandler(config));
            ctx.pipeline().addLast("endpoint", endpoint);
            ctx.pipeline().remove(this);
            ctx.fireChannelRead(request);
        }
    }

    /** Writes every data frame back; flushes once per read batch; stops reading while unwritable. */
    @Sharable
    static final class EchoHandler extends SimpleChannelInboundHandler<WebSocketFrame> {
        static final EchoHandler INSTANCE = new EchoHandler();

        private EchoHandler() {
            super(false);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
            if (frame instanceof TextWebSocketFrame || frame instanceof BinaryWebSocketFrame
                    || frame instanceof ContinuationWebSocketFrame) {
                ctx.write(frame);
                if (!ctx.channel().isWritable()) {
                    ctx.flush();
                    ctx.channel().config().setAutoRead(false);
                }
            } else {
                frame.release();
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            ctx.channel().config().setAutoRead(ctx.channel().isWritable());
            ctx.fireChannelWritabilityChanged();
        }
    }

    /** Members of one group; {@code pub:<payload>} sends one shared frame of {@code <payload>} to all. */
    @Sharable
    static final class RoomHandler extends SimpleChannelInboundHandler<WebSocketFrame> {
        private static final int P = 'p', U = 'u', B = 'b', COLON = ':';
        private final ChannelGroup room;

        RoomHandler(ChannelGroup room) {
            this.room = room;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
            if (event instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
                room.add(ctx.channel()); // the group drops the channel when it closes
            }
            super.userEventTriggered(ctx, event);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
            if (!(frame instanceof TextWebSocketFrame) || !frame.isFinalFragment()) {
                return;
            }
            ByteBuf text = frame.content();
            int start = text.readerIndex();
            if (text.readableBytes() >= 4 && text.getByte(start) == P && text.getByte(start + 1) == U
                    && text.getByte(start + 2) == B && text.getByte(start + 3) == COLON) {
                // One frame whose content is a slice of the received buffer; the group writes a
                // retained duplicate of it to every member and releases the original.
                room.writeAndFlush(new TextWebSocketFrame(text.retainedSlice(start + 4, text.readableBytes() - 4)));
            }
        }
    }

    private static Engine engine(String wanted) {
        String w = wanted.toLowerCase(Locale.ROOT);
        boolean auto = w.equals("auto");
        if ((auto || w.equals("io_uring")) && ioUringAvailable()) {
            return new Engine("io_uring", io.netty.channel.uring.IoUringIoHandler.newFactory(),
                    io.netty.channel.uring.IoUringServerSocketChannel.class);
        }
        if (w.equals("io_uring")) {
            throw new IllegalStateException("io_uring unavailable");
        }
        if ((auto || w.equals("epoll")) && Epoll.isAvailable()) {
            return new Engine("epoll", EpollIoHandler.newFactory(), EpollServerSocketChannel.class);
        }
        if (w.equals("epoll")) {
            throw new IllegalStateException("epoll unavailable: " + Epoll.unavailabilityCause());
        }
        if (auto || w.equals("nio")) {
            return new Engine("nio", NioIoHandler.newFactory(), NioServerSocketChannel.class);
        }
        throw new IllegalArgumentException("PEER_TRANSPORT must be auto, io_uring, epoll or nio: " + wanted);
    }

    private static boolean ioUringAvailable() {
        try {
            return io.netty.channel.uring.IoUring.isAvailable();
        } catch (LinkageError e) {
            return false;
        }
    }

    static int intEnv(String name, int dflt) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? dflt : Integer.parseInt(v.trim());
    }
}
