package dev.weft.auth;

import dev.weft.WeftException;
import dev.weft.extract.Rejection;
import dev.weft.http.Request;
import dev.weft.middleware.Middleware;
import dev.weft.middleware.Next;
import dev.weft.response.Response;
import dev.weft.response.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Bearer-token authentication (RFC 6750): a layer that asks {@code verifier} about the token of
 * the {@code Authorization: Bearer} header. Install it with {@code routeLayer} (or
 * {@code Handler.layer}); {@code layer} fails the build.
 *
 * <p>Answers, all problem+json, with {@code WWW-Authenticate: Bearer realm="..."} and:
 * <ul>
 *   <li>no error code, 401, when the request carries no Bearer credentials (no
 *       {@code Authorization} header, or one of another scheme);</li>
 *   <li>{@code error="invalid_request"}, 400, when it is malformed: several {@code Authorization}
 *       headers, {@code Bearer} without a token, a token that is not token68, or an
 *       {@code access_token} query parameter (RFC 6750 §2.3 is not supported: URIs end up in
 *       logs; with a header as well, the request uses two methods, which §3.1 forbids);</li>
 *   <li>{@code error="invalid_token"}, 401, when the verifier refuses the token or it is longer
 *       than {@code maxTokenBytes}; no {@code error_description}, so nothing tells which part of
 *       the token was wrong;</li>
 *   <li>{@code error="insufficient_scope", scope="..."}, 403, from {@link Auth#requireRole} when
 *       the principal lacks a role or scope;</li>
 *   <li>503 with {@code retry-after} when the verifier throws {@link AuthUnavailableException}.</li>
 * </ul>
 * Scheme names match case-insensitively. Runs on the request's virtual thread; the verifier may block.
 *
 * <table class="striped">
 *   <caption>Options</caption>
 *   <thead><tr><th>option</th><th>default</th><th>meaning</th></tr></thead>
 *   <tbody>
 *     <tr><td>{@code verifier}</td><td>required</td><td>token → principal</td></tr>
 *     <tr><td>{@code realm}</td><td>{@code "api"}</td><td>the protection space named in the challenge</td></tr>
 *     <tr><td>{@code maxTokenBytes}</td><td>8192</td><td>longest token considered; longer → 401 {@code invalid_token} without calling the verifier</td></tr>
 *   </tbody>
 * </table>
 *
 * {@snippet class=dev.weft.auth.AuthExamples region=bearer}
 */
public final class BearerAuth implements Middleware {

    /** Decides whether a token is good. Runs on the request's virtual thread; may block. */
    @FunctionalInterface
    public interface Verifier {
        /**
         * The principal the token stands for, or empty to refuse it (401 {@code invalid_token}).
         *
         * @throws AuthUnavailableException if what the token is checked against is unreachable (503)
         */
        Optional<Principal> verify(String token) throws Exception;
    }

    private final Verifier verifier;
    private final String realm;
    private final String name;
    private final int maxTokenBytes;
    private final Response noCredentials;
    private final Response invalidToken;
    private final Response malformed;
    private final Response tokenInQuery;

    private BearerAuth(Builder b, String name) {
        this.verifier = b.verifier;
        this.realm = b.realm;
        this.name = name;
        this.maxTokenBytes = b.maxTokenBytes;
        String challenge = "Bearer " + Challenges.param("realm", realm);
        this.noCredentials = Challenges.unauthorized(challenge);
        this.invalidToken = Challenges.unauthorized(challenge + ", " + Challenges.param("error", "invalid_token"));
        String invalidRequest = challenge + ", " + Challenges.param("error", "invalid_request");
        this.malformed = new Rejection.AuthenticationRefused(Status.BAD_REQUEST,
                "the Authorization header must be one 'Bearer <token>' with a token68 token", invalidRequest)
                .toResponse();
        this.tokenInQuery = new Rejection.AuthenticationRefused(Status.BAD_REQUEST,
                "send the access token in the Authorization header, not in the query", invalidRequest).toResponse();
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Response handle(Request request, Next next) throws Exception {
        List<String> values = request.headers().all("authorization");
        boolean inQuery = hasAccessTokenParam(request);
        if (values.size() > 1) {
            return malformed;
        }
        String token = values.isEmpty() ? null : Challenges.credentials(values.getFirst(), "Bearer");
        if (inQuery) {
            return tokenInQuery;
        }
        if (token == null) {
            return noCredentials;
        }
        if (token.isEmpty() || !Challenges.isToken68(token)) {
            return malformed;
        }
        if (token.length() > maxTokenBytes) {
            return invalidToken;
        }
        Optional<Principal> principal;
        try {
            principal = verifier.verify(token);
        } catch (AuthUnavailableException e) {
            return Challenges.unavailable(e.retryAfter());
        }
        if (principal == null || principal.isEmpty()) {
            return invalidToken;
        }
        Auth.attach(request, principal.get(), realm);
        return next.run(request);
    }

    private static boolean hasAccessTokenParam(Request request) {
        Optional<String> query = request.rawQuery();
        if (query.isEmpty()) {
            return false;
        }
        for (String pair : query.get().split("&", -1)) {
            if (pair.equals("access_token") || pair.startsWith("access_token=")) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Kind kind() {
        return Kind.AUTHENTICATION;
    }

    /** Configures a {@link BearerAuth}; {@link #build()} checks every option at once. */
    public static final class Builder {
        private Verifier verifier;
        private String realm = "api";
        private int maxTokenBytes = 8192;

        private Builder() {}

        /** Decides about each token (required). */
        public Builder verifier(Verifier value) { this.verifier = value; return this; }

        /** The realm of the challenge: printable ASCII without {@code "} or {@code \}. */
        public Builder realm(String value) { this.realm = value; return this; }

        /** The longest token considered. */
        public Builder maxTokenBytes(int value) { this.maxTokenBytes = value; return this; }

        /**
         * Checks every option.
         *
         * @throws WeftException listing every invalid option, one per line
         */
        public BearerAuth build() {
            return build("BearerAuth");
        }

        /**
         * Like {@link #build()}, with the name the route table shows (for layers built on this
         * one, such as {@code JwtAuth}).
         */
        public BearerAuth build(String name) {
            List<String> problems = new ArrayList<>();
            if (verifier == null) {
                problems.add("verifier must be set");
            }
            Challenges.checkQuotable(problems, "realm", realm);
            if (maxTokenBytes <= 0) {
                problems.add("maxTokenBytes must be positive, got " + maxTokenBytes);
            }
            if (name == null || name.isBlank()) {
                problems.add("name must not be blank");
            }
            if (!problems.isEmpty()) {
                throw new WeftException("invalid BearerAuth options:\n  - " + String.join("\n  - ", problems));
            }
            return new BearerAuth(this, name);
        }
    }
}
