package dev.weft.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * A secret value (password, token, key) that never shows itself: {@link #toString()} is
 * {@code "****"}, and Weft's JSON codec writes it as {@code "****"} too, so a record holding one
 * can be logged or exported without leaking it. Only {@link #reveal()} gives the value.
 *
 * {@snippet class=dev.weft.config.ConfigExamples region=secret}
 */
public final class Secret {
    /** What every secret prints as. */
    public static final String MASK = "****";

    private final String value;

    private Secret(String value) {
        this.value = value;
    }

    /** Wraps {@code value}. */
    public static Secret of(String value) {
        return new Secret(Objects.requireNonNull(value, "value"));
    }

    /** The value itself: pass it straight to what needs it, never to a log. */
    public String reveal() {
        return value;
    }

    /** Always {@value #MASK}. */
    @Override
    public String toString() {
        return MASK;
    }

    /** Compares the values in constant time. */
    @Override
    public boolean equals(Object other) {
        return other instanceof Secret s && MessageDigest.isEqual(
                value.getBytes(StandardCharsets.UTF_8), s.value.getBytes(StandardCharsets.UTF_8));
    }

    /** Constant, so that hashing reveals nothing about the value. */
    @Override
    public int hashCode() {
        return 0x5ec7e7;
    }
}
