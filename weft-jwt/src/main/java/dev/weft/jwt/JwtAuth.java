package dev.weft.jwt;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyType;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.weft.WeftException;
import dev.weft.auth.AuthUnavailableException;
import dev.weft.auth.BearerAuth;
import dev.weft.auth.Principal;
import dev.weft.http.Request;
import dev.weft.middleware.Middleware;
import dev.weft.middleware.Next;
import dev.weft.response.Response;
import java.net.MalformedURLException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JWT bearer authentication on nimbus-jose-jwt: a {@link BearerAuth} layer whose verifier checks
 * a signed JWT's signature against keys from a JWKS URL (or a fixed key set), with a required
 * algorithm allow-list, and its {@code iss}, {@code aud}, {@code exp} and {@code nbf} with clock
 * skew. Install it with {@code routeLayer}; {@code layer} fails the build. Close it when the app
 * stops (it owns the JWKS refresher thread).
 *
 * <p>Every refused token gets the same {@code 401} with {@code WWW-Authenticate: Bearer
 * realm="...", error="invalid_token"} whatever was wrong (signature, algorithm, key id, expiry,
 * audience, issuer, type, garbage): the reason is logged at DEBUG, never sent. Unsigned tokens
 * ({@code alg: none}) and encrypted ones are never accepted; HMAC algorithms only with a fixed set
 * of secret keys, never with a JWKS URL or public keys (the "HS256 signed with the public key"
 * confusion). The other statuses are {@link BearerAuth}'s (400 {@code invalid_request} for a
 * malformed header, 403 {@code insufficient_scope} from {@code Auth.requireRole}).
 *
 * <p><b>Keys from a JWKS URL.</b> Fetched in the background, at build and then every
 * {@code refreshInterval}; a request never waits for the endpoint once a key set was fetched. If
 * the endpoint fails, the last good key set is kept for as long as the outage lasts. A token with
 * a key id not in the set asks for an early fetch (a rotation), at most one per
 * {@code minRefreshInterval}, and is refused meanwhile. Until the first fetch succeeds, a request
 * waits for the fetch under way (at most {@code startupWait}) and then gets {@code 503} with
 * {@code retry-after}: the token may be good, the server cannot tell yet.
 *
 * <table class="striped">
 *   <caption>Options</caption>
 *   <thead><tr><th>option</th><th>default</th><th>meaning</th></tr></thead>
 *   <tbody>
 *     <tr><td>{@code issuer}</td><td>required</td><td>the exact {@code iss} accepted</td></tr>
 *     <tr><td>{@code audience}</td><td>required</td><td>accepted {@code aud} values (one must match)</td></tr>
 *     <tr><td>{@code algorithms}</td><td>required</td><td>JWS algorithms accepted, e.g. {@code RS256}, {@code ES256}; never {@code none}</td></tr>
 *     <tr><td>{@code jwksUri} / {@code keys}</td><td>required, one</td><td>where the verification keys come from</td></tr>
 *     <tr><td>{@code clockSkew}</td><td>60 s</td><td>tolerance for {@code exp} and {@code nbf}</td></tr>
 *     <tr><td>{@code nameClaim}</td><td>{@code sub}</td><td>the claim naming the principal (required in tokens)</td></tr>
 *     <tr><td>{@code rolesClaim}</td><td>{@code scope}</td><td>the claim holding roles/scopes: a space-separated string or an array</td></tr>
 *     <tr><td>{@code realm}</td><td>{@code "api"}</td><td>the realm of the challenge</td></tr>
 *     <tr><td>{@code refreshInterval}</td><td>5 min</td><td>how often the JWKS is fetched</td></tr>
 *     <tr><td>{@code minRefreshInterval}</td><td>30 s</td><td>least time between two fetches (unknown key ids, retries after a failure)</td></tr>
 *     <tr><td>{@code connectTimeout} / {@code readTimeout}</td><td>1 s / 1 s</td><td>for each JWKS fetch</td></tr>
 *     <tr><td>{@code maxJwksBytes}</td><td>51200</td><td>largest JWKS document read</td></tr>
 *     <tr><td>{@code startupWait}</td><td>2 s</td><td>longest a request waits for the first key set before its 503</td></tr>
 *   </tbody>
 * </table>
 * Accepted {@code typ} headers: {@code at+jwt} (RFC 9068), {@code JWT}, or none.
 *
 * {@snippet class=dev.weft.jwt.JwtExamples region=jwks}
 */
