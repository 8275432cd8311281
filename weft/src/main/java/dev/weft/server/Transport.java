package dev.weft.server;

/** The socket engine under the server. */
public enum Transport {
    /** io_uring if the kernel allows it, else epoll, else NIO. */
    AUTO,
    /** Linux io_uring; fails at start if unavailable. */
    IO_URING,
    /** Linux epoll; fails at start if unavailable. */
    EPOLL,
    /** Java NIO: portable, a little slower. */
    NIO
}
