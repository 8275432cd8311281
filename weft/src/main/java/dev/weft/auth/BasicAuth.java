package dev.weft.auth;

import dev.weft.WeftException;
import dev.weft.http.Request;
import dev.weft.middleware.Middleware;
import dev.weft.middleware.Next;
import dev.weft.response.Response;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * HTTP Basic authentication (RFC 7617): a layer that asks {@code verifier} about the user and
 * password of the {@code Authorization: Basic} header. Install it with {@code routeLayer} (or
 * {@code Handler.layer}), so a 404 stays a 404; {@code layer} fails the build.
 *
 * <p>Every refusal is the same {@code 401 Unauthorized} problem+json with
 * {@code WWW-Authenticate: Basic realm="...", charset="UTF-8"}, whatever was wrong: no header,
 * another scheme, several {@code Authorization} headers, credentials that are not base64, not
 * UTF-8, without a colon, with control characters, longer than {@code maxCredentialBytes}, an
 * unknown user or a wrong password. Never a 400 or a 500, and nothing that tells a guesser which
 * part was wrong. A verifier that throws {@link AuthUnavailableException} gets a 503 with
 * {@code retry-after}. Runs on the request's virtual thread; the verifier may block.
 *
 * <table class="striped">
 *   <caption>Options</caption>
 *   <thead><tr><th>option</th><th>default</th><th>meaning</th></tr></thead>
 *   <tbody>
 *     <tr><td>{@code verifier}</td><td>required</td><td>user, password → principal; {@link UserTable} for a fixed table</td></tr>
 *     <tr><td>{@code realm}</td><td>{@code "api"}</td><td>the protection space named in the challenge</td></tr>
 *     <tr><td>{@code maxCredentialBytes}</td><td>4096</td><td>longest {@code user:password} (decoded) considered; longer → 401 without calling the verifier</td></tr>
 *   </tbody>
 * </table>
 *
 * {@snippet class=dev.weft.auth.AuthExamples region=basic}
 */
public final class BasicAuth implements Middleware {

    /** Decides whether a user and password are good. Runs on the request's virtual thread; may block. */
    @FunctionalInterface
    public interface Verifier {
        /** The principal for {@code user} and {@code password}, or empty to refuse (401). */
        Optional<Principal> verify(String user, String password) throws Exception;
    }

    private final Verifier verifier;
    private final int maxCredentialBytes;
    private final Response refusal;

    private BasicAuth(Builder b) {
        this.verifier = b.verifier;
        this.maxCredentialBytes = b.maxCredentialBytes;
        this.refusal = Challenges.unauthorized("Basic " + Challenges.param("realm", b.realm) + ", "
                + Challenges.param("charset", "UTF-8"));
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Response handle(Request request, Next next) throws Exception {
        List<String> values = request.headers().all("authorization");
        String[] credentials = values.size() == 1 ? decode(values.getFirst()) : null;
        if (credentials == null) {
            return refusal;
        }
        Optional<Principal> principal;
        try {
            principal = verifier.verify(credentials[0], credentials[1]);
        } catch (AuthUnavailableException e) {
            return Challenges.unavailable(e.retryAfter());
        }
        if (principal == null || principal.isEmpty()) {
            return refusal;
        }
        Auth.attach(request, principal.get(), "");
        return next.run(request);
    }

    /** {@code [user, password]}, or null for anything RFC 7617 does not allow. */
    private String[] decode(String value) {
        String encoded = Challenges.credentials(value, "Basic");
        // 4 base64 characters carry 3 bytes; anything longer cannot decode to maxCredentialBytes.
        if (encoded == null || encoded.isEmpty() || encoded.length() > (maxCredentialBytes + 2L) / 3 * 4) {
            return null;
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(encoded);
        } catch (IllegalArgumentException notBase64) {
            return null;
        }
        if (bytes.length > maxCredentialBytes) {
            return null;
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException notUtf8) {
            return null;
        }
        int colon = text.indexOf(':');
        if (colon < 0) {
            return null;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return null; // RFC 7617 §2: no control characters in user-id or password
            }
        }
        return new String[] {text.substring(0, colon), text.substring(colon + 1)};
    }

    @Override
    public String name() {
        return "BasicAuth";
    }

    @Override
    public Kind kind() {
        return Kind.AUTHENTICATION;
    }

    /** Configures a {@link BasicAuth}; {@link #build()} checks every option at once. */
    public static final class Builder {
        private Verifier verifier;
        private String realm = "api";
        private int maxCredentialBytes = 4096;

        private Builder() {}

        /** Decides about each user and password (required). */
        public Builder verifier(Verifier value) { this.verifier = value; return this; }

        /** The realm of the challenge: printable ASCII without {@code "} or {@code \}. */
        public Builder realm(String value) { this.realm = value; return this; }

        /** The longest {@code user:password}, in bytes once decoded, that is considered. */
        public Builder maxCredentialBytes(int value) { this.maxCredentialBytes = value; return this; }

        /**
         * Checks every option.
         *
         * @throws WeftException listing every invalid option, one per line
         */
        public BasicAuth build() {
            List<String> problems = new ArrayList<>();
            if (verifier == null) {
                problems.add("verifier must be set (a UserTable, or a function of user and password)");
            }
            Challenges.checkQuotable(problems, "realm", realm);
            if (maxCredentialBytes <= 0) {
                problems.add("maxCredentialBytes must be positive, got " + maxCredentialBytes);
            }
            if (!problems.isEmpty()) {
                throw new WeftException("invalid BasicAuth options:\n  - " + String.join("\n  - ", problems));
            }
            return new BasicAuth(this);
        }
    }
}
