package dev.weft.middleware;

import java.util.Objects;

/**
 * The nonce {@link SecurityHeaders} made for this request and put in its
 * {@code content-security-policy} ({@code 'nonce-…'}): an inline {@code <script>} or
 * {@code <style>} runs only if it carries it. A fresh one (128 random bits, base64) is made for
 * every request whose policy has {@code {nonce}}; read it with
 * {@code Extract.extension(CspNonce.class)}, or {@code request.extension(CspNonce.class)} in a
 * middleware inside {@code SecurityHeaders}.
 *
 * {@snippet class=dev.weft.middleware.SecurityHeadersExamples region=nonce}
 *
 * @param value the nonce as it appears in the policy, without {@code 'nonce-'} and quotes
 */
public record CspNonce(String value) {
    public CspNonce {
        Objects.requireNonNull(value, "value");
    }

    /** The HTML attribute to write in a tag: {@code nonce="…"} (base64 needs no escaping there). */
    public String attribute() {
        return "nonce=\"" + value + "\"";
    }

    @Override
    public String toString() {
        return value;
    }
}
