package dev.weft.cookie;

import dev.weft.WeftException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.KDF;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.HKDFParameterSpec;

/**
 * The key ring of signed and private cookies: the first key signs and encrypts, every key
 * verifies and decrypts, so a new key can be put first while the old one still reads the cookies
 * browsers hold (and is removed once they have expired).
 *
 * <p>Each secret must be at least 32 bytes of real randomness; from each, two 256-bit keys are
 * derived with HKDF-SHA256 ({@code javax.crypto.KDF}), one for HMAC-SHA256 signatures and one for
 * AES-256-GCM, so the same secret never serves two algorithms. The secrets themselves are not
 * kept. Thread-safe.
 *
 * <p>Formats (base64url without padding): a signed value is {@code MAC || value}, the MAC over the
 * cookie's name and value (so a value cannot be moved to another cookie); a private value is
 * {@code nonce(12) || ciphertext || tag(16)}, the cookie's name being the associated data. A
 * value that does not verify, decrypt or decode under any key reads as absent; comparisons are
 * constant-time.
 *
 * {@snippet class=dev.weft.cookie.CookieExamples region=keys}
 */
public final class CookieKeys {
    /** The shortest secret accepted, in bytes. */
    public static final int MIN_SECRET_BYTES = 32;

    private static final byte[] SALT = "dev.weft.cookie.v1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SIGNING = "signing".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ENCRYPTION = "encryption".getBytes(StandardCharsets.US_ASCII);
    /** The 32-byte MAC as base64url without padding. */
    private static final int MAC_CHARS = 43;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final List<SecretKey> signing;
    private final List<SecretKey> encryption;

    private CookieKeys(List<SecretKey> signing, List<SecretKey> encryption) {
        this.signing = signing;
        this.encryption = encryption;
    }

