package dev.weft.middleware;

import dev.weft.WeftException;
import dev.weft.http.Headers;
import dev.weft.http.Method;
import dev.weft.http.Request;
import dev.weft.internal.http.ServerRequest;
import dev.weft.response.Problem;
import dev.weft.response.Response;
import dev.weft.response.ResponseBody;
import dev.weft.response.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cross-origin resource sharing (the Fetch standard's CORS protocol): answers preflights and adds
 * {@code access-control-*} headers to the answers of allowed origins. Install it with
 * {@code layer(..)} on the outermost router, outside authentication, rate limits and CSRF checks
 * ({@link Kind#CORS}), so that 401, 404, 405, 413, 429 and 5xx answers carry CORS headers too and
 * the page can read them.
 *
 * {@snippet class=dev.weft.middleware.CorsExamples region=cors}
 *
 * <p><b>Preflight</b> is exactly {@code OPTIONS} with {@code Origin} and
 * {@code Access-Control-Request-Method}: it is answered here, 204 without a body, and the router is
 * not called. Every other request, including an {@code OPTIONS} without those headers, goes to the
 * router, and its answer gets the CORS headers.
 *
 * <p><b>Refusals.</b> A preflight from an origin that is not allowed, for a method or a header
 * that is not allowed, answers 403 {@code application/problem+json} naming what was refused, with
 * no {@code access-control-*} header. An actual request from an origin that is not allowed is
 * served, without CORS headers: the browser then keeps the answer from the page (stopping the
 * request itself is the job of a CSRF layer, which CORS is not).
 *
 * <p><b>Allowed methods</b> default to the methods the router really has at the request's path
 * (its {@code Allow} set: GET implies HEAD, OPTIONS is always there); a preflight for a path no
 * route matches is refused 403 unless {@link Builder#allowMethods} or {@link Builder#allowAnyMethod}
 * is set (set one of them if a fallback serves cross-origin requests). Methods are compared
 * case-sensitively, as the router and browsers do.
 *
 * <p><b>Headers it owns.</b> Every {@code access-control-*} header of the inner answer is removed
 * and replaced by this layer's, so they are never sent twice or contradicting. {@code Vary} is
 * appended to, never overwritten: {@code origin} when the answer depends on it (every origin
 * setting except {@link Builder#allowAnyOrigin()}), and on preflights
 * {@code access-control-request-method} / {@code -headers} / {@code -private-network} when they
 * were checked.
 *
 * <table class="striped">
 * <caption>Options and defaults</caption>
 * <thead><tr><th>option</th><th>default</th><th>meaning</th></tr></thead>
 * <tbody>
 * <tr><td>{@code allowOrigins}</td><td>none</td><td>exact origins, {@code scheme://host[:port]}; compared lower-cased, default port dropped</td></tr>
 * <tr><td>{@code allowOriginPatterns}</td><td>none</td><td>{@code https://*.example.com}: one label in place of {@code *}</td></tr>
 * <tr><td>{@code allowOriginIf}</td><td>none</td><td>a predicate on (origin, request)</td></tr>
 * <tr><td>{@code allowAnyOrigin}</td><td>off</td><td>{@code access-control-allow-origin: *} (no credentials)</td></tr>
 * <tr><td>{@code mirrorAnyOriginWithCredentials}</td><td>off</td><td>every origin, echoed, with credentials: any site can act as the user</td></tr>
 * <tr><td>{@code allowCredentials}</td><td>false</td><td>{@code access-control-allow-credentials: true}; no wildcard allowed with it</td></tr>
 * <tr><td>{@code allowMethods} / {@code allowAnyMethod}</td><td>the route's methods</td><td>what a preflight may ask for</td></tr>
 * <tr><td>{@code allowHeaders} / {@code allowAnyHeader} / {@code mirrorRequestHeaders}</td><td>none</td><td>request headers a preflight may ask for (case-insensitive)</td></tr>
 * <tr><td>{@code exposeHeaders} / {@code exposeAnyHeader}</td><td>{@code x-request-id, retry-after, ratelimit, ratelimit-policy}</td><td>response headers the page may read (Weft's own are always in)</td></tr>
 * <tr><td>{@code maxAge}</td><td>7200 s</td><td>how long a browser may cache a preflight (Chromium caps at 7200 s, Firefox at 86400 s)</td></tr>
 * <tr><td>{@code allowPrivateNetwork}</td><td>false</td><td>answer {@code access-control-request-private-network: true}</td></tr>
 * </tbody>
 * </table>
 *
 * <p>Origin {@code null} (sandboxed frames, {@code data:} and {@code file:} documents) is allowed
 * only by {@code allowAnyOrigin()}, never by a list, pattern, predicate or mirror: anyone can make
 * a page whose origin is {@code null}. Several {@code Origin} fields, or one that is not a
 * serialized origin, are not allowed. Runs on the request's thread; one instance serves every
 * request and holds no per-request state.
 */
public final class Cors implements Middleware {
    private static final Logger LOG = LoggerFactory.getLogger(Cors.class);
    /** Response headers Weft's own layers send, which a page can only read when they are exposed. */
    private static final List<String> WEFT_HEADERS = List.of("x-request-id", "retry-after", "ratelimit",
            "ratelimit-policy");
    private static final String ACRM = "access-control-request-method";
    private static final String ACRH = "access-control-request-headers";
    private static final String ACRPN = "access-control-request-private-network";

    private final Set<String> origins;
    private final List<Origins.Pattern> patterns;
    private final BiPredicate<String, Request> predicate;
    private final boolean anyOrigin;
    private final boolean mirrorAny;
    private final boolean credentials;
    private final List<String> methods;
    private final String methodsValue;
    private final boolean anyMethod;
    private final Set<String> headers;
    private final String headersValue;
    private final boolean anyHeader;
    private final boolean mirrorHeaders;
    private final String exposeValue;
    private final String maxAge;
    private final boolean privateNetwork;
    /** Vary of every answer: {@code origin} unless the answer is the same for every origin. */
    private final List<String> vary;
    /** Vary of a preflight's answer. */
    private final List<String> preflightVary;

    private Cors(Builder b) {
        Set<String> exact = new LinkedHashSet<>();
        b.origins.forEach(o -> exact.add(Origins.normalize(o)));
        this.origins = Set.copyOf(exact);
        this.patterns = b.patterns.stream().map(Origins.Pattern::of).toList();
        this.predicate = b.predicate;
        this.anyOrigin = b.anyOrigin;
        this.mirrorAny = b.mirrorAny;
        this.credentials = b.credentials || b.mirrorAny;
        this.methods = List.copyOf(b.methods);
        this.methodsValue = String.join(", ", b.methods);
        this.anyMethod = b.anyMethod;
        this.headers = Set.copyOf(b.headers);
        this.headersValue = String.join(", ", b.headers);
        this.anyHeader = b.anyHeader;
        this.mirrorHeaders = b.mirrorHeaders;
        Set<String> expose = new LinkedHashSet<>(WEFT_HEADERS);
        expose.addAll(b.expose);
        this.exposeValue = b.exposeAny ? "*" : String.join(", ", expose);
        this.maxAge = Long.toString(b.maxAge.toSeconds());
        this.privateNetwork = b.privateNetwork;
        this.vary = anyOrigin ? List.of() : List.of("origin");
        List<String> pre = new ArrayList<>(vary);
        if (!anyMethod) {
            pre.add(ACRM);
        }
        if (!anyHeader) {
            pre.add(ACRH);
        }
        if (privateNetwork) {
            pre.add(ACRPN);
        }
        this.preflightVary = List.copyOf(pre);
    }

    /** Allows exactly {@code origins}, with the other defaults: {@code Cors.allowOrigins("https://app.example")}. */
    public static Cors allowOrigins(String... origins) {
        return builder().allowOrigins(origins).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String name() {
        return "Cors";
    }

    @Override
    public Kind kind() {
        return Kind.CORS;
    }

    @Override
    public Response handle(Request request, Next next) throws Exception {
        List<String> origin = request.headers().all("origin");
        if (request.method().equals(Method.OPTIONS) && !origin.isEmpty() && request.headers().contains(ACRM)) {
            return preflight(request, origin);
        }
        String allowed = allowedOrigin(origin, request);
        return decorate(next.run(request), allowed);
    }

    /**
     * The {@code access-control-allow-origin} value for a request with these {@code Origin}
     * fields, or null if its origin is not allowed (or it has none, or several).
     */
    private String allowedOrigin(List<String> fields, Request request) {
        if (anyOrigin) {
            return "*"; // the same answer with or without Origin: nothing for a cache to tell apart
        }
        if (fields.size() != 1) {
            return null;
        }
        String origin = fields.getFirst();
        String normalized = Origins.normalize(origin);
        if (normalized == null) {
            return null;
        }
        if (mirrorAny || origins.contains(normalized)) {
            return origin;
        }
        for (Origins.Pattern pattern : patterns) {
            if (pattern.matches(normalized)) {
                return origin;
            }
        }
        return predicate != null && predicate.test(origin, request) ? origin : null;
    }

    private Response preflight(Request request, List<String> originFields) {
        String origin = allowedOrigin(originFields, request);
        if (origin == null) {
            LOG.debug("CORS preflight refused: origin {} is not allowed", originFields);
            return refuse("origin is not allowed to make cross-origin requests here");
        }
        String method = request.headers().first(ACRM).orElseThrow().strip();
        String allowMethods;
        if (anyMethod) {
            allowMethods = "*";
        } else if (!methods.isEmpty()) {
            allowMethods = methods.contains(method) ? methodsValue : null;
        } else {
            String allow = ((ServerRequest) request).routeLookup().allow(request.path());
            allowMethods = allow != null && listed(allow, method) ? allow : null;
        }
        if (allowMethods == null || request.headers().all(ACRM).size() != 1) {
            LOG.debug("CORS preflight refused: method {} is not allowed at {}", method, request.path());
            return refuse("method " + shorten(method) + " is not allowed for cross-origin requests to this path");
        }
        List<String> requested = HeaderSyntax.lowerCaseElements(request.headers(), ACRH);
        String allowHeaders = anyHeader ? "*" : mirrorHeaders ? String.join(", ", requested) : headersValue;
        if (!anyHeader) {
            for (String header : requested) {
                if (!HeaderSyntax.isToken(header) || !mirrorHeaders && !headers.contains(header)) {
                    LOG.debug("CORS preflight refused: header {} is not allowed", header);
                    return refuse("request header " + shorten(header) + " is not allowed for cross-origin requests");
                }
            }
        }
        Headers.Builder answer = Headers.builder()
                .add("access-control-allow-origin", origin)
                .add("access-control-allow-methods", allowMethods);
        if (!allowHeaders.isEmpty()) {
            answer.add("access-control-allow-headers", allowHeaders);
        }
        if (credentials) {
            answer.add("access-control-allow-credentials", "true");
        }
        answer.add("access-control-max-age", maxAge);
        if (privateNetwork && request.headers().first(ACRPN).map(v -> v.strip().equalsIgnoreCase("true"))
                .orElse(false)) {
            answer.add("access-control-allow-private-network", "true");
        }
        // 204 carries no content-length (RFC 9110 §8.6 forbids it there); Fetch needs only an ok status.
        return HeaderSyntax.appendVary(Response.of(Status.NO_CONTENT, answer.build(), ResponseBody.EMPTY),
                preflightVary);
    }

    private Response refuse(String detail) {
        return HeaderSyntax.appendVary(Problem.of(Status.FORBIDDEN, "CORS preflight refused: " + detail).toResponse(),
                preflightVary);
    }

    /** The inner answer with this layer's CORS headers in place of any it had. */
    private Response decorate(Response response, String origin) {
        Headers own = response.headers();
        boolean foreign = false;
        for (String name : own.names()) {
            if (name.startsWith("access-control-")) {
                foreign = true;
                break;
            }
        }
        if (origin == null && !foreign) {
            return HeaderSyntax.appendVary(response, vary);
        }
        Headers.Builder headers = Headers.builder();
        own.forEach((name, value) -> {
            if (!name.regionMatches(true, 0, "access-control-", 0, 15)) {
                headers.add(name, value);
            }
        });
        if (origin != null) {
            headers.add("access-control-allow-origin", origin);
            if (credentials) {
                headers.add("access-control-allow-credentials", "true");
            }
            headers.add("access-control-expose-headers", exposeValue);
        }
        return HeaderSyntax.appendVary(Response.of(response.status(), headers.build(), response.body()), vary);
    }

    /** Whether comma-separated {@code list} holds {@code token}, compared case-sensitively. */
    private static boolean listed(String list, String token) {
        for (String element : list.split(",")) {
            if (element.strip().equals(token)) {
                return true;
            }
        }
        return false;
    }

    /** A client value quoted in a problem detail, cut short so an answer never echoes a large header. */
    private static String shorten(String value) {
        String printable = value.chars().allMatch(c -> c >= 0x20 && c < 0x7f) ? value : "(not printable)";
        return "'" + (printable.length() > 64 ? printable.substring(0, 64) + "…" : printable) + "'";
    }

    /**
     * Configures a {@link Cors}; {@link #build()} checks everything at once. Calling a list
     * option again adds to it. Not thread-safe.
     */
    public static final class Builder {
        private final List<String> origins = new ArrayList<>();
        private final List<String> patterns = new ArrayList<>();
        private BiPredicate<String, Request> predicate;
        private boolean anyOrigin;
        private boolean mirrorAny;
        private boolean credentials;
        private final List<String> methods = new ArrayList<>();
        private boolean methodsSet;
        private boolean anyMethod;
        private final List<String> headers = new ArrayList<>();
        private boolean headersSet;
        private boolean anyHeader;
        private boolean mirrorHeaders;
        private final List<String> expose = new ArrayList<>();
        private boolean exposeAny;
        private Duration maxAge = Duration.ofHours(2);
        private boolean privateNetwork;
        private final List<String> problems = new ArrayList<>();

        private Builder() {}

        /** Allows these exact origins ({@code scheme://host[:port]}, no path or trailing slash). */
        public Builder allowOrigins(String... values) {
            return allowOrigins(List.of(values));
        }

        /** Allows these exact origins ({@code scheme://host[:port]}, no path or trailing slash). */
        public Builder allowOrigins(Collection<String> values) {
            for (String value : values) {
                Objects.requireNonNull(value, "origin");
                String problem = Origins.problem(value);
                if (problem != null) {
                    problems.add("allowOrigins: " + problem);
                } else {
                    origins.add(value);
                }
            }
            if (values.isEmpty()) {
                problems.add("allowOrigins: the list is empty");
            }
            return this;
        }

        /**
         * Allows origins matching {@code scheme://*.domain[:port]}: {@code *} stands for exactly
         * one label, so {@code https://*.example.com} matches {@code https://app.example.com} but
         * neither {@code https://example.com} nor {@code https://a.b.example.com}.
         */
        public Builder allowOriginPatterns(String... values) {
            for (String value : values) {
                Objects.requireNonNull(value, "pattern");
                String problem = Origins.Pattern.problem(value);
                if (problem != null) {
                    problems.add("allowOriginPatterns: " + problem);
                } else {
                    patterns.add(value);
                }
            }
            return this;
        }

        /**
         * Allows an origin when {@code test} says so. It is given the {@code Origin} value as sent
         * (already checked to be a serialized origin, never {@code null}) and the request; it runs
         * on the request's thread for every cross-origin request, so keep it cheap.
         */
        public Builder allowOriginIf(BiPredicate<String, Request> test) {
            this.predicate = Objects.requireNonNull(test, "test");
            return this;
        }

        /** Allows every origin with {@code access-control-allow-origin: *}; excludes credentials. */
        public Builder allowAnyOrigin() {
            this.anyOrigin = true;
            return this;
        }

        /**
         * Allows every origin, echoed back, with credentials: any web site a user visits can then
         * call this API as that user. Only for APIs whose authentication does not ride on cookies
         * the browser adds by itself. Logged at WARN when built.
         */
        public Builder mirrorAnyOriginWithCredentials() {
            this.mirrorAny = true;
            return this;
        }

        /** Sends {@code access-control-allow-credentials: true}: cookies and HTTP auth may be used. */
        public Builder allowCredentials(boolean value) {
            this.credentials = value;
            return this;
        }

        /** The methods a preflight may ask for, case-sensitive, instead of the route's own. */
        public Builder allowMethods(String... values) {
            methodsSet = true;
            for (String value : values) {
                Objects.requireNonNull(value, "method");
                if (value.equals("*")) {
                    problems.add("allowMethods: '*' is a wildcard: use allowAnyMethod()");
                } else if (!HeaderSyntax.isToken(value)) {
                    problems.add("allowMethods: '" + value + "' is not a method token");
                } else if (!methods.contains(value)) {
                    methods.add(value);
                }
            }
            if (values.length == 0) {
                problems.add("allowMethods: the list is empty (leave it unset for the route's own methods)");
            }
            return this;
        }

        /** Allows any method ({@code access-control-allow-methods: *}); excludes credentials. */
        public Builder allowAnyMethod() {
            this.anyMethod = true;
            return this;
        }

        /** The request headers a preflight may ask for, compared case-insensitively. */
        public Builder allowHeaders(String... values) {
            headersSet = true;
            addTokens("allowHeaders", "allowAnyHeader()", values, headers);
            return this;
        }

        /** Allows any request header ({@code access-control-allow-headers: *}, which browsers never apply to {@code authorization}); excludes credentials. */
        public Builder allowAnyHeader() {
            this.anyHeader = true;
            return this;
        }

        /** Allows whatever headers a preflight asks for, by echoing them. */
        public Builder mirrorRequestHeaders() {
            this.mirrorHeaders = true;
            return this;
        }

        /** Response headers the page may read, besides the safelisted ones and Weft's own. */
        public Builder exposeHeaders(String... values) {
            addTokens("exposeHeaders", "exposeAnyHeader()", values, expose);
            return this;
        }

        /** Lets the page read every response header ({@code access-control-expose-headers: *}); excludes credentials. */
        public Builder exposeAnyHeader() {
            this.exposeAny = true;
            return this;
        }

        /** How long a browser may cache a preflight's answer: zero to 24 hours, whole seconds. */
        public Builder maxAge(Duration value) {
            this.maxAge = Objects.requireNonNull(value, "maxAge");
            return this;
        }

        /** Answers preflights from public pages to this private-network server (Private Network Access). */
        public Builder allowPrivateNetwork(boolean value) {
            this.privateNetwork = value;
            return this;
        }

        /**
         * Checks the options and builds the layer.
         *
         * @throws WeftException listing every problem, one per line, each naming its option
         */
        public Cors build() {
            List<String> all = new ArrayList<>(problems);
            boolean lists = !origins.isEmpty() || !patterns.isEmpty() || predicate != null;
            if (!lists && !anyOrigin && !mirrorAny && problems.stream().noneMatch(p -> p.startsWith("allowOrigin"))) {
                all.add("no origin is allowed: call allowOrigins, allowOriginPatterns, allowOriginIf, allowAnyOrigin"
                        + " or mirrorAnyOriginWithCredentials");
            }
            if (anyOrigin && (lists || mirrorAny)) {
                all.add("allowAnyOrigin() allows every origin: drop the other origin options");
            }
            if (mirrorAny && lists) {
                all.add("mirrorAnyOriginWithCredentials() allows every origin: drop the other origin options");
            }
            boolean withCredentials = credentials || mirrorAny;
            String why = (mirrorAny ? "mirrorAnyOriginWithCredentials()" : "allowCredentials(true)")
                    + " cannot be combined with ";
            if (withCredentials && anyOrigin) {
                all.add(why + "allowAnyOrigin(): browsers refuse '*' with credentials; list the origins");
            }
            if (withCredentials && anyMethod) {
                all.add(why + "allowAnyMethod(): browsers read '*' literally with credentials; list the methods");
            }
            if (withCredentials && anyHeader) {
                all.add(why + "allowAnyHeader(): browsers read '*' literally with credentials; list the headers"
                        + " or use mirrorRequestHeaders()");
            }
            if (withCredentials && exposeAny) {
                all.add(why + "exposeAnyHeader(): browsers read '*' literally with credentials; list the headers");
            }
            if (anyMethod && methodsSet) {
                all.add("allowAnyMethod() and allowMethods(..) exclude each other");
            }
            if ((anyHeader ? 1 : 0) + (mirrorHeaders ? 1 : 0) + (headersSet ? 1 : 0) > 1) {
                all.add("allowHeaders(..), allowAnyHeader() and mirrorRequestHeaders() exclude each other");
            }
            if (exposeAny && !expose.isEmpty()) {
                all.add("exposeAnyHeader() and exposeHeaders(..) exclude each other");
            }
            if (maxAge.isNegative() || maxAge.compareTo(Duration.ofDays(1)) > 0 || maxAge.toNanosPart() != 0) {
                all.add("maxAge must be whole seconds from 0 to 24 hours (browsers cap it: Chromium at 2 hours,"
                        + " Firefox at 24), got " + maxAge);
            }
            if (!all.isEmpty()) {
                throw new WeftException("invalid Cors options:\n  - " + String.join("\n  - ", all));
            }
            if (mirrorAny) {
                LOG.warn("Cors: every origin is allowed with credentials (mirrorAnyOriginWithCredentials):"
                        + " any web site can send credentialed requests and read the answers");
            }
            return new Cors(this);
        }

        private void addTokens(String option, String wildcard, String[] values, List<String> into) {
            for (String value : values) {
                Objects.requireNonNull(value, option);
                String lower = value.strip().toLowerCase(Locale.ROOT);
                if (lower.equals("*")) {
                    problems.add(option + ": '*' is a wildcard: use " + wildcard);
                } else if (!HeaderSyntax.isToken(lower)) {
                    problems.add(option + ": '" + value + "' is not a header name");
                } else if (!into.contains(lower)) {
                    into.add(lower);
                }
            }
            if (values.length == 0) {
                problems.add(option + ": the list is empty");
            }
        }
    }
}
