package dev.weft.cookie;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.WeftException;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class CookieKeysTest {
    private static final byte[] ONE = filled(1);
    private static final byte[] TWO = filled(2);
    private static final byte[] THREE = filled(3);

    private static byte[] filled(int b) {
        byte[] bytes = new byte[32];
        Arrays.fill(bytes, (byte) b);
        return bytes;
    }

    private static final Cookie SID = Cookie.builder("sid", "user-42").build();

    @Test
    void a_signed_value_verifies_and_shows_the_value_in_clear() {
        CookieKeys keys = CookieKeys.of(ONE);
        String signed = keys.sign(SID).value();
        assertThat(signed).endsWith("user-42").hasSize(43 + 7);
        assertThat(keys.verify("sid", signed)).contains("user-42");
    }

    @Test
    void every_single_character_change_of_a_signed_value_is_rejected() {
        CookieKeys keys = CookieKeys.of(ONE);
        String signed = keys.sign(SID).value();
        for (int i = 0; i < signed.length(); i++) {
            for (char c : new char[] {'A', 'B', 'f', 'g', '-', '_', '0', 'z'}) {
                if (signed.charAt(i) == c) {
                    continue;
                }
                String tampered = signed.substring(0, i) + c + signed.substring(i + 1);
                assertThat(keys.verify("sid", tampered)).as("changed at %d to %s", i, c).isEmpty();
            }
        }
    }

    @Test
    void a_truncated_extended_or_empty_signed_value_is_rejected() {
        CookieKeys keys = CookieKeys.of(ONE);
        String signed = keys.sign(SID).value();
        assertThat(keys.verify("sid", signed.substring(0, signed.length() - 1))).isEmpty();
        assertThat(keys.verify("sid", signed + "x")).isEmpty();
        assertThat(keys.verify("sid", signed.substring(0, 43))).isEmpty();
        assertThat(keys.verify("sid", signed.substring(0, 20))).isEmpty();
        assertThat(keys.verify("sid", "")).isEmpty();
        assertThat(keys.verify("sid", "!".repeat(60))).isEmpty();
    }

    @Test
    void a_signed_value_is_bound_to_its_cookie_name() {
        CookieKeys keys = CookieKeys.of(ONE);
        assertThat(keys.verify("admin", keys.sign(SID).value())).isEmpty();
    }

    @Test
    void a_private_value_hides_the_value_and_decrypts() {
        CookieKeys keys = CookieKeys.of(ONE);
        String sealed = keys.encrypt(SID).value();
        assertThat(sealed).doesNotContain("user-42");
        assertThat(keys.decrypt("sid", sealed)).contains("user-42");
        assertThat(keys.encrypt(SID).value()).as("a fresh nonce each time").isNotEqualTo(sealed);
    }

    @Test
    void every_single_character_change_of_a_private_value_is_rejected() {
        CookieKeys keys = CookieKeys.of(ONE);
        String sealed = keys.encrypt(SID).value();
        for (int i = 0; i < sealed.length(); i++) {
            for (char c : new char[] {'A', 'B', 'f', 'g', '-', '_', '0', 'z', '=', '+', '/'}) {
                if (sealed.charAt(i) == c) {
                    continue;
                }
                String tampered = sealed.substring(0, i) + c + sealed.substring(i + 1);
                assertThat(keys.decrypt("sid", tampered)).as("changed at %d to %s", i, c).isEmpty();
            }
        }
    }

    @Test
    void a_truncated_garbage_or_padded_private_value_is_rejected() {
        CookieKeys keys = CookieKeys.of(ONE);
        String sealed = keys.encrypt(SID).value();
        assertThat(keys.decrypt("sid", sealed.substring(0, sealed.length() - 1))).isEmpty();
        assertThat(keys.decrypt("sid", sealed.substring(0, 20))).isEmpty();
        assertThat(keys.decrypt("sid", "")).isEmpty();
        assertThat(keys.decrypt("sid", "%%%not base64%%%")).isEmpty();
        assertThat(keys.decrypt("sid", sealed + "==")).isEmpty();
        assertThat(keys.decrypt("sid", Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[64]))).isEmpty();
    }

    @Test
    void a_private_value_is_bound_to_its_cookie_name() {
        CookieKeys keys = CookieKeys.of(ONE);
        assertThat(keys.decrypt("admin", keys.encrypt(SID).value())).isEmpty();
    }

    @Test
    void a_rotated_ring_reads_cookies_of_the_old_key_and_writes_with_the_new() {
        CookieKeys before = CookieKeys.of(ONE);
        CookieKeys after = CookieKeys.of(TWO, ONE);
        assertThat(after.verify("sid", before.sign(SID).value())).contains("user-42");
        assertThat(after.decrypt("sid", before.encrypt(SID).value())).contains("user-42");
        assertThat(before.verify("sid", after.sign(SID).value())).as("written with the new key").isEmpty();
        assertThat(before.decrypt("sid", after.encrypt(SID).value())).isEmpty();
    }

    @Test
    void a_cookie_of_a_key_removed_from_the_ring_is_rejected() {
        CookieKeys old = CookieKeys.of(ONE);
        CookieKeys current = CookieKeys.of(THREE, TWO);
        assertThat(current.verify("sid", old.sign(SID).value())).isEmpty();
        assertThat(current.decrypt("sid", old.encrypt(SID).value())).isEmpty();
    }

    @Test
    void signing_and_encryption_use_different_keys_from_one_secret() {
        CookieKeys keys = CookieKeys.of(ONE);
        assertThat(keys.decrypt("sid", keys.sign(SID).value())).isEmpty();
        assertThat(keys.verify("sid", keys.encrypt(SID).value())).isEmpty();
    }

    @Test
    void short_and_repeated_secrets_are_all_reported_at_once() {
        assertThatThrownBy(() -> CookieKeys.of(new byte[31], ONE, new byte[3], ONE))
                .isInstanceOf(WeftException.class)
                .hasMessageContaining("the current secret has 31 bytes")
                .hasMessageContaining("previous secret #2 has 3 bytes")
                .hasMessageContaining("previous secret #3 repeats previous secret #1");
    }

    @Test
    void base64_secrets_are_decoded_and_invalid_ones_reported() {
        String b64 = Base64.getEncoder().encodeToString(ONE);
        String url = Base64.getUrlEncoder().encodeToString(filled(0xfb));
        assertThat(CookieKeys.ofBase64(b64, url).size()).isEqualTo(2);
        assertThatThrownBy(() -> CookieKeys.ofBase64("not base64!", "c2hvcnQ="))
                .isInstanceOf(WeftException.class).hasMessageContaining("not base64").hasMessageContaining("5 bytes");
    }

    @Test
    void the_key_ring_never_shows_its_keys() {
        assertThat(CookieKeys.of(ONE).toString()).isEqualTo("CookieKeys[1 keys]");
    }

    @Test
    void a_signed_value_past_the_size_limit_is_refused_when_set() {
        CookieKeys keys = CookieKeys.of(ONE);
        assertThatThrownBy(() -> keys.sign(Cookie.builder("a", "x".repeat(4090)).build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("4096");
    }
}
