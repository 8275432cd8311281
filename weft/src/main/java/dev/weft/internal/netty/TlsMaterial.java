package dev.weft.internal.netty;

import dev.weft.server.Tls;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * The certificate chain and private key of a {@link Tls}, read from its PEM files and checked
 * to belong together.
 *
 * <p>Problems name the file and what is wrong with it; none quotes the file's content, so no
 * key material reaches a message or a log. Files are small: one larger than {@link #MAX_BYTES}
 * is refused unread (a wrong path such as a device must not hang the start).
 *
 * @param chain the server's certificate first, then its intermediates
 * @param key the private key of {@code chain[0]}
 */
record TlsMaterial(X509Certificate[] chain, PrivateKey key) {
    static final int MAX_BYTES = 1024 * 1024;
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\R(.*?)-----END \\1-----", Pattern.DOTALL);
    /** PKCS#8 names the algorithm inside the key; these are tried in turn to decode it. */
    private static final List<String> KEY_ALGORITHMS = List.of("RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS", "DSA");

    /** Reads both files of {@code tls}; returns empty and adds to {@code problems} if anything is wrong. */
    static Optional<TlsMaterial> read(Tls tls, List<String> problems) {
        int before = problems.size();
        X509Certificate[] chain = readChain(tls.certificateChain(), problems);
        PrivateKey key = readKey(tls, problems);
        if (problems.size() > before || chain == null || key == null) {
            return Optional.empty();
        }
        if (!matches(key, chain[0])) {
            problems.add("tls: the private key in " + tls.privateKey() + " does not belong to the first certificate in "
                    + tls.certificateChain());
            return Optional.empty();
        }
        return Optional.of(new TlsMaterial(chain, key));
    }

    private static X509Certificate[] readChain(Path path, List<String> problems) {
        String text = readText(path, "certificate chain", problems);
        if (text == null) {
            return null;
        }
        List<X509Certificate> chain = new ArrayList<>();
        Matcher block = BLOCK.matcher(text);
        while (block.find()) {
            if (!block.group(1).equals("CERTIFICATE")) {
                continue; // a combined file may hold the key too; it is never parsed here
            }
            int number = chain.size() + 1;
            try {
                byte[] der = Base64.getMimeDecoder().decode(block.group(2));
                chain.add((X509Certificate) CertificateFactory.getInstance("X.509")
                        .generateCertificate(new ByteArrayInputStream(der)));
            } catch (CertificateException | RuntimeException e) {
                problems.add("tls: certificate " + number + " in " + path + " is not a valid X.509 certificate: "
                        + e.getMessage());
                return null;
            }
        }
        if (chain.isEmpty()) {
            problems.add("tls: certificate chain " + path + " is not a PEM certificate file (no -----BEGIN CERTIFICATE-----"
                    + " block)" + (text.contains("PRIVATE KEY-----") ? "; it holds a private key: are the two paths swapped?"
                            : ""));
            return null;
        }
        return chain.toArray(X509Certificate[]::new);
    }

    private static PrivateKey readKey(Tls tls, List<String> problems) {
        Path path = tls.privateKey();
        String text = readText(path, "private key", problems);
        if (text == null) {
            return null;
        }
        Matcher block = BLOCK.matcher(text);
        String type = null;
        while (block.find()) {
            if (block.group(1).endsWith("PRIVATE KEY")) {
                type = block.group(1);
                break;
            }
        }
        if (type == null) {
            problems.add("tls: private key " + path + " is not a PEM private key (no -----BEGIN PRIVATE KEY----- block)");
            return null;
        }
        String body = block.group(2);
        if (body.contains("Proc-Type:")) {
            problems.add("tls: private key " + path + " is a legacy OpenSSL-encrypted key, which is not supported;"
                    + " convert it to PKCS#8: openssl pkcs8 -topk8 -in " + path + " -out key.pem");
            return null;
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(body);
        } catch (IllegalArgumentException e) {
            problems.add("tls: private key " + path + " is not valid PEM (the " + type + " block is not base64)");
            return null;
        }
        if (tls.keyPassword().isPresent() && (type.equals("PRIVATE KEY") || type.equals("RSA PRIVATE KEY"))) {
            problems.add("tls: private key " + path + " is not encrypted, but a key password is set;"
                    + " remove withKeyPassword(..)");
            return null;
        }
        return switch (type) {
            case "PRIVATE KEY" -> decode(der, path, problems);
            case "RSA PRIVATE KEY" -> decode(rsaToPkcs8(der), path, problems);
            case "ENCRYPTED PRIVATE KEY" -> {
                if (tls.keyPassword().isEmpty()) {
                    problems.add("tls: private key " + path + " is encrypted; set its password with"
                            + " Tls.withKeyPassword(..)");
                    yield null;
                }
                byte[] plain = decrypt(der, tls.keyPassword().get(), path, problems);
                yield plain == null ? null : decode(plain, path, problems);
            }
            default -> {
                problems.add("tls: private key " + path + " is a " + type + ", which is not supported; convert it"
                        + " to PKCS#8: openssl pkcs8 -topk8 -nocrypt -in " + path + " -out key.pem");
                yield null;
            }
        };
    }

    private static PrivateKey decode(byte[] pkcs8, Path path, List<String> problems) {
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(pkcs8);
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException | RuntimeException notThisOne) {
                // the next algorithm
            }
        }
        problems.add("tls: private key " + path + " is not a valid PKCS#8 key of a supported algorithm ("
                + String.join(", ", KEY_ALGORITHMS) + ")");
        return null;
    }

    private static byte[] decrypt(byte[] der, String password, Path path, List<String> problems) {
        try {
            EncryptedPrivateKeyInfo info = new EncryptedPrivateKeyInfo(der);
            String algorithm = info.getAlgName();
            SecretKeyFactory factory = SecretKeyFactory.getInstance(algorithm);
            Cipher cipher = Cipher.getInstance(algorithm);
            cipher.init(Cipher.DECRYPT_MODE, factory.generateSecret(new PBEKeySpec(password.toCharArray())),
                    info.getAlgParameters());
            return info.getKeySpec(cipher).getEncoded();
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            // The exception's message is not shown: it may describe the decrypted bytes.
            problems.add("tls: private key " + path + " cannot be decrypted with the given password (wrong password,"
                    + " or an encryption scheme this JDK does not support)");
            return null;
        }
    }

    /** Wraps a PKCS#1 {@code RSAPrivateKey} in a PKCS#8 {@code PrivateKeyInfo} (RFC 5208). */
    private static byte[] rsaToPkcs8(byte[] pkcs1) {
        byte[] version = {0x02, 0x01, 0x00};
        byte[] rsaAlgorithm = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01,
                0x01, 0x05, 0x00};
        byte[] key = der(0x04, pkcs1);
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        content.writeBytes(version);
        content.writeBytes(rsaAlgorithm);
        content.writeBytes(key);
        return der(0x30, content.toByteArray());
    }

    private static byte[] der(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
        out.write(tag);
        int length = content.length;
        if (length < 0x80) {
            out.write(length);
        } else {
            int bytes = (Integer.SIZE - Integer.numberOfLeadingZeros(length) + 7) / 8;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) {
                out.write(length >>> (8 * i));
            }
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    /** Whether {@code key} signs what {@code certificate}'s public key verifies. */
    private static boolean matches(PrivateKey key, X509Certificate certificate) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "DSA" -> "SHA256withDSA";
            case "Ed25519", "Ed448", "EdDSA" -> key.getAlgorithm();
            default -> null;
        };
        if (algorithm == null) {
            return key.getAlgorithm().equals(certificate.getPublicKey().getAlgorithm()); // e.g. RSASSA-PSS: the handshake checks
        }
        try {
            byte[] challenge = new byte[32];
            new SecureRandom().nextBytes(challenge);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false; // e.g. an EC key against an RSA certificate
        }
    }

    /** The file as text, or null after adding a problem that names {@code what} and the path. */
    private static String readText(Path path, String what, List<String> problems) {
        if (Files.isDirectory(path)) {
            problems.add("tls: " + what + " " + path + " is a directory, not a PEM file");
            return null;
        }
        try (InputStream in = Files.newInputStream(path)) {
            byte[] bytes = in.readNBytes(MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) {
                problems.add("tls: " + what + " " + path + " is larger than " + MAX_BYTES + " bytes; not a PEM file");
                return null;
            }
            return new String(bytes, StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            problems.add("tls: " + what + " " + path + " does not exist");
        } catch (AccessDeniedException e) {
            problems.add("tls: " + what + " " + path + " is not readable (permission denied)");
        } catch (IOException e) {
            problems.add("tls: " + what + " " + path + " cannot be read: " + e);
        }
        return null;
    }
}
