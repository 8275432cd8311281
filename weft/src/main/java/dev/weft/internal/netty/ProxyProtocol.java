package dev.weft.internal.netty;

import dev.weft.internal.http.TrustedProxies;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import io.netty.util.AttributeKey;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PROXY protocol (v1 text and v2 binary, as HAProxy and cloud load balancers send it): every
 * connection must open with its header, which names the client the proxy accepted. From then on
 * that client is the connection's peer for every request on it ({@link #peer}). A connection that
 * opens with anything else is closed; so is one from a peer outside the trusted proxies, when
 * they are configured. A {@code LOCAL} header (the proxy's own health check) or an {@code UNKNOWN}
 * address family keeps the real peer. Runs on the event loop.
 */
final class ProxyProtocol extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(ProxyProtocol.class);
    private static final AttributeKey<InetSocketAddress> CLIENT = AttributeKey.valueOf("weft.proxied-client");

    private ProxyProtocol() {}

    /** Puts the decoder first in {@code channel}'s pipeline, before TLS; false if the peer may not speak it. */
    static boolean install(Channel channel, TrustedProxies trusted) {
        if (trusted != null && channel.remoteAddress() instanceof InetSocketAddress peer
                && !trusted.trusts(peer.getAddress())) {
            LOG.debug("closing a connection from {}: not a trusted proxy, and the port expects the PROXY protocol",
                    peer);
            return false;
        }
        ChannelPipeline pipeline = channel.pipeline();
        pipeline.addFirst("proxy-protocol", new ProxyProtocol());
        pipeline.addFirst("proxy-protocol-decoder", new HAProxyMessageDecoder());
        return true;
    }

    /** The connection's client: the one a PROXY header named, else the socket's peer. */
    static InetSocketAddress peer(Channel channel) {
        Channel connection = channel.parent() != null && !(channel.parent() instanceof io.netty.channel.ServerChannel)
                ? channel.parent() : channel; // an HTTP/2 stream channel asks its connection
        InetSocketAddress proxied = connection.attr(CLIENT).get();
        return proxied != null ? proxied : (InetSocketAddress) connection.remoteAddress();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof HAProxyMessage header)) {
            ctx.fireChannelRead(msg); // the decoder only lets bytes through after a header
            return;
        }
        try {
            if (header.command() == HAProxyCommand.PROXY && header.sourceAddress() != null) {
                switch (header.proxiedProtocol().addressFamily()) {
                    case AF_IPv4, AF_IPv6 -> ctx.channel().attr(CLIENT).set(new InetSocketAddress(
                            InetAddress.ofLiteral(header.sourceAddress()), header.sourcePort()));
                    default -> { } // AF_UNIX or UNSPEC: no address to name
                }
            }
        } catch (IllegalArgumentException e) {
            LOG.debug("closing a connection whose PROXY header names no address: {}", header.sourceAddress());
            ctx.close();
            return;
        } finally {
            header.release();
        }
        ctx.pipeline().remove(this);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof io.netty.handler.codec.DecoderException) {
            // Not a PROXY header (or a malformed one): a client that reached the port directly.
            LOG.debug("closing a connection from {} without a valid PROXY header: {}", ctx.channel().remoteAddress(),
                    String.valueOf(cause.getMessage()));
            ctx.close();
            return;
        }
        ctx.fireExceptionCaught(cause);
    }
}