    /**
     * A key ring: {@code current} signs and encrypts; it and every one of {@code previous}
     * verify and decrypt.
     *
     * @throws WeftException listing every problem at once: a secret shorter than
     *     {@value #MIN_SECRET_BYTES} bytes, or the same secret twice
     */
    public static CookieKeys of(byte[] current, byte[]... previous) {
        Objects.requireNonNull(current, "current");
        List<byte[]> secrets = new ArrayList<>();
        secrets.add(current);
        for (byte[] secret : previous) {
            secrets.add(Objects.requireNonNull(secret, "previous secret"));
        }
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < secrets.size(); i++) {
            String which = i == 0 ? "the current secret" : "previous secret #" + i;
            if (secrets.get(i).length < MIN_SECRET_BYTES) {
                problems.add(which + " has " + secrets.get(i).length + " bytes; a cookie secret needs at least "
                        + MIN_SECRET_BYTES + " random bytes (e.g. 32 bytes from SecureRandom, kept as base64)");
            }
            for (int j = 0; j < i; j++) {
                if (Arrays.equals(secrets.get(i), secrets.get(j))) {
                    problems.add(which + " repeats " + (j == 0 ? "the current secret" : "previous secret #" + j));
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new WeftException("invalid cookie keys:\n  " + String.join("\n  ", problems));
        }
        List<SecretKey> signing = new ArrayList<>();
        List<SecretKey> encryption = new ArrayList<>();
        for (byte[] secret : secrets) {
            signing.add(derive(secret, SIGNING, "HmacSHA256"));
            encryption.add(derive(secret, ENCRYPTION, "AES"));
        }
        return new CookieKeys(List.copyOf(signing), List.copyOf(encryption));
    }

    /**
     * {@link #of(byte[], byte[]...)} with secrets written as base64 or base64url (the way they are
     * kept in environment variables or secret stores).
     *
     * @throws WeftException if a secret is not base64 or is too short
     */
    public static CookieKeys ofBase64(String current, String... previous) {
        List<String> problems = new ArrayList<>();
        byte[] first = decodeSecret(current, "the current secret", problems);
        byte[][] rest = new byte[previous.length][];
        for (int i = 0; i < previous.length; i++) {
            rest[i] = decodeSecret(previous[i], "previous secret #" + (i + 1), problems);
        }
        if (!problems.isEmpty()) {
            // Report the short ones too, not only the undecodable ones.
            List<byte[]> all = new ArrayList<>();
            all.add(first);
            all.addAll(Arrays.asList(rest));
            for (int i = 0; i < all.size(); i++) {
                if (all.get(i) != null && all.get(i).length < MIN_SECRET_BYTES) {
                    problems.add((i == 0 ? "the current secret" : "previous secret #" + i) + " has "
                            + all.get(i).length + " bytes; a cookie secret needs at least " + MIN_SECRET_BYTES);
                }
            }
            throw new WeftException("invalid cookie keys:\n  " + String.join("\n  ", problems));
        }
        return of(first, rest);
    }

    private static byte[] decodeSecret(String text, String which, List<String> problems) {
        Objects.requireNonNull(text, which);
        String trimmed = text.strip();
        try {
            return trimmed.indexOf('-') >= 0 || trimmed.indexOf('_') >= 0
                    ? Base64.getUrlDecoder().decode(trimmed) : Base64.getDecoder().decode(trimmed);
        } catch (IllegalArgumentException e) {
            problems.add(which + " is not base64");
            return null;
        }
    }

    private static SecretKey derive(byte[] secret, byte[] info, String algorithm) {
        try {
            KDF hkdf = KDF.getInstance("HKDF-SHA256");
            return hkdf.deriveKey(algorithm,
                    HKDFParameterSpec.ofExtract().addIKM(secret).addSalt(SALT).thenExpand(info, 32));
        } catch (GeneralSecurityException e) {
            throw new WeftException("HKDF-SHA256 is not available in this JDK", e);
        }
    }

    /** How many keys the ring holds. */
    public int size() {
        return signing.size();
    }

    /** {@code cookie} with its value signed by the current key. */
    public Cookie sign(Cookie cookie) {
        String mac = ENCODER.encodeToString(mac(signing.getFirst(), cookie.name(), cookie.value()));
        return cookie.toBuilder().value(mac + cookie.value()).build();
    }

    /** The value of a signed cookie named {@code name}, if one of the keys signed it; else empty. */
    public Optional<String> verify(String name, String signedValue) {
        if (signedValue.length() < MAC_CHARS) {
            return Optional.empty();
        }
        // Compared as text, not decoded: base64 lets the last character's unused bits vary, and a
        // changed character must never verify.
        byte[] given = signedValue.substring(0, MAC_CHARS).getBytes(StandardCharsets.ISO_8859_1);
        String value = signedValue.substring(MAC_CHARS);
        boolean valid = false;
        for (SecretKey key : signing) {
            // Every key is tried, so the time taken does not say which one matched.
            byte[] expected = ENCODER.encode(mac(key, name, value));
            valid |= MessageDigest.isEqual(given, expected);
        }
        return valid ? Optional.of(value) : Optional.empty();
    }

    /** {@code cookie} with its value encrypted by the current key, bound to its name. */
    public Cookie encrypt(Cookie cookie) {
        return cookie.toBuilder().value(seal(cookie.name(), cookie.value().getBytes(StandardCharsets.US_ASCII))).build();
    }

    /** The value of a private cookie named {@code name}, if one of the keys encrypted it; else empty. */
    public Optional<String> decrypt(String name, String encryptedValue) {
        return open(name, encryptedValue).map(plain -> new String(plain, StandardCharsets.US_ASCII));
    }

    /**
     * {@code plaintext} encrypted by the current key for a cookie named {@code name}, as the value
     * to send ({@code nonce || ciphertext || tag}, base64url): for binary payloads such as cookie
     * sessions, which would grow by a third again if they were base64 before {@link #encrypt}.
     * Its length is {@link #sealedLength(int)}.
     */
    public String seal(String name, byte[] plaintext) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, encryption.getFirst(), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associatedData(name));
            byte[] out = new byte[NONCE_BYTES + cipher.getOutputSize(plaintext.length)];
            System.arraycopy(nonce, 0, out, 0, NONCE_BYTES);
            cipher.doFinal(plaintext, 0, plaintext.length, out, NONCE_BYTES);
            return ENCODER.encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /** How many characters {@link #seal} makes of {@code plaintextBytes} bytes. */
    public static int sealedLength(int plaintextBytes) {
        int sealed = NONCE_BYTES + plaintextBytes + TAG_BITS / 8;
        return (sealed * 4 + 2) / 3;
    }

    /**
     * The plaintext of a value made by {@link #seal} for cookie {@code name} under one of the
     * keys; empty if it does not decode or decrypt (tampered, truncated, moved from another
     * cookie, or sealed by a key no longer in the ring).
     */
    public Optional<byte[]> open(String name, String sealedValue) {
        byte[] sealed;
        try {
            sealed = DECODER.decode(sealedValue);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        // Only the canonical encoding is accepted (no padding, unused bits zero): one cookie, one spelling.
        if (sealed.length < NONCE_BYTES + TAG_BITS / 8 || !ENCODER.encodeToString(sealed).equals(sealedValue)) {
            return Optional.empty();
        }
        for (SecretKey key : encryption) {
            try {
                Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
                cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 0, NONCE_BYTES));
                cipher.updateAAD(associatedData(name));
                return Optional.of(cipher.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES));
            } catch (AEADBadTagException e) {
                // not this key (or tampered): try the next one
            } catch (GeneralSecurityException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    private static byte[] mac(SecretKey key, String name, String value) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            mac.update(associatedData(name));
            return mac.doFinal(value.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** The name, length-prefixed, so that "ab" + "c" and "a" + "bc" never sign alike. */
    private static byte[] associatedData(String name) {
        byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[4 + bytes.length];
        out[0] = (byte) (bytes.length >>> 24);
        out[1] = (byte) (bytes.length >>> 16);
        out[2] = (byte) (bytes.length >>> 8);
        out[3] = (byte) bytes.length;
        System.arraycopy(bytes, 0, out, 4, bytes.length);
        return out;
    }

    @Override
    public String toString() {
        return "CookieKeys[" + size() + " keys]"; // never the keys
    }
}
