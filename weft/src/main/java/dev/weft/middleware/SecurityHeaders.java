package dev.weft.middleware;

import dev.weft.WeftException;
import dev.weft.http.Headers;
import dev.weft.http.Request;
import dev.weft.response.Response;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Adds the response headers that tell browsers to lock a page or an API response down: no MIME
 * sniffing, a referrer policy, HSTS, a content security policy, cross-origin isolation. Two
 * presets, {@link #api()} and {@link #html()}, each changed with {@link #toBuilder()}. A header is
 * added only if the answer does not have one of that name already, so a handler overrides any of
 * them by setting its own.
 *
 * {@snippet class=dev.weft.middleware.SecurityHeadersExamples region=presets}
 *
 * <table class="striped">
 * <caption>Headers sent by the presets</caption>
 * <thead><tr><th>header</th><th>{@code api()}</th><th>{@code html()}</th></tr></thead>
 * <tbody>
 * <tr><td>{@code x-content-type-options}</td><td>{@code nosniff}</td><td>{@code nosniff}</td></tr>
 * <tr><td>{@code referrer-policy}</td><td>{@code strict-origin-when-cross-origin}</td><td>same</td></tr>
 * <tr><td>{@code strict-transport-security} (HTTPS requests only)</td><td>{@code max-age=31536000; includeSubDomains}</td><td>same</td></tr>
 * <tr><td>{@code x-xss-protection}</td><td>{@code 0} (the old filter could be abused; OWASP)</td><td>{@code 0}</td></tr>
 * <tr><td>{@code content-security-policy}</td><td>{@code default-src 'none'; frame-ancestors 'none'}</td><td>{@link #HTML_POLICY}, with a fresh nonce per request</td></tr>
 * <tr><td>{@code cross-origin-resource-policy}</td><td>{@code same-origin}</td><td>-</td></tr>
 * <tr><td>{@code cross-origin-opener-policy}</td><td>-</td><td>{@code same-origin}</td></tr>
 * <tr><td>{@code x-frame-options}</td><td>-</td><td>{@code DENY}</td></tr>
 * </tbody>
 * </table>
 *
 * <p>HSTS is sent only when the client used {@code https} ({@link Request#client()}: over TLS, or
 * through one of the server's trusted proxies that says so); browsers ignore it over plain HTTP,
 * and a proxy's {@code x-forwarded-proto} counts only when that proxy is trusted. The
 * {@code cross-origin-resource-policy: same-origin} of {@code api()} only affects
 * {@code no-cors} loads ({@code <img>}, {@code <script>}); CORS fetches from other origins are not
 * blocked by it. Every value is checked at {@link Builder#build()}: no CR, LF or control
 * characters, known keywords, a policy made of known CSP directives.
 *
 * <p>Runs on the request's thread; one instance serves every request.
 */
public final class SecurityHeaders implements Middleware {
    /**
     * The content security policy of {@link #html()}, after OWASP's: scripts and styles from this
     * origin or carrying the request's {@link CspNonce}, no plugins, no {@code <base>} or form
     * target elsewhere, no framing. {@code {nonce}} is replaced by a fresh nonce per request.
     */
    public static final String HTML_POLICY = "default-src 'self'; script-src 'self' 'nonce-{nonce}';"
            + " style-src 'self' 'nonce-{nonce}'; object-src 'none'; base-uri 'self'; form-action 'self';"
            + " frame-ancestors 'none'";
    private static final String API_POLICY = "default-src 'none'; frame-ancestors 'none'";
    private static final String CSP = "content-security-policy";
    private static final String HSTS = "strict-transport-security";
    private static final String NONCE = "{nonce}";
    private static final SecureRandom RANDOM = new SecureRandom();

    private static final SecurityHeaders API = base()
            .contentSecurityPolicy(API_POLICY)
            .crossOriginResourcePolicy("same-origin")
            .build();
    private static final SecurityHeaders HTML = base()
            .contentSecurityPolicy(HTML_POLICY)
            .crossOriginOpenerPolicy("same-origin")
            .frameOptions("DENY")
            .build();

    /** Header name to value, in sending order; HSTS among them, sent on HTTPS only. */
    private final Map<String, String> headers;
    private final Builder source;
    private final boolean nonce;
    /** The policy split around {@code {nonce}}, when it has one. */
    private final String[] policyParts;

    private SecurityHeaders(Builder b) {
        this.source = b.copy();
        this.headers = Collections.unmodifiableMap(new LinkedHashMap<>(b.headers));
        String policy = b.headers.get(CSP);
        this.nonce = policy != null && policy.contains(NONCE);
        this.policyParts = nonce ? policy.split("\\{nonce}", -1) : null;
    }

    /** For JSON APIs: nothing in an answer may run, load or be framed. */
    public static SecurityHeaders api() {
        return API;
    }

    /** For server-rendered pages: same-origin resources and nonce-carrying inline code only. */
    public static SecurityHeaders html() {
        return HTML;
    }

    /**
     * Whether this layer makes a {@link CspNonce} for every request (its policy has
     * {@code 'nonce-{nonce}'}); {@code Extract.extension(CspNonce.class)} needs such a layer.
     */
    public boolean makesNonce() {
        return nonce;
    }

    /** A builder holding this layer's settings, to change some of them. */
    public Builder toBuilder() {
        return source.copy();
    }

    @Override
    public String name() {
        return "SecurityHeaders";
    }

    @Override
    public Kind kind() {
        return Kind.SECURITY_HEADERS;
    }

    @Override
    public Response handle(Request request, Next next) throws Exception {
        CspNonce made = null;
        if (nonce) {
            byte[] bytes = new byte[16];
            RANDOM.nextBytes(bytes);
            made = new CspNonce(Base64.getEncoder().withoutPadding().encodeToString(bytes));
            request.putExtension(CspNonce.class, made);
        }
        Response response = next.run(request);
        Headers own = response.headers();
        boolean https = request.client().secure();
        Headers.Builder out = null;
        for (Map.Entry<String, String> header : headers.entrySet()) {
            String name = header.getKey();
            if (own.contains(name) || name.equals(HSTS) && !https) {
                continue;
            }
            if (out == null) {
                out = Headers.builder().addAll(own);
            }
            out.add(name, name.equals(CSP) && made != null ? String.join(made.value(), policyParts) : header.getValue());
        }
        return out == null ? response : Response.of(response.status(), out.build(), response.body());
    }

    /** What both presets share. */
    private static Builder base() {
        return new Builder()
                .header("x-content-type-options", "nosniff")
                .referrerPolicy("strict-origin-when-cross-origin")
                .hsts(Duration.ofDays(365))
                .header("x-xss-protection", "0");
    }

    /**
     * Changes a preset's headers; {@link #build()} checks them all at once. Not thread-safe.
     *
     * <table class="striped">
     * <caption>Options</caption>
     * <thead><tr><th>option</th><th>values</th></tr></thead>
     * <tbody>
     * <tr><td>{@code referrerPolicy}</td><td>{@code no-referrer}, {@code strict-origin-when-cross-origin}, {@code same-origin}, … (the W3C list)</td></tr>
     * <tr><td>{@code hsts}</td><td>max-age in whole seconds, 0 .. 2 years; {@code includeSubDomains} on; {@code preload} off (needs ≥ 1 year and subdomains)</td></tr>
     * <tr><td>{@code contentSecurityPolicy}</td><td>known CSP directives; {@code 'nonce-{nonce}'} for the per-request nonce</td></tr>
     * <tr><td>{@code crossOriginResourcePolicy}</td><td>{@code same-origin}, {@code same-site}, {@code cross-origin}</td></tr>
     * <tr><td>{@code crossOriginOpenerPolicy}</td><td>{@code same-origin}, {@code same-origin-allow-popups}, {@code noopener-allow-popups}, {@code unsafe-none}</td></tr>
     * <tr><td>{@code frameOptions}</td><td>{@code DENY}, {@code SAMEORIGIN}</td></tr>
     * <tr><td>{@code header}</td><td>any other header, sent if absent</td></tr>
     * <tr><td>{@code omit}</td><td>drops one of the preset's headers</td></tr>
     * </tbody>
     * </table>
     */
    public static final class Builder {
        private static final Set<String> REFERRER = Set.of("no-referrer", "no-referrer-when-downgrade", "origin",
                "origin-when-cross-origin", "same-origin", "strict-origin", "strict-origin-when-cross-origin",
                "unsafe-url");
        private static final Set<String> DIRECTIVES = Set.of("default-src", "script-src", "script-src-elem",
                "script-src-attr", "style-src", "style-src-elem", "style-src-attr", "img-src", "font-src",
                "connect-src", "media-src", "object-src", "frame-src", "child-src", "worker-src", "manifest-src",
                "fenced-frame-src", "base-uri", "sandbox", "form-action", "frame-ancestors", "report-uri",
                "report-to", "upgrade-insecure-requests", "block-all-mixed-content", "require-trusted-types-for",
                "trusted-types", "webrtc");
        private static final long TWO_YEARS = Duration.ofDays(730).toSeconds();

        private final Map<String, String> headers = new LinkedHashMap<>();
        private final List<String> problems = new ArrayList<>();
        private Duration hstsMaxAge;
        private boolean hstsSubdomains = true;
        private boolean hstsPreload;

        private Builder() {}

        private Builder copy() {
            Builder copy = new Builder();
            copy.headers.putAll(headers);
            copy.problems.addAll(problems);
            copy.hstsMaxAge = hstsMaxAge;
            copy.hstsSubdomains = hstsSubdomains;
            copy.hstsPreload = hstsPreload;
            return copy;
        }

        /** {@code referrer-policy}: {@code no-referrer} sends none at all. */
        public Builder referrerPolicy(String value) {
            return keyword("referrer-policy", value, REFERRER);
        }

        /**
         * {@code strict-transport-security} with this max-age (sent on HTTPS requests only); zero
         * tells browsers to forget an earlier one.
         */
        public Builder hsts(Duration maxAge) {
            this.hstsMaxAge = Objects.requireNonNull(maxAge, "maxAge");
            headers.put(HSTS, ""); // keeps its place; the value is made at build()
            return this;
        }

        /** Whether HSTS covers subdomains ({@code includeSubDomains}); on by default. */
        public Builder hstsIncludeSubDomains(boolean value) {
            this.hstsSubdomains = value;
            return this;
        }

        /** Adds {@code preload} (for the browsers' preload list): needs max-age ≥ 1 year and subdomains. */
        public Builder hstsPreload(boolean value) {
            this.hstsPreload = value;
            return this;
        }

        /**
         * {@code content-security-policy}: directives separated by {@code ;}. Write
         * {@code 'nonce-{nonce}'} where the per-request {@link CspNonce} goes.
         */
        public Builder contentSecurityPolicy(String policy) {
            Objects.requireNonNull(policy, "policy");
            String problem = policyProblem(policy);
            if (problem != null) {
                problems.add("contentSecurityPolicy: " + problem);
            }
            headers.put(CSP, policy.strip());
            return this;
        }

        /** {@code cross-origin-resource-policy}. */
        public Builder crossOriginResourcePolicy(String value) {
            return keyword("cross-origin-resource-policy", value, Set.of("same-origin", "same-site", "cross-origin"));
        }

        /** {@code cross-origin-opener-policy}. */
        public Builder crossOriginOpenerPolicy(String value) {
            return keyword("cross-origin-opener-policy", value,
                    Set.of("same-origin", "same-origin-allow-popups", "noopener-allow-popups", "unsafe-none"));
        }

        /** {@code x-frame-options}: {@code DENY} or {@code SAMEORIGIN} (CSP's {@code frame-ancestors} supersedes it). */
        public Builder frameOptions(String value) {
            Objects.requireNonNull(value, "value");
            String upper = value.toUpperCase(Locale.ROOT);
            if (!upper.equals("DENY") && !upper.equals("SAMEORIGIN")) {
                problems.add("frameOptions must be DENY or SAMEORIGIN, got '" + printable(value) + "'");
            }
            headers.put("x-frame-options", upper);
            return this;
        }

        /** Any other header, sent when the answer lacks it; replaces a preset's value of that name. */
        public Builder header(String name, String value) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
            String lower = name.toLowerCase(Locale.ROOT);
            if (!HeaderSyntax.isToken(lower)) {
                problems.add("header: '" + printable(name) + "' is not a header name");
            } else if (!HeaderSyntax.isSafeValue(value) || value.isBlank()) {
                problems.add("header " + lower + ": the value must be non-blank visible ASCII (no CR, LF or control"
                        + " characters)");
            } else if (lower.equals(CSP) || lower.equals(HSTS)) {
                problems.add("header " + lower + ": use " + (lower.equals(CSP) ? "contentSecurityPolicy" : "hsts")
                        + "(..), which checks the value");
            }
            headers.put(lower, value.strip());
            return this;
        }

        /** Drops one of the preset's headers (for example {@code x-frame-options}, or HSTS for a plain-HTTP-only service). */
        public Builder omit(String name) {
            String lower = Objects.requireNonNull(name, "name").toLowerCase(Locale.ROOT);
            if (headers.remove(lower) == null) {
                problems.add("omit: '" + printable(name) + "' is not one of the headers this layer sends");
            }
            if (lower.equals(HSTS)) {
                hstsMaxAge = null;
            }
            return this;
        }

        /**
         * Checks the settings and builds the layer.
         *
         * @throws WeftException listing every problem, one per line
         */
        public SecurityHeaders build() {
            List<String> all = new ArrayList<>(problems);
            if (hstsMaxAge != null) {
                long seconds = hstsMaxAge.toSeconds();
                if (hstsMaxAge.isNegative() || hstsMaxAge.toNanosPart() != 0 || seconds > TWO_YEARS) {
                    all.add("hsts max-age must be whole seconds from 0 to 2 years, got " + hstsMaxAge);
                }
                if (hstsPreload && (seconds < Duration.ofDays(365).toSeconds() || !hstsSubdomains)) {
                    all.add("hstsPreload(true) needs a max-age of at least 1 year and includeSubDomains"
                            + " (the preload list refuses anything less)");
                }
                headers.put(HSTS, "max-age=" + seconds + (hstsSubdomains ? "; includeSubDomains" : "")
                        + (hstsPreload ? "; preload" : ""));
            } else if (hstsPreload) {
                all.add("hstsPreload(true) needs hsts(..)");
            }
            if (!all.isEmpty()) {
                throw new WeftException("invalid SecurityHeaders options:\n  - " + String.join("\n  - ", all));
            }
            return new SecurityHeaders(this);
        }

        private Builder keyword(String name, String value, Set<String> allowed) {
            Objects.requireNonNull(value, "value");
            String lower = value.strip().toLowerCase(Locale.ROOT);
            if (!allowed.contains(lower)) {
                problems.add(name + " must be one of " + new TreeSet<>(allowed) + ", got '"
                        + printable(value) + "'");
            }
            headers.put(name, lower);
            return this;
        }

        /** Why {@code policy} is not a sane CSP, or null. */
        private static String policyProblem(String policy) {
            if (!HeaderSyntax.isSafeValue(policy)) {
                return "holds CR, LF, a control or a non-ASCII character";
            }
            if (policy.indexOf(',') >= 0) {
                return "holds ',', which would make it two policies; one policy, directives separated by ';'";
            }
            Set<String> seen = new HashSet<>();
            int directives = 0;
            for (String part : policy.split(";")) {
                String directive = part.strip();
                if (directive.isEmpty()) {
                    continue;
                }
                directives++;
                String[] words = directive.split("[ \t]+");
                String name = words[0].toLowerCase(Locale.ROOT);
                if (!DIRECTIVES.contains(name)) {
                    return "'" + words[0] + "' is not a CSP directive";
                }
                if (!seen.add(name)) {
                    return "directive " + name + " appears twice (browsers ignore the second)";
                }
                for (int i = 1; i < words.length; i++) {
                    String word = words[i];
                    if (word.startsWith("'") != word.endsWith("'") || word.equals("'")) {
                        return "'" + word + "' in " + name + " is not a quoted keyword";
                    }
                    if (word.regionMatches(true, 0, "'nonce-", 0, 7) && !word.equals("'nonce-{nonce}'")) {
                        return "a fixed nonce in " + name + " defeats its purpose: write 'nonce-{nonce}'";
                    }
                    if (word.contains(NONCE) && !word.equals("'nonce-{nonce}'")) {
                        return "{nonce} may only appear as 'nonce-{nonce}'";
                    }
                }
            }
            return directives == 0 ? "the policy is empty (use omit(\"content-security-policy\") to send none)" : null;
        }

        private static String printable(String value) {
            return HeaderSyntax.isSafeValue(value) ? value : "(has control characters)";
        }
    }
}
