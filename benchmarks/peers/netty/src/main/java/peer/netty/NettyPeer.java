package peer.netty;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.ResourceLeakDetector;

import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The raw Netty peer: /plaintext and /json only, written the way Netty's own TechEmpower
 * entry is (native transport, pooled allocator, pre-encoded static parts, one flush per
 * read batch). It is the ceiling any Netty-based framework can reach on this machine.
 *
 * <p>Environment: {@code PORT} (default 8080), {@code PEER_TRANSPORT} ({@code auto} (default:
 * io_uring, else epoll, else NIO), {@code io_uring}, {@code epoll}, {@code nio}),
 * {@code PEER_IO_THREADS} (default: one event loop per core).
 */
public final class NettyPeer {

    private NettyPeer() {
    }

    private record Engine(String name, IoHandlerFactory factory, Class<? extends ServerChannel> channel) {
    }

    public static void main(String[] args) throws Exception {
        // The leak detector samples buffers; a benchmark ceiling does not pay for it.
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);

        int port = intEnv("PORT", 8080);
        int threads = intEnv("PEER_IO_THREADS", Runtime.getRuntime().availableProcessors());
        Engine engine = engine(System.getenv().getOrDefault("PEER_TRANSPORT", "auto"));

        EventLoopGroup group = new MultiThreadIoEventLoopGroup(threads, engine.factory());
        try {
            HttpDate.start(group.next());
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
                                    .addLast("codec", new HttpServerCodec(4096, 8192, 8192))
                                    .addLast("handler", new HelloHandler());
                        }
                    });
            Channel server = bootstrap.bind("0.0.0.0", port).sync().channel();
            System.out.printf("netty peer listening on :%d (transport %s, %d event loops)%n",
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

    private static Engine engine(String wanted) {
        String w = wanted.toLowerCase(Locale.ROOT);
        boolean auto = w.equals("auto");
        if ((auto || w.equals("io_uring")) && IoUring.isAvailable()) {
            return new Engine("io_uring", IoUringIoHandler.newFactory(), IoUringServerSocketChannel.class);
        }
        if (w.equals("io_uring")) {
            throw new IllegalStateException("io_uring unavailable: " + IoUring.unavailabilityCause());
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

    static int intEnv(String name, int dflt) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? dflt : Integer.parseInt(v.trim());
    }
}
