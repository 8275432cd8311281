package dev.weft.ratelimit;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/** How keys become bucket names: address masking and a bound on their length. */
final class Keys {
    /** Longer keys are replaced by their SHA-256, so one bucket costs bounded memory. */
    static final int MAX_KEY_CHARS = 128;

    private Keys() {}

    static String address(InetAddress address, int ipv4Prefix, int ipv6Prefix) {
        byte[] bytes = address.getAddress();
        int prefix = address instanceof Inet4Address ? ipv4Prefix : ipv6Prefix;
        for (int bit = prefix; bit < bytes.length * 8; bit++) {
            bytes[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
        try {
            String text = InetAddress.getByAddress(bytes).getHostAddress();
            return "addr:" + text + (prefix < bytes.length * 8 ? "/" + prefix : "");
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // cannot happen: 4 or 16 bytes
        }
    }

    /** {@code key} itself when short, else {@code sha256:} and its digest. */
    static String bounded(String key) {
        if (key.length() <= MAX_KEY_CHARS) {
            return key;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return "sha256:" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
