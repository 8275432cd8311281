package dev.weft.middleware;

import dev.weft.WeftException;
import dev.weft.extract.Extractor;
import dev.weft.extract.RouteShape;
import dev.weft.http.Method;
import dev.weft.http.Request;
import dev.weft.internal.extract.LayerChecks;
import dev.weft.internal.http.BytesBody;
import dev.weft.internal.http.CsrfTokenVault;
import dev.weft.internal.http.QueryParams;
import dev.weft.internal.http.ServerRequest;
import dev.weft.internal.routing.RouteChecked;
import dev.weft.response.Problem;
import dev.weft.response.Response;
import dev.weft.response.Status;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses cross-origin requests that change state (CSRF), by the algorithm of Go 1.25's
 * {@code net/http.CrossOriginProtection}: browsers say where a request comes from, so no token is
 * needed. {@code Sessions} installs one by default; install it yourself with {@code layer(..)}
 * inside {@link Cors} ({@link Kind#CSRF}) for other cookie-authenticated apps.
 *
 * {@snippet class=dev.weft.middleware.CrossOriginProtectionExamples region=csrf}
 *
 * <p><b>The algorithm</b>, in order:
 * <ol>
 *   <li>{@code GET}, {@code HEAD} and {@code OPTIONS} are allowed (they must not change state).</li>
 *   <li>{@code Sec-Fetch-Site: same-origin} or {@code none} (the user typed the address) is
 *       allowed; any other value ({@code cross-site}, {@code same-site}, anything unknown, several
 *       fields) is refused as a <em>cross-site request</em> unless the request is exempt.</li>
 *   <li>Without {@code Sec-Fetch-Site} and without {@code Origin}, the request is allowed: it does
 *       not come from a browser (browsers since 2023 send one or the other).</li>
 *   <li>Otherwise {@code Origin}'s {@code host[:port]} must equal the host the client addressed,
 *       {@link Request#client()}{@code .host()} (from a trusted proxy's {@code X-Forwarded-Host}
 *       or {@code Forwarded} when there is one, never a header an untrusted peer sent), compared
 *       case-insensitively with the origin scheme's default port dropped; else it is refused as an
 *       <em>origin mismatch</em> unless exempt. {@code Origin: null}, a malformed origin and
 *       several {@code Origin} fields never match.</li>
 * </ol>
 * A request is exempt when its {@code Origin} is a trusted origin, or when the router dispatches
 * it to an exempt route: exemptions name a method and a route pattern exactly as declared (for
 * example {@code POST /hooks/{provider}}), checked when the router is built (a name that is not a
 * route this layer wraps fails the build), and matched by the route the router really picks,
 * never by a path prefix (Go's CVE-2025-47910 came from prefix-like bypass patterns).
 *
 * <p><b>Refusals</b> are {@code 403} problem+json with {@code reason} {@code cross-site-request},
 * {@code origin-mismatch} or {@code csrf-token}; they never echo the headers. The handler is not
 * called and the body is not read.
 *
 * <p><b>Token mode</b> ({@link Builder#maskedTokens()}) is for clients that send no Fetch
 * Metadata: a request that passed the steps above without {@code Sec-Fetch-Site} must also carry
 * the session's synchronizer token, masked, in a header or an urlencoded form field. The token
 * lives in the session (so token mode needs a {@code Sessions} layer outside this one, checked at
 * build), and {@link #token()} hands out a freshly XOR-masked copy per call, as Spring Security
 * does against BREACH; the raw token is refused, comparisons are constant-time.
 *
 * <table class="striped">
 * <caption>Options and defaults</caption>
 * <thead><tr><th>option</th><th>default</th><th>meaning</th></tr></thead>
 * <tbody>
 * <tr><td>{@code trustedOrigins}</td><td>none</td><td>origins allowed to send cross-origin requests; validated as {@link Cors}'s</td></tr>
 * <tr><td>{@code trustedOriginPatterns}</td><td>none</td><td>{@code https://*.example.com}: one label in place of {@code *}</td></tr>
 * <tr><td>{@code exempt(method, pattern)}</td><td>none</td><td>an exact route that is never refused (e.g. a webhook); must exist</td></tr>
 * <tr><td>{@code maskedTokens}</td><td>off</td><td>also require the session's token from requests without {@code Sec-Fetch-Site}</td></tr>
 * <tr><td>{@code tokenHeader}</td><td>{@code x-csrf-token}</td><td>the header carrying the masked token</td></tr>
 * <tr><td>{@code tokenField}</td><td>{@code _csrf}</td><td>the urlencoded form field carrying it (read only when the header is absent)</td></tr>
 * </tbody>
 * </table>
 *
 * <p>Runs on the request's thread; one instance serves every request and holds no per-request
 * state. Thread-safe.
 */
public final class CrossOriginProtection implements Middleware, RouteChecked {
    private static final Logger LOG = LoggerFactory.getLogger(CrossOriginProtection.class);
    private static final int TOKEN_BYTES = 32;
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Why a request was refused: the {@code reason} member of the 403 problem. */
    enum Reason {
        CROSS_SITE("cross-site-request", "cross-origin request refused: the browser marked it as sent from another site"),
        ORIGIN_MISMATCH("origin-mismatch", "cross-origin request refused: its Origin is not the host it was sent to"),
        TOKEN("csrf-token", "request refused: the CSRF token is missing or invalid");

        final String code;
        final String detail;

        Reason(String code, String detail) {
            this.code = code;
            this.detail = detail;
        }
    }

    private final Set<String> trusted;
    private final List<Origins.Pattern> patterns;
    /** {@code "POST /hooks/{id}"}: method, one space, the full pattern. */
    private final Set<String> exemptions;
    private final boolean tokens;
    private final String tokenHeader;
    private final String tokenField;

    private CrossOriginProtection(Builder b) {
        Set<String> exact = new LinkedHashSet<>();
        b.trusted.forEach(o -> exact.add(Origins.normalize(o)));
        this.trusted = Set.copyOf(exact);
        this.patterns = b.patterns.stream().map(Origins.Pattern::of).toList();
        this.exemptions = Set.copyOf(b.exemptions);
        this.tokens = b.tokens;
        this.tokenHeader = b.tokenHeader.toLowerCase(Locale.ROOT);
        this.tokenField = b.tokenField;
    }

    /** The defaults: Fetch Metadata and Origin checks, nothing trusted, nothing exempt, no tokens. */
    public static CrossOriginProtection create() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String name() {
        return tokens ? "CrossOriginProtection(tokens)" : "CrossOriginProtection";
    }

    @Override
    public Kind kind() {
        return Kind.CSRF;
    }

    /** Whether token mode is on: the route table and {@code Sessions} show it. */
    public boolean maskedTokensRequired() {
        return tokens;
    }

    @Override
    public Response handle(Request request, Next next) throws Exception {
        Reason refused = check(request);
        if (refused != null) {
            return refusal(request, refused);
        }
        return next.run(request);
    }

    /** The 403 answer for {@code reason}; the same words whoever asks. */
    static Response refusal(Request request, Reason reason) {
        LOG.debug("{} {} refused: {}", request.method(), request.path(), reason.code);
        return Problem.of(Status.FORBIDDEN, reason.detail).with("reason", reason.code).toResponse();
    }

    /** Checks {@code request}; null if it may go on, else why not. */
    private Reason check(Request request) throws Exception {
        Method method = request.method();
        if (method.equals(Method.GET) || method.equals(Method.HEAD) || method.equals(Method.OPTIONS)) {
            return null;
        }
        List<String> site = request.headers().all("sec-fetch-site");
        if (!site.isEmpty()) {
            String value = site.size() == 1 ? site.getFirst() : "";
            if (value.equals("same-origin") || value.equals("none")) {
                return null;
            }
            return exemptRoute(request) || trustedOrigin(request) ? null : Reason.CROSS_SITE;
        }
        List<String> origin = request.headers().all("origin");
        if (origin.isEmpty() || origin.size() == 1 && sameHost(origin.getFirst(), request)) {
            // Not a browser, or a browser without Fetch Metadata on the same host: only the token is left.
            return !tokens || exemptRoute(request) || validToken(request) ? null : Reason.TOKEN;
        }
        return exemptRoute(request) || trustedOrigin(request) ? null : Reason.ORIGIN_MISMATCH;
    }

    /** Whether {@code origin}'s host[:port] is the host the client addressed. */
    private static boolean sameHost(String origin, Request request) {
        String normalized = Origins.normalize(origin);
        Optional<String> host = request.client().host();
        if (normalized == null || host.isEmpty()) {
            return false; // null, malformed, or a request that named no host
        }
        int sep = normalized.indexOf("://");
        String scheme = normalized.substring(0, sep);
        String authority = normalized.substring(sep + 3);
        String addressed = host.get().toLowerCase(Locale.ROOT);
        String defaultPort = scheme.equals("https") || scheme.equals("wss") ? ":443"
                : scheme.equals("http") || scheme.equals("ws") ? ":80" : null;
        if (defaultPort != null && addressed.endsWith(defaultPort)) {
            addressed = addressed.substring(0, addressed.length() - defaultPort.length());
        }
        return authority.equals(addressed);
    }

    private boolean trustedOrigin(Request request) {
        List<String> fields = request.headers().all("origin");
        if (fields.size() != 1 || trusted.isEmpty() && patterns.isEmpty()) {
            return false;
        }
        String normalized = Origins.normalize(fields.getFirst());
        if (normalized == null) {
            return false;
        }
        if (trusted.contains(normalized)) {
            return true;
        }
        for (Origins.Pattern pattern : patterns) {
            if (pattern.matches(normalized)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the router dispatches {@code request} to an exempt route (asked only on the way to a refusal). */
    private boolean exemptRoute(Request request) {
        if (exemptions.isEmpty()) {
            return false;
        }
        ServerRequest server = (ServerRequest) request; // Request is sealed
        // After routing (routeLayer, Handler.layer) the route is known; before it (layer), ask the router.
        String pattern = request.matchedPath().orElseGet(() -> server.routeLookup().route(request.method(),
                request.path()));
        return pattern != null && exemptions.contains(request.method().name() + " " + pattern);
    }

    private boolean validToken(Request request) throws Exception {
        Optional<byte[]> expected = request.extension(CsrfTokenVault.class).flatMap(CsrfTokenVault::csrfToken);
        if (expected.isEmpty()) {
            return false; // no session, or one that was never given a token: nothing can match
        }
        String sent = request.header(tokenHeader).orElse(null);
        if (sent == null) {
            sent = formField(request);
        }
        return sent != null && matches(sent, expected.get());
    }

    /** The token field of an urlencoded body, which is then put back for the handler; null if none. */
    private String formField(Request request) {
        String type = request.header("content-type").orElse("").toLowerCase(Locale.ROOT);
        if (!type.startsWith("application/x-www-form-urlencoded")) {
            return null;
        }
        ServerRequest server = (ServerRequest) request;
        byte[] body = server.rawBody().bytes(); // under the body limit; past it, 413
        server.replaceBody(new BytesBody(body, OptionalLong.of(body.length)));
        try {
            return QueryParams.parse(new String(body, StandardCharsets.UTF_8)).first(tokenField);
        } catch (RuntimeException e) {
            return null; // a form that does not decode carries no token
        }
    }

    /** Whether {@code sent} is {@code raw} masked: base64url of {@code mask || (mask XOR raw)}. */
    static boolean matches(String sent, byte[] raw) {
        byte[] decoded;
        try {
            decoded = DECODER.decode(sent);
        } catch (IllegalArgumentException e) {
            return false;
        }
        // Only the canonical spelling: base64 lets the last character's unused bits vary.
        if (decoded.length != 2 * TOKEN_BYTES || !ENCODER.encodeToString(decoded).equals(sent)) {
            return false; // the raw token itself, or anything else: only masked copies are accepted
        }
        byte[] unmasked = new byte[TOKEN_BYTES];
        for (int i = 0; i < TOKEN_BYTES; i++) {
            unmasked[i] = (byte) (decoded[i] ^ decoded[TOKEN_BYTES + i]);
        }
        return MessageDigest.isEqual(unmasked, raw);
    }

    /** A fresh masked copy of {@code raw}. */
    static String mask(byte[] raw) {
        byte[] out = new byte[2 * TOKEN_BYTES];
        RANDOM.nextBytes(out); // the first half is the mask
        for (int i = 0; i < TOKEN_BYTES; i++) {
            out[TOKEN_BYTES + i] = (byte) (out[i] ^ raw[i]);
        }
        return ENCODER.encodeToString(out);
    }

    /** A new raw token: {@value #TOKEN_BYTES} bytes from {@link SecureRandom}. */
    public static byte[] newRawToken() {
        byte[] token = new byte[TOKEN_BYTES];
        RANDOM.nextBytes(token);
        return token;
    }

    /**
     * The session's CSRF token, masked afresh for this response, with where to send it back. Creates
     * the token (and so the session) on first use. Needs a {@code Sessions} layer around the route:
     * without one the router's {@code build()} fails, naming the route (called by hand where no
     * build can check it, the request fails with 500 and an ERROR log line naming the layer).
     */
    public Extractor<CsrfToken> token() {
        return new Extractor<>() {
            @Override
            public CsrfToken extract(Request request) {
                CsrfTokenVault vault = request.extension(CsrfTokenVault.class).orElseThrow(() -> new IllegalStateException(
                        "CrossOriginProtection.token() needs a Sessions layer around " + request.method() + " "
                                + request.matchedPath().orElse(request.path())));
                return new CsrfToken(mask(vault.csrfTokenOrCreate()), tokenHeader, tokenField);
            }

            @Override
            public void verify(RouteShape route) {
                LayerChecks.csrfToken(route);
            }
        };
    }

    /**
     * The build check: every exemption must name a route this layer wraps, and in token mode a
     * session layer ({@code Sessions}, which may hold this layer) must be outside it.
     */
    @Override
    public Check startCheck() {
        return new Check() {
            private final Set<String> wrapped = new LinkedHashSet<>();
            private final List<String> unsessioned = new ArrayList<>();

            @Override
            public void route(String method, String pattern, List<Middleware> stack) {
                wrapped.add(method + " " + pattern);
                if (tokens && !hasSessionsBefore(stack)) {
                    unsessioned.add(method + " " + pattern);
                }
            }

            private boolean hasSessionsBefore(List<Middleware> stack) {
                for (Middleware layer : stack) {
                    if (layer == CrossOriginProtection.this) {
                        return false;
                    }
                    if (layer instanceof CsrfTokenVault.Provider) {
                        return true;
                    }
                }
                return false;
            }

            @Override
            public List<String> problems() {
                List<String> problems = new ArrayList<>();
                for (String exemption : exemptions) {
                    if (!wrapped.contains(exemption)) {
                        problems.add(name() + " exempts " + exemption + ", but it wraps no such route; name a route"
                                + " exactly as declared (method and full pattern, as the route table shows it)");
                    }
                }
                if (!unsessioned.isEmpty()) {
                    problems.add(name() + " requires tokens, but no Sessions layer is outside it on "
                            + String.join(", ", unsessioned.subList(0, Math.min(3, unsessioned.size())))
                            + (unsessioned.size() > 3 ? " and " + (unsessioned.size() - 3) + " more" : "")
                            + "; give it to Sessions.Builder.crossOriginProtection(..) instead");
                }
                return problems;
            }
        };
    }

    /** Configures a {@link CrossOriginProtection}; {@link #build()} reports every problem at once. Not thread-safe. */
    public static final class Builder {
        private final List<String> trusted = new ArrayList<>();
        private final List<String> patterns = new ArrayList<>();
        private final List<String> exemptions = new ArrayList<>();
        private final List<String> problems = new ArrayList<>();
        private boolean tokens;
        private String tokenHeader = "x-csrf-token";
        private String tokenField = "_csrf";

        private Builder() {}

        /** Origins ({@code scheme://host[:port]}) whose cross-origin requests are allowed. */
        public Builder trustedOrigins(String... origins) {
            for (String origin : origins) {
                trusted.add(java.util.Objects.requireNonNull(origin, "origin"));
            }
            return this;
        }

        /** Origin patterns with one wildcard label, e.g. {@code https://*.example.com}. */
        public Builder trustedOriginPatterns(String... patterns) {
            for (String pattern : patterns) {
                this.patterns.add(java.util.Objects.requireNonNull(pattern, "pattern"));
            }
            return this;
        }

        /**
         * Never refuses requests the router dispatches to the route {@code method pattern}, e.g.
         * {@code exempt(Method.POST, "/hooks/{provider}")}: the full pattern as the route table
         * shows it. The route must be one this layer wraps, or the router's build fails.
         */
        public Builder exempt(Method method, String pattern) {
            java.util.Objects.requireNonNull(method, "method");
            java.util.Objects.requireNonNull(pattern, "pattern");
            if (method.equals(Method.GET) || method.equals(Method.HEAD) || method.equals(Method.OPTIONS)) {
                problems.add("exempt(" + method + ", " + pattern + "): " + method + " requests are always allowed;"
                        + " exempt only methods that change state");
            } else if (!pattern.startsWith("/")) {
                problems.add("exempt(" + method + ", " + pattern + "): a route pattern starts with /");
            } else if (exemptions.contains(method + " " + pattern)) {
                problems.add("exempt(" + method + ", " + pattern + ") is given twice");
            } else {
                exemptions.add(method + " " + pattern);
            }
            return this;
        }

        /** Also requires the session's masked token from requests without {@code Sec-Fetch-Site}. */
        public Builder maskedTokens() {
            this.tokens = true;
            return this;
        }

        /** The header carrying the masked token; {@code x-csrf-token} by default. */
        public Builder tokenHeader(String name) {
            this.tokenHeader = java.util.Objects.requireNonNull(name, "name");
            return this;
        }

        /** The urlencoded form field carrying the masked token; {@code _csrf} by default. */
        public Builder tokenField(String name) {
            this.tokenField = java.util.Objects.requireNonNull(name, "name");
            return this;
        }

        /**
         * The layer.
         *
         * @throws WeftException listing every problem: an invalid trusted origin or pattern, a
         *     safe-method or duplicate exemption, an invalid token header or field name
         */
        public CrossOriginProtection build() {
            List<String> all = new ArrayList<>(problems);
            for (String origin : trusted) {
                String problem = Origins.problem(origin);
                if (problem != null) {
                    all.add("trusted origin " + problem);
                }
            }
            for (String pattern : patterns) {
                String problem = Origins.Pattern.problem(pattern);
                if (problem != null) {
                    all.add("trusted origin pattern " + problem);
                }
            }
            if (tokenHeader.isEmpty() || !HeaderSyntax.isToken(tokenHeader)) {
                all.add("tokenHeader '" + tokenHeader + "' is not a header name");
            }
            if (tokenField.isEmpty()) {
                all.add("tokenField must not be empty");
            }
            if (!all.isEmpty()) {
                throw new WeftException("invalid CrossOriginProtection:\n  " + String.join("\n  ", all));
            }
            return new CrossOriginProtection(this);
        }
    }
}