public final class JwtAuth implements Middleware, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JwtAuth.class);

    private final BearerAuth bearer;
    private final KeyRing keys;
    private final DefaultJWTProcessor<SecurityContext> processor;
    private final String nameClaim;
    private final String rolesClaim;

    private JwtAuth(Builder b, List<JWSAlgorithm> algorithms) {
        this.nameClaim = b.nameClaim;
        this.rolesClaim = b.rolesClaim;
        if (b.jwksUri != null) {
            JWKSource<SecurityContext> remote;
            try {
                remote = JWKSourceBuilder.<SecurityContext>create(b.jwksUri.toURL(),
                                new DefaultResourceRetriever((int) b.connectTimeout.toMillis(),
                                        (int) b.readTimeout.toMillis(), b.maxJwksBytes))
                        // Caching, refresh-ahead and outage tolerance are KeyRing's (see there):
                        // here only the fetch, retried once on a transient failure.
                        .cache(false)
                        .refreshAheadCache(false)
                        .rateLimited(false)
                        .outageTolerant(false)
                        .retrying(true)
                        .build();
            } catch (MalformedURLException e) {
                throw new WeftException("jwksUri '" + b.jwksUri + "' is not a URL", e);
            }
            this.keys = KeyRing.remote(remote, b.jwksUri.toString(), b.refreshInterval, b.minRefreshInterval,
                    b.startupWait);
        } else {
            this.keys = KeyRing.fixed(b.keys);
        }
        this.processor = new DefaultJWTProcessor<>();
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(
                new JOSEObjectType("at+jwt"), JOSEObjectType.JWT, null));
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(Set.copyOf(algorithms), keys));
        Set<String> required = new HashSet<>(Set.of("iss", "aud", "exp"));
        required.add(b.nameClaim);
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(
                Set.copyOf(b.audiences), new JWTClaimsSet.Builder().issuer(b.issuer).build(), required, Set.of());
        claims.setMaxClockSkew((int) b.clockSkew.toSeconds());
        processor.setJWTClaimsSetVerifier(claims);
        this.bearer = BearerAuth.builder().realm(b.realm).verifier(this::verify).build("JwtAuth");
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Response handle(Request request, Next next) throws Exception {
        return bearer.handle(request, next);
    }

    /** The principal of a good token; empty for any bad one; 503 while no keys were ever fetched. */
    private Optional<Principal> verify(String token) {
        JWTClaimsSet claims;
        try {
            claims = processor.process(token, null);
        } catch (Exception refused) {
            KeyRing.KeysUnavailableException unavailable = unavailable(refused);
            if (unavailable != null) {
                throw new AuthUnavailableException(unavailable.getMessage(), unavailable.retryAfter());
            }
            LOG.debug("JWT refused: {}", refused.toString());
            return Optional.empty();
        }
        Object name = claims.getClaim(nameClaim);
        if (!(name instanceof String subject) || subject.isEmpty()) {
            LOG.debug("JWT refused: claim '{}' is not a string", nameClaim);
            return Optional.empty();
        }
        Set<String> roles = new LinkedHashSet<>();
        switch (claims.getClaim(rolesClaim)) {
            case String spaced -> {
                for (String role : spaced.split(" ")) {
                    if (!role.isEmpty()) {
                        roles.add(role);
                    }
                }
            }
            case Collection<?> list -> list.forEach(role -> {
                if (role instanceof String s) {
                    roles.add(s);
                }
            });
            case null, default -> { }
        }
        Map<String, Object> attributes = new HashMap<>();
        claims.getClaims().forEach((claim, value) -> {
            if (value != null) {
                attributes.put(claim, value);
            }
        });
        return Optional.of(new Principal(subject, roles, attributes));
    }

    private static KeyRing.KeysUnavailableException unavailable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof KeyRing.KeysUnavailableException found) {
                return found;
            }
        }
        return null;
    }

    @Override
    public String name() {
        return "JwtAuth";
    }

    @Override
    public Kind kind() {
        return Kind.AUTHENTICATION;
    }

    /** Stops the JWKS refresher. Requests after this keep the last key set. */
    @Override
    public void close() {
        keys.close();
    }

    /** Configures a {@link JwtAuth}; {@link #build()} checks every option at once. */
    public static final class Builder {
        private String issuer;
        private final List<String> audiences = new ArrayList<>();
        private final List<String> algorithms = new ArrayList<>();
        private URI jwksUri;
        private JWKSet keys;
        private Duration clockSkew = Duration.ofSeconds(60);
        private String nameClaim = "sub";
        private String rolesClaim = "scope";
        private String realm = "api";
        private Duration refreshInterval = Duration.ofMinutes(5);
        private Duration minRefreshInterval = Duration.ofSeconds(30);
        private Duration connectTimeout = Duration.ofSeconds(1);
        private Duration readTimeout = Duration.ofSeconds(1);
        private Duration startupWait = Duration.ofSeconds(2);
        private int maxJwksBytes = 51_200;

        private Builder() {}

        /** The exact {@code iss} accepted (required). */
        public Builder issuer(String value) { this.issuer = value; return this; }

        /** Accepted audiences; a token's {@code aud} must hold one of them (required). */
        public Builder audience(String... values) { audiences.addAll(List.of(values)); return this; }

        /** The JWS algorithms accepted, e.g. {@code "RS256"}, {@code "ES256"} (required; never {@code none}). */
        public Builder algorithms(String... names) { algorithms.addAll(List.of(names)); return this; }

        /** Fetches the verification keys from this JWKS URL. */
        public Builder jwksUri(URI value) { this.jwksUri = value; return this; }

        /** Verifies with this fixed key set instead of a JWKS URL. */
        public Builder keys(JWKSet value) { this.keys = value; return this; }

        /** Tolerance for {@code exp} and {@code nbf}, whole seconds. */
        public Builder clockSkew(Duration value) { this.clockSkew = value; return this; }

        /** The claim naming the principal. */
        public Builder nameClaim(String value) { this.nameClaim = value; return this; }

        /** The claim holding roles or scopes (a space-separated string or an array of strings). */
        public Builder rolesClaim(String value) { this.rolesClaim = value; return this; }

        /** The realm of the challenge. */
        public Builder realm(String value) { this.realm = value; return this; }

        /** How often the JWKS is fetched. */
        public Builder refreshInterval(Duration value) { this.refreshInterval = value; return this; }

        /** Least time between two JWKS fetches. */
        public Builder minRefreshInterval(Duration value) { this.minRefreshInterval = value; return this; }

        /** Connect timeout of each JWKS fetch. */
        public Builder connectTimeout(Duration value) { this.connectTimeout = value; return this; }

        /** Read timeout of each JWKS fetch. */
        public Builder readTimeout(Duration value) { this.readTimeout = value; return this; }

        /** Longest a request waits for the first key set. */
        public Builder startupWait(Duration value) { this.startupWait = value; return this; }

        /** Largest JWKS document read. */
        public Builder maxJwksBytes(int value) { this.maxJwksBytes = value; return this; }

        /**
         * Checks every option and, for a JWKS URL, starts fetching the keys.
         *
         * @throws WeftException listing every invalid option, one per line
         */
        public JwtAuth build() {
            List<String> problems = new ArrayList<>();
            if (issuer == null || issuer.isBlank()) {
                problems.add("issuer must be set: the exact 'iss' of accepted tokens");
            }
            if (audiences.isEmpty() || audiences.stream().anyMatch(a -> a == null || a.isBlank())) {
                problems.add("audience must be set: the 'aud' values accepted, none blank");
            }
            List<JWSAlgorithm> parsed = algorithms(problems);
            if ((jwksUri == null) == (keys == null)) {
                problems.add("give either jwksUri(...) or keys(...), exactly one of the two");
            }
            if (jwksUri != null && !("https".equalsIgnoreCase(jwksUri.getScheme())
                    || "http".equalsIgnoreCase(jwksUri.getScheme()))) {
                problems.add("jwksUri '" + jwksUri + "' must be an http or https URL");
            }
            if (keys != null && keys.getKeys().isEmpty()) {
                problems.add("keys(...) holds no key");
            }
            keyFamilies(problems, parsed);
            duration(problems, "clockSkew", clockSkew, true);
            duration(problems, "refreshInterval", refreshInterval, false);
            duration(problems, "minRefreshInterval", minRefreshInterval, true);
            duration(problems, "connectTimeout", connectTimeout, false);
            duration(problems, "readTimeout", readTimeout, false);
            duration(problems, "startupWait", startupWait, true);
            if (minRefreshInterval != null && refreshInterval != null && minRefreshInterval.compareTo(refreshInterval) > 0) {
                problems.add("minRefreshInterval (" + minRefreshInterval + ") must not exceed refreshInterval ("
                        + refreshInterval + ")");
            }
            if (maxJwksBytes <= 0) {
                problems.add("maxJwksBytes must be positive, got " + maxJwksBytes);
            }
            if (nameClaim == null || nameClaim.isBlank()) {
                problems.add("nameClaim must not be blank");
            }
            if (rolesClaim == null || rolesClaim.isBlank()) {
                problems.add("rolesClaim must not be blank");
            }
            if (realm == null || realm.isEmpty() || !realm.chars().allMatch(c -> c >= 0x20 && c <= 0x7e && c != '"' && c != '\\')) {
                problems.add("realm '" + realm + "' must be printable ASCII without '\"' or '\\'");
            }
            if (!problems.isEmpty()) {
                throw new WeftException("invalid JwtAuth options:\n  - " + String.join("\n  - ", problems));
            }
            return new JwtAuth(this, parsed);
        }

        private List<JWSAlgorithm> algorithms(List<String> problems) {
            if (algorithms.isEmpty()) {
                problems.add("algorithms must be set: the allow-list of JWS algorithms (e.g. \"RS256\"); "
                        + "there is no default, so a token cannot choose its own");
            }
            List<JWSAlgorithm> parsed = new ArrayList<>();
            for (String name : algorithms) {
                JWSAlgorithm alg = name == null ? null : JWSAlgorithm.parse(name);
                if (name == null || name.equalsIgnoreCase("none")) {
                    problems.add("algorithm '" + name + "' is never accepted: unsigned tokens prove nothing");
                } else if (!JWSAlgorithm.Family.SIGNATURE.contains(alg) && !JWSAlgorithm.Family.HMAC_SHA.contains(alg)) {
                    problems.add("algorithm '" + name + "' is not a JWS algorithm nimbus knows (e.g. RS256, PS256, "
                            + "ES256, EdDSA, HS256)");
                } else {
                    parsed.add(alg);
                }
            }
            return parsed;
        }

        /** HMAC only with fixed secret keys; asymmetric algorithms only with asymmetric keys. */
        private void keyFamilies(List<String> problems, List<JWSAlgorithm> parsed) {
            boolean hmac = parsed.stream().anyMatch(JWSAlgorithm.Family.HMAC_SHA::contains);
            boolean asymmetric = parsed.stream().anyMatch(JWSAlgorithm.Family.SIGNATURE::contains);
            if (hmac && asymmetric) {
                problems.add("algorithms mix HMAC (HS*) with public-key algorithms; an HS* token could then be "
                        + "signed with a public key as its secret: use one family");
            }
            if (hmac && jwksUri != null) {
                problems.add("HMAC algorithms (HS*) need shared secret keys: use keys(...) with oct keys, not a "
                        + "JWKS URL of public keys");
            }
            if (keys != null) {
                for (JWK key : keys.getKeys()) {
                    boolean secret = KeyType.OCT.equals(key.getKeyType());
                    if (secret && asymmetric) {
                        problems.add("key '" + key.getKeyID() + "' is a secret (oct) key, but the algorithms are "
                                + "public-key ones");
                    } else if (!secret && hmac) {
                        problems.add("key '" + key.getKeyID() + "' is a public-key " + key.getKeyType()
                                + " key, but the algorithms are HMAC (HS*)");
                    }
                }
            }
        }

        private static void duration(List<String> problems, String name, Duration value, boolean zeroAllowed) {
            if (value == null) {
                problems.add(name + " must be set");
            } else if (value.isNegative() || (value.isZero() && !zeroAllowed)) {
                problems.add(name + " must be " + (zeroAllowed ? "zero or more" : "positive") + ", got " + value);
            }
        }
    }
}
