package dev.weft.internal.netty;

import dev.weft.WeftException;
import dev.weft.server.Transport;

/**
 * Which socket engine a requested {@link Transport} gets, and the one line to log about it, from
 * what the native transports report. Pure (no Netty call), so every case is testable on any
 * machine; {@link NettyServer} feeds it Netty's {@code isAvailable()} / {@code unavailabilityCause()}.
 *
 * <p>An explicit {@code IO_URING} or {@code EPOLL} that cannot load fails the start, naming Netty's
 * reason: it was asked for by name, and serving on a slower engine than configured would hide a
 * broken image (a missing native jar for the architecture, a seccomp profile, an old kernel).
 * {@code AUTO} falls back and says why, once: INFO when io_uring is missing but epoll works (Docker's
 * default seccomp profile blocks io_uring, so that is common and harmless), WARN when Linux ends on
 * NIO (no native transport for this architecture on the class path, or both blocked), INFO on
 * another OS, where NIO is the expected engine.
 */
record TransportChoice(String engine, Level level, String message) {
    enum Level { NONE, INFO, WARN }

    /** What a native transport's probe said: available, or why not. */
    record Native(boolean available, Throwable cause) {
        static Native yes() {
            return new Native(true, null);
        }

        static Native no(Throwable cause) {
            return new Native(false, cause);
        }

        String reason() {
            if (cause == null) {
                return "unavailable (no reason given)";
            }
            // Netty wraps the real reason (UnsatisfiedLinkError, a seccomp EPERM, "kernel too old")
            Throwable root = cause;
            StringBuilder text = new StringBuilder(cause.toString());
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
                text.append(" <- ").append(root);
            }
            return text.toString();
        }
    }

    static TransportChoice choose(Transport requested, Native ioUring, Native epoll, String osName) {
        boolean linux = osName != null && osName.toLowerCase(java.util.Locale.ROOT).startsWith("linux");
        return switch (requested) {
            case IO_URING -> {
                if (!ioUring.available()) {
                    throw new WeftException("transport IO_URING was requested but cannot load: " + ioUring.reason()
                            + " (Transport.AUTO falls back to epoll or NIO)", ioUring.cause());
                }
                yield new TransportChoice("io_uring", Level.NONE, "");
            }
            case EPOLL -> {
                if (!epoll.available()) {
                    throw new WeftException("transport EPOLL was requested but cannot load: " + epoll.reason()
                            + " (Transport.AUTO falls back to NIO)", epoll.cause());
                }
                yield new TransportChoice("epoll", Level.NONE, "");
            }
            case NIO -> new TransportChoice("nio", Level.NONE, "");
            case AUTO -> {
                if (ioUring.available()) {
                    yield new TransportChoice("io_uring", Level.NONE, "");
                }
                if (epoll.available()) {
                    yield new TransportChoice("epoll", linux ? Level.INFO : Level.NONE,
                            "transport AUTO: io_uring is not available, using epoll; io_uring: " + ioUring.reason());
                }
                if (!linux) {
                    yield new TransportChoice("nio", Level.INFO,
                            "transport AUTO: no native transport on " + osName + ", using NIO");
                }
                yield new TransportChoice("nio", Level.WARN,
                        "transport AUTO: no native transport could load, using NIO (slower); io_uring: "
                                + ioUring.reason() + "; epoll: " + epoll.reason());
            }
        };
    }
}
