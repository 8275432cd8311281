package dev.weft.server;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the server's certificate and private key are, and which TLS implementation to use: an
 * immutable value for {@link Server.Builder#tls(Tls)}.
 *
 * <pre>{@code
 * Server.builder()
 *     .port(8443)
 *     .tls(Tls.pem(Path.of("/etc/app/fullchain.pem"), Path.of("/etc/app/key.pem")))
 *     .build();
 * }</pre>
 *
 * <p>Files, read by {@link Server.Builder#build()} (and again when the server starts):
 * <ul>
 *   <li>the certificate chain: PEM, one or more {@code -----BEGIN CERTIFICATE-----} blocks,
 *       the server's own certificate first, then the intermediates;
 *   <li>the private key: PEM, either PKCS#8 ({@code -----BEGIN PRIVATE KEY-----}, RSA or EC), encrypted PKCS#8 ({@code -----BEGIN ENCRYPTED PRIVATE KEY-----}, with
 *       {@link #withKeyPassword}) or a traditional unencrypted RSA key
 *       ({@code -----BEGIN RSA PRIVATE KEY-----}). Other forms (such as
 *       {@code -----BEGIN EC PRIVATE KEY-----}) are refused with the {@code openssl} command that
 *       converts them to PKCS#8.
 * </ul>
 *
 * <p>A missing or unreadable file, a file that is not PEM, a key that does not belong to the
 * certificate, a wrong key password or an unavailable {@link TlsProvider#OPENSSL} make
 * {@code build()} throw {@link InvalidConfigException}, naming the file; key material never
 * appears in a message. Connections speak TLS 1.3 or 1.2 only, with forward-secret AEAD
 * cipher suites; ALPN offers {@code h2} (while the server's {@code http2} option is on) and
 * {@code http/1.1}.
 */
public final class Tls {
    private final Path certificateChain;
    private final Path privateKey;
    private final String keyPassword;
    private final TlsProvider provider;

    private Tls(Path certificateChain, Path privateKey, String keyPassword, TlsProvider provider) {
        this.certificateChain = certificateChain;
        this.privateKey = privateKey;
        this.keyPassword = keyPassword;
        this.provider = provider;
    }

    /**
     * TLS with the PEM certificate chain and PEM private key at these paths, an unencrypted
     * key and the {@link TlsProvider#AUTO} provider. The files are not read yet.
     */
    public static Tls pem(Path certificateChain, Path privateKey) {
        return new Tls(Objects.requireNonNull(certificateChain, "certificateChain"),
                Objects.requireNonNull(privateKey, "privateKey"), null, TlsProvider.AUTO);
    }

    /** The same files, the private key being encrypted PKCS#8 protected by {@code password}. */
    public Tls withKeyPassword(String password) {
        return new Tls(certificateChain, privateKey, Objects.requireNonNull(password, "password"), provider);
    }

    /** The same files, encrypted by {@code provider}. */
    public Tls withProvider(TlsProvider provider) {
        return new Tls(certificateChain, privateKey, keyPassword, Objects.requireNonNull(provider, "provider"));
    }

    /** The PEM file with the server's certificate first, then its intermediates. */
    public Path certificateChain() {
        return certificateChain;
    }

    /** The PEM file with the server's private key. */
    public Path privateKey() {
        return privateKey;
    }

    /** The password of an encrypted private key; empty if the key is not encrypted. */
    public Optional<String> keyPassword() {
        return Optional.ofNullable(keyPassword);
    }

    /** The TLS implementation. */
    public TlsProvider provider() {
        return provider;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Tls that && certificateChain.equals(that.certificateChain)
                && privateKey.equals(that.privateKey) && Objects.equals(keyPassword, that.keyPassword)
                && provider == that.provider;
    }

    @Override
    public int hashCode() {
        return Objects.hash(certificateChain, privateKey, keyPassword, provider);
    }

    /** The paths and provider; a password shows as {@code ***}. */
    @Override
    public String toString() {
        return "Tls[certificateChain=" + certificateChain + ", privateKey=" + privateKey
                + (keyPassword == null ? "" : ", keyPassword=***") + ", provider=" + provider + "]";
    }
}
