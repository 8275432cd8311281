package dev.weft.server;

/** Which TLS implementation encrypts connections; see {@link Tls#withProvider}. */
public enum TlsProvider {
    /**
     * BoringSSL/OpenSSL through Netty's {@code netty-tcnative} when it is on the class or module
     * path and loads on this machine, else the JDK's own TLS. The default.
     */
    AUTO,
    /** The JDK's {@code SSLEngine}: always available, no native code. */
    JDK,
    /**
     * BoringSSL/OpenSSL through {@code netty-tcnative} (for example
     * {@code io.netty:netty-tcnative-boringssl-static} with the classifier of the platform);
     * {@link Server.Builder#build()} fails if it cannot be loaded.
     */
    OPENSSL
}
