/**
 * Weft: explicit routing, typed extractors and middleware layers on Netty and virtual threads.
 *
 * <p>Netty is an implementation detail: it is required but not re-exported, and no Netty type
 * appears in an exported package.
 */
module dev.weft {
    requires io.netty.common;
    requires io.netty.buffer;
    requires io.netty.transport;
    requires io.netty.codec;
    requires io.netty.codec.http;
    requires io.netty.codec.compression; // permessage-deflate's DecompressionException
    requires io.netty.codec.http2; // HTTP/2, and Http2SecurityUtil's TLS cipher suites
    requires io.netty.handler;
    requires io.netty.codec.haproxy; // the PROXY protocol
    requires io.netty.transport.classes.epoll;
    requires io.netty.transport.classes.io_uring;
    requires io.netty.transport.unix.common;
    requires tools.jackson.databind;
    requires org.slf4j;
    requires jdk.jfr; // Diagnostics: the in-process stream of pinned virtual threads
    // Optional codings for Compression and RequestDecompression, detected when a layer is built.
    requires static com.aayushatharva.brotli4j;
    requires static com.github.luben.zstd_jni;

    exports dev.weft;
    exports dev.weft.http;
    exports dev.weft.routing;
    exports dev.weft.extract;
    exports dev.weft.response;
    exports dev.weft.middleware;
    exports dev.weft.server;
    exports dev.weft.json;
    exports dev.weft.sse;
    exports dev.weft.ws;
    exports dev.weft.cookie;
    exports dev.weft.multipart;
    exports dev.weft.files;
    exports dev.weft.session;
    exports dev.weft.auth;
    exports dev.weft.config;
    exports dev.weft.health;
    exports dev.weft.diagnostics;
    exports dev.weft.offload;
    // The test kit runs routers in memory and may reach the exchange internals; users may not.
    // weft-metrics and weft-otel (automatic modules) time and end their work with the end of the exchange.
    exports dev.weft.internal.http to dev.weft.test, dev.weft.metrics, dev.weft.otel;
    exports dev.weft.internal.ws to dev.weft.test;
}
