package dev.weft.server;

/** The socket engine under the server. */
public enum Transport {
    /**
     * io_uring if the kernel allows it, else epoll, else NIO. A fallback is logged once at start
     * with Netty's reason: INFO for epoll, WARN for NIO on Linux (no native library for this
     * architecture on the class path, or a seccomp profile that blocks both).
     */
    AUTO,
    /** Linux io_uring; the start fails, with Netty's reason, if it cannot load. */
    IO_URING,
    /** Linux epoll; the start fails, with Netty's reason, if it cannot load. */
    EPOLL,
    /** Java NIO: portable, a little slower. */
    NIO
}
