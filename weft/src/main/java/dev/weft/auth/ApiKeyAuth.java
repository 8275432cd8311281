package dev.weft.auth;

import dev.weft.WeftException;
import dev.weft.http.Request;
import dev.weft.middleware.Middleware;
import dev.weft.middleware.Next;
import dev.weft.response.Response;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * API-key authentication: a layer that reads a key from a request header ({@code x-api-key} by
 * default) and looks it up among known keys, or asks a verifier. Install it with
 * {@code routeLayer} (or {@code Handler.layer}); {@code layer} fails the build.
 *
 * <p>Known keys are kept as SHA-256 digests in a hash map: the presented key is hashed, the map
 * is searched by digest and the entry found is compared with {@link MessageDigest#isEqual}, so
 * the lookup time depends on the digest (which a guesser cannot steer), not on how much of a key
 * matched. Every refusal (no header, several, empty, too long, unknown key) is the same
 * {@code 401} problem+json with {@code WWW-Authenticate: ApiKey realm="...", header="..."} (no
 * registered scheme exists for API keys; RFC 9110 requires a challenge with every 401). Runs on
 * the request's virtual thread.
 *
 * <table class="striped">
 *   <caption>Options</caption>
 *   <thead><tr><th>option</th><th>default</th><th>meaning</th></tr></thead>
 *   <tbody>
 *     <tr><td>{@code header}</td><td>{@code x-api-key}</td><td>the request header holding the key</td></tr>
 *     <tr><td>{@code key(key, principal)}</td><td>none</td><td>a known key and who it stands for</td></tr>
 *     <tr><td>{@code verifier}</td><td>none</td><td>key → principal, instead of known keys (exactly one of the two)</td></tr>
 *     <tr><td>{@code realm}</td><td>{@code "api"}</td><td>the protection space named in the challenge</td></tr>
 *     <tr><td>{@code maxKeyBytes}</td><td>1024</td><td>longest key considered; longer → 401</td></tr>
 *   </tbody>
 * </table>
 *
 * {@snippet class=dev.weft.auth.AuthExamples region=api-key}
 */
public final class ApiKeyAuth implements Middleware {

    /** Decides whether a key is good, instead of a table of known keys. May block. */
    @FunctionalInterface
    public interface Verifier {
        /** The principal the key stands for, or empty to refuse it (401). */
        Optional<Principal> verify(String key) throws Exception;
    }

    private record Known(byte[] digest, Principal principal) {}

    private final String header;
    private final int maxKeyBytes;
    private final Map<String, Known> known;
    private final Verifier verifier;
    private final Response refusal;

    private ApiKeyAuth(Builder b) {
        this.header = b.header.toLowerCase(Locale.ROOT);
        this.maxKeyBytes = b.maxKeyBytes;
        Map<String, Known> byDigest = new HashMap<>();
        b.keys.forEach((key, principal) -> {
            byte[] digest = Digests.sha256(key);
            byDigest.put(HexFormat.of().formatHex(digest), new Known(digest, principal));
        });
        this.known = Map.copyOf(byDigest);
        this.verifier = b.verifier;
        this.refusal = Challenges.unauthorized("ApiKey " + Challenges.param("realm", b.realm) + ", "
                + Challenges.param("header", header));
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Response handle(Request request, Next next) throws Exception {
        List<String> values = request.headers().all(header);
        if (values.size() != 1) {
            return refusal;
        }
        String key = values.getFirst().strip();
        if (key.isEmpty() || key.length() > maxKeyBytes) {
            return refusal;
        }
        Optional<Principal> principal;
        try {
            principal = verifier != null ? verifier.verify(key) : lookUp(key);
        } catch (AuthUnavailableException e) {
            return Challenges.unavailable(e.retryAfter());
        }
        if (principal == null || principal.isEmpty()) {
            return refusal;
        }
        Auth.attach(request, principal.get(), "");
        return next.run(request);
    }

    private Optional<Principal> lookUp(String key) {
        byte[] digest = Digests.sha256(key);
        Known entry = known.get(HexFormat.of().formatHex(digest));
        return entry != null && MessageDigest.isEqual(entry.digest(), digest)
                ? Optional.of(entry.principal()) : Optional.empty();
    }

    @Override
    public String name() {
        return "ApiKeyAuth";
    }

    @Override
    public Kind kind() {
        return Kind.AUTHENTICATION;
    }

    /** Configures an {@link ApiKeyAuth}; {@link #build()} checks every option at once. */
    public static final class Builder {
        private String header = "x-api-key";
        private final Map<String, Principal> keys = new LinkedHashMap<>();
        private final List<String> duplicates = new ArrayList<>();
        private Verifier verifier;
        private String realm = "api";
        private int maxKeyBytes = 1024;

        private Builder() {}

        /** The request header holding the key. */
        public Builder header(String name) { this.header = name; return this; }

        /** A known key and the principal it stands for. */
        public Builder key(String key, Principal principal) {
            if (key != null && principal != null && keys.put(key, principal) != null) {
                duplicates.add(principal.name());
            } else if (key == null || principal == null) {
                duplicates.add(null);
            }
            return this;
        }

        /** Decides about each key, instead of {@link #key known keys}. */
        public Builder verifier(Verifier value) { this.verifier = value; return this; }

        /** The realm of the challenge: printable ASCII without {@code "} or {@code \}. */
        public Builder realm(String value) { this.realm = value; return this; }

        /** The longest key considered. */
        public Builder maxKeyBytes(int value) { this.maxKeyBytes = value; return this; }

        /**
         * Checks every option.
         *
         * @throws WeftException listing every invalid option, one per line
         */
        public ApiKeyAuth build() {
            List<String> problems = new ArrayList<>();
            if (header == null || header.isEmpty() || !header.chars().allMatch(Builder::isTokenChar)) {
                problems.add("header '" + header + "' is not an HTTP header name");
            } else if (header.equalsIgnoreCase("authorization") || header.equalsIgnoreCase("cookie")) {
                problems.add("header '" + header + "' is for other schemes; use BearerAuth or sessions");
            }
            if (keys.isEmpty() == (verifier == null)) {
                problems.add("give either known keys (key(...)) or a verifier, exactly one of the two");
            }
            for (String owner : duplicates) {
                problems.add(owner == null ? "key(...) needs a key and a principal, not null"
                        : "a key (of '" + owner + "') is given twice");
            }
            for (String key : keys.keySet()) {
                if (key.isBlank() || key.strip().length() != key.length()) {
                    problems.add("a key (of '" + keys.get(key).name() + "') is blank or has surrounding spaces");
                }
            }
            Challenges.checkQuotable(problems, "realm", realm);
            if (maxKeyBytes <= 0) {
                problems.add("maxKeyBytes must be positive, got " + maxKeyBytes);
            }
            if (!problems.isEmpty()) {
                throw new WeftException("invalid ApiKeyAuth options:\n  - " + String.join("\n  - ", problems));
            }
            return new ApiKeyAuth(this);
        }

        private static boolean isTokenChar(int c) {
            return c > 0x20 && c < 0x7f && "\"(),/:;<=>?@[\\]{}".indexOf(c) < 0;
        }
    }
}
