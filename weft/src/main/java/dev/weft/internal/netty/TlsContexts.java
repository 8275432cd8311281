package dev.weft.internal.netty;

import dev.weft.server.InvalidConfigException;
import dev.weft.server.Tls;
import dev.weft.server.TlsProvider;
import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolConfig.Protocol;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectedListenerFailureBehavior;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectorFailureBehavior;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the server's Netty {@link SslContext} from a {@link Tls}: TLS 1.3 and 1.2 only, the
 * forward-secret AEAD cipher suites that HTTP/2 allows (RFC 9113 §9.2.2; also a sound choice for
 * HTTP/1.1), and ALPN with the protocols the caller serves.
 *
 * <p>ALPN: the server picks the first protocol of its own list that the client also offers. If
 * they share none, or the client does not use ALPN, the handshake goes on without an ALPN answer
 * and the connection speaks HTTP/1.1 ({@code NO_ADVERTISE} / {@code ACCEPT}), as browsers and
 * {@code curl} expect.
 *
 * <p>Called on the thread that builds or starts the server; an {@code SslContext} is
 * thread-safe and shared by every connection.
 */
public final class TlsContexts {
    private static final Logger LOG = LoggerFactory.getLogger("dev.weft.server");
    /** ALPN list of a server that speaks HTTP/1.1 only. */
    public static final List<String> HTTP_1_1 = List.of(ApplicationProtocolNames.HTTP_1_1);
    /** ALPN list of a server that prefers HTTP/2 and also speaks HTTP/1.1. */
    public static final List<String> H2_AND_HTTP_1_1 = List.of(ApplicationProtocolNames.HTTP_2,
            ApplicationProtocolNames.HTTP_1_1);
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private TlsContexts() {}

    /**
     * Reads and checks everything {@code tls} names: both files, that the key belongs to the
     * certificate, that the provider is available, and that a context can be built with them.
     *
     * @return one message per problem, each naming the option or file; empty if all is well
     */
    public static List<String> problems(Tls tls) {
        List<String> problems = new ArrayList<>();
        Optional<SslProvider> provider = provider(tls.provider(), problems);
        Optional<TlsMaterial> material = TlsMaterial.read(tls, problems);
        if (provider.isPresent() && material.isPresent()) {
            try {
                build(material.get(), provider.get(), HTTP_1_1);
            } catch (SSLException | RuntimeException e) {
                problems.add("tls: no TLS context can be built from " + tls.certificateChain() + " and "
                        + tls.privateKey() + " with provider " + tls.provider() + ": " + e.getMessage());
            }
        }
        return problems;
    }

    /**
     * The server context for {@code tls}, offering {@code applicationProtocols} through ALPN in
     * order of preference (e.g. {@link #HTTP_1_1} or {@link #H2_AND_HTTP_1_1}; an empty list turns
     * ALPN off).
     *
     * @throws InvalidConfigException if the files or the provider are not usable (any more)
     */
    public static SslContext server(Tls tls, List<String> applicationProtocols) {
        List<String> problems = new ArrayList<>();
        Optional<SslProvider> provider = provider(tls.provider(), problems);
        Optional<TlsMaterial> material = TlsMaterial.read(tls, problems);
        if (provider.isEmpty() || material.isEmpty()) {
            throw new InvalidConfigException(problems);
        }
        warnIfOutOfDate(material.get().chain()[0], tls);
        try {
            return build(material.get(), provider.get(), List.copyOf(applicationProtocols));
        } catch (SSLException | RuntimeException e) {
            throw new InvalidConfigException(List.of("tls: no TLS context can be built from " + tls.certificateChain()
                    + " and " + tls.privateKey() + " with provider " + tls.provider() + ": " + e.getMessage()));
        }
    }

    /** The name of the engine {@code provider} selects here, for the start-up log line. */
    static String describe(TlsProvider provider) {
        return provider(provider, new ArrayList<>()).map(p -> p == SslProvider.JDK ? "JDK TLS"
                : "OpenSSL TLS (" + OpenSsl.versionString() + ")").orElse("TLS");
    }

    private static SslContext build(TlsMaterial material, SslProvider provider, List<String> applicationProtocols)
            throws SSLException {
        SslContextBuilder builder = SslContextBuilder.forServer(material.key(), material.chain())
                .sslProvider(provider)
                .protocols(PROTOCOLS)
                .ciphers(Http2SecurityUtil.CIPHERS, SupportedCipherSuiteFilter.INSTANCE);
        if (!applicationProtocols.isEmpty()) {
            builder.applicationProtocolConfig(new ApplicationProtocolConfig(Protocol.ALPN,
                    SelectorFailureBehavior.NO_ADVERTISE, SelectedListenerFailureBehavior.ACCEPT,
                    applicationProtocols));
        }
        return builder.build();
    }

    private static Optional<SslProvider> provider(TlsProvider choice, List<String> problems) {
        return switch (choice) {
            case JDK -> Optional.of(SslProvider.JDK);
            case OPENSSL -> {
                if (openSslAvailable()) {
                    yield Optional.of(SslProvider.OPENSSL);
                }
                problems.add("tls: provider OPENSSL is not available here (add io.netty:netty-tcnative-boringssl-static"
                        + " for this platform, or use TlsProvider.JDK or AUTO): " + unavailabilityCause());
                yield Optional.empty();
            }
            case AUTO -> Optional.of(openSslAvailable() ? SslProvider.OPENSSL : SslProvider.JDK);
        };
    }

    private static boolean openSslAvailable() {
        try {
            return OpenSsl.isAvailable();
        } catch (LinkageError e) {
            return false;
        }
    }

    private static String unavailabilityCause() {
        try {
            Throwable cause = OpenSsl.unavailabilityCause();
            return cause == null ? "unknown cause" : String.valueOf(cause);
        } catch (LinkageError e) {
            return String.valueOf(e);
        }
    }

    private static void warnIfOutOfDate(X509Certificate certificate, Tls tls) {
        try {
            certificate.checkValidity();
        } catch (CertificateExpiredException | CertificateNotYetValidException e) {
            LOG.warn("the TLS certificate in {} is valid from {} to {} only; clients will refuse it",
                    tls.certificateChain(), certificate.getNotBefore(), certificate.getNotAfter());
        }
    }
}
