package dev.weft.cookie;

import dev.weft.http.Request;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A cookie the server sets: a name, a value and the attributes of its {@code Set-Cookie} line
 * (RFC 6265 and its revision, RFC 6265bis). Immutable; made with {@link #builder(String, String)},
 * which checks every rule at {@link Builder#build()} and reports every broken one at once.
 *
 * <table class="striped">
 * <caption>Attributes and defaults</caption>
 * <thead><tr><th>attribute</th><th>default</th><th>meaning</th></tr></thead>
 * <tbody>
 * <tr><td>{@code path}</td><td>{@code /}</td><td>the paths the browser sends the cookie for; must start with {@code /}</td></tr>
 * <tr><td>{@code domain}</td><td>none (this host only)</td><td>also send it to subdomains of this domain</td></tr>
 * <tr><td>{@code maxAge}</td><td>none (a session cookie)</td><td>lifetime; zero deletes the cookie</td></tr>
 * <tr><td>{@code expires}</td><td>none</td><td>absolute expiry, for clients older than {@code Max-Age}</td></tr>
 * <tr><td>{@code secure}</td><td>when the request came over TLS</td><td>send it over HTTPS only</td></tr>
 * <tr><td>{@code httpOnly}</td><td>true</td><td>hide it from scripts</td></tr>
 * <tr><td>{@code sameSite}</td><td>{@link SameSite#LAX}</td><td>whether cross-site requests carry it</td></tr>
 * <tr><td>{@code partitioned}</td><td>false</td><td>CHIPS: a separate jar per top-level site; implies Secure</td></tr>
 * </tbody>
 * </table>
 *
 * <p>Rules checked by {@link Builder#build()}, each failure an {@link IllegalArgumentException}
 * listing them all: the name is an RFC 9110 token; the value is cookie-octets (visible ASCII
 * except {@code " , ; \}), optionally in double quotes; name and value together are at most
 * 4,096 bytes and a path or domain at most 1,024 (what browsers keep); {@code SameSite=None} and
 * {@code Partitioned} need {@code Secure}; a name starting with {@code __Secure-} needs
 * {@code Secure}, one starting with {@code __Host-} needs {@code Secure}, {@code Path=/} and no
 * {@code Domain} (prefixes matched ignoring case, as browsers do). Where a rule needs
 * {@code Secure} and it was left to the request's scheme, it is set.
 *
 * {@snippet class=dev.weft.cookie.CookieExamples region=build}
 */
public final class Cookie {
    /** Largest name plus value, in bytes, that browsers keep (RFC 6265bis §5.7). */
    public static final int MAX_NAME_VALUE_BYTES = 4096;
    /** Largest path or domain attribute value, in bytes, that browsers keep. */
    public static final int MAX_ATTRIBUTE_BYTES = 1024;

    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    /** The {@code SameSite} attribute: whether the browser sends the cookie with cross-site requests. */
    public enum SameSite {
        /** Only with same-site requests. */
        STRICT("Strict"),
        /** With same-site requests and top-level cross-site navigations (links). */
        LAX("Lax"),
        /** With every request; needs {@code Secure}. */
        NONE("None");

        private final String attribute;

        SameSite(String attribute) {
            this.attribute = attribute;
        }

        /** The attribute value as written: {@code Strict}, {@code Lax} or {@code None}. */
        public String attribute() {
            return attribute;
        }
    }

    private final String name;
    private final String value;
    private final String path;
    private final String domain;
    private final Duration maxAge;
    private final Instant expires;
    private final Boolean secure;
    private final boolean httpOnly;
    private final SameSite sameSite;
    private final boolean partitioned;

    private Cookie(Builder b, Boolean secure) {
        this.name = b.name;
        this.value = b.value;
        this.path = b.path;
        this.domain = b.domain;
        this.maxAge = b.maxAge;
        this.expires = b.expires;
        this.secure = secure;
        this.httpOnly = b.httpOnly;
        this.sameSite = b.sameSite;
        this.partitioned = b.partitioned;
    }

    /** Starts a cookie with the defaults of the table above. */
    public static Builder builder(String name, String value) {
        return new Builder(name, value);
    }

    /** A builder holding every attribute of this cookie, to change some of them. */
    public Builder toBuilder() {
        Builder b = new Builder(name, value);
        b.path = path;
        b.domain = domain;
        b.maxAge = maxAge;
        b.expires = expires;
        b.secure = secure;
        b.httpOnly = httpOnly;
        b.sameSite = sameSite;
        b.partitioned = partitioned;
        return b;
    }

    /**
     * The cookie that deletes this one in the browser: the same name, path and domain (the three
     * that identify a stored cookie), an empty value, {@code Max-Age=0} and an {@code Expires} in
     * the past.
     */
    public Cookie removal() {
        return toBuilder().value("").maxAge(Duration.ZERO).expires(Instant.EPOCH).build();
    }

    public String name() { return name; }

    public String value() { return value; }

    public String path() { return path; }

    public Optional<String> domain() { return Optional.ofNullable(domain); }

    public Optional<Duration> maxAge() { return Optional.ofNullable(maxAge); }

    public Optional<Instant> expires() { return Optional.ofNullable(expires); }

    /**
     * Whether the cookie is {@code Secure}: empty if that is left to the request (Secure exactly
     * when the client used {@code https}: over TLS, or through a trusted proxy that says so,
     * {@link Request#client()}).
     */
    public Optional<Boolean> secure() { return Optional.ofNullable(secure); }

    public boolean httpOnly() { return httpOnly; }

    public SameSite sameSite() { return sameSite; }

    public boolean partitioned() { return partitioned; }

    /** Whether this cookie is sent with {@code Secure} in answer to {@code request}. */
    public boolean secureFor(Request request) {
        return secure != null ? secure : request.client().secure();
    }

    /** The value of the {@code Set-Cookie} header that sets this cookie in answer to {@code request}. */
    public String toHeaderValue(Request request) {
        return toHeaderValue(secureFor(request));
    }

    /** The value of the {@code Set-Cookie} header, with {@code Secure} as given where it is left to the request. */
    public String toHeaderValue(boolean overTls) {
        StringBuilder out = new StringBuilder(name.length() + value.length() + 64);
        out.append(name).append('=').append(value);
        out.append("; Path=").append(path);
        if (domain != null) {
            out.append("; Domain=").append(domain);
        }
        if (maxAge != null) {
            out.append("; Max-Age=").append(maxAge.toSeconds());
        }
        if (expires != null) {
            out.append("; Expires=").append(IMF_FIXDATE.format(expires));
        }
        if (secure != null ? secure : overTls) {
            out.append("; Secure");
        }
        if (httpOnly) {
            out.append("; HttpOnly");
        }
        out.append("; SameSite=").append(sameSite.attribute());
        if (partitioned) {
            out.append("; Partitioned");
        }
        return out.toString();
    }

    @Override
    public String toString() {
        // The value may be a session token: keep it out of logs.
        return "Cookie[" + name + "=…" + toHeaderValue(false).substring(name.length() + 1 + value.length()) + "]";
    }

    // --- character classes (RFC 6265 §4.1.1, RFC 9110 §5.6.2) ---

    static boolean isTokenChar(char c) {
        if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
            return true;
        }
        return "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }

    static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!isTokenChar(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    static boolean isCookieOctet(char c) {
        return c == 0x21 || c >= 0x23 && c <= 0x2B || c >= 0x2D && c <= 0x3A || c >= 0x3C && c <= 0x5B
                || c >= 0x5D && c <= 0x7E;
    }

    /** cookie-value = *cookie-octet / ( DQUOTE *cookie-octet DQUOTE ). */
    static boolean isCookieValue(String s) {
        int from = 0;
        int to = s.length();
        if (to >= 2 && s.charAt(0) == '"' && s.charAt(to - 1) == '"') {
            from = 1;
            to--;
        }
        for (int i = from; i < to; i++) {
            if (!isCookieOctet(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    static boolean hasPrefix(String name, String prefix) {
        return name.regionMatches(true, 0, prefix, 0, prefix.length());
    }

    /** The attributes of a cookie, set one by one; {@link #build()} checks them all. Not thread-safe. */
    public static final class Builder {
        private String name;
        private String value;
        private String path = "/";
        private String domain;
        private Duration maxAge;
        private Instant expires;
        private Boolean secure;
        private boolean httpOnly = true;
        private SameSite sameSite = SameSite.LAX;
        private boolean partitioned;

        private Builder(String name, String value) {
            this.name = Objects.requireNonNull(name, "name");
            this.value = Objects.requireNonNull(value, "value");
        }

        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        public Builder value(String value) {
            this.value = Objects.requireNonNull(value, "value");
            return this;
        }

        public Builder path(String path) {
            this.path = Objects.requireNonNull(path, "path");
            return this;
        }

        public Builder domain(String domain) {
            this.domain = Objects.requireNonNull(domain, "domain");
            return this;
        }

        /** Lifetime, written in whole seconds; zero deletes the cookie, negative is refused. */
        public Builder maxAge(Duration maxAge) {
            this.maxAge = Objects.requireNonNull(maxAge, "maxAge");
            return this;
        }

        public Builder expires(Instant expires) {
            this.expires = Objects.requireNonNull(expires, "expires");
            return this;
        }

        /** Sets {@code Secure} explicitly, instead of when the request came over TLS. */
        public Builder secure(boolean secure) {
            this.secure = secure;
            return this;
        }

        public Builder httpOnly(boolean httpOnly) {
            this.httpOnly = httpOnly;
            return this;
        }

        public Builder sameSite(SameSite sameSite) {
            this.sameSite = Objects.requireNonNull(sameSite, "sameSite");
            return this;
        }

        public Builder partitioned(boolean partitioned) {
            this.partitioned = partitioned;
            return this;
        }

        /**
         * The cookie.
         *
         * @throws IllegalArgumentException listing every broken rule (see {@link Cookie}), one per line
         */
        public Cookie build() {
            List<String> problems = new ArrayList<>();
            if (!isToken(name)) {
                problems.add("cookie name '" + printable(name) + "' is not a token (letters, digits and !#$%&'*+-.^_`|~)");
            }
            if (!isCookieValue(value)) {
                problems.add("the value of cookie '" + printable(name) + "' holds a character cookies may not carry"
                        + " (space, control, non-ASCII, or one of \" , ; \\); encode it, e.g. as base64url");
            }
            int size = name.getBytes(StandardCharsets.UTF_8).length + value.getBytes(StandardCharsets.UTF_8).length;
            if (size > MAX_NAME_VALUE_BYTES) {
                problems.add("cookie '" + printable(name) + "' has " + size + " bytes of name and value; browsers drop"
                        + " cookies past " + MAX_NAME_VALUE_BYTES);
            }
            if (!path.startsWith("/") || !isAttributeValue(path)) {
                problems.add("path '" + printable(path) + "' must start with / and hold no control character or ;");
            } else if (path.length() > MAX_ATTRIBUTE_BYTES) {
                problems.add("path is longer than " + MAX_ATTRIBUTE_BYTES + " bytes");
            }
            if (domain != null && !isDomain(domain)) {
                problems.add("domain '" + printable(domain) + "' is not a host name (letters, digits, - and .,"
                        + " at most " + MAX_ATTRIBUTE_BYTES + " bytes)");
            }
            if (maxAge != null && maxAge.isNegative()) {
                problems.add("maxAge must not be negative (zero deletes the cookie), got " + maxAge);
            }
            if (expires != null && (expires.isBefore(Instant.EPOCH) || expires.isAfter(Instant.parse("9999-12-31T23:59:59Z")))) {
                problems.add("expires must be between 1970 and 9999, got " + expires);
            }
            Boolean effectiveSecure = secure;
            List<String> needSecure = new ArrayList<>();
            if (sameSite == SameSite.NONE) {
                needSecure.add("SameSite=None");
            }
            if (partitioned) {
                needSecure.add("Partitioned");
            }
            if (hasPrefix(name, "__Secure-")) {
                needSecure.add("the __Secure- prefix");
            }
            if (hasPrefix(name, "__Host-")) {
                needSecure.add("the __Host- prefix");
                if (!path.equals("/")) {
                    problems.add("a __Host- cookie must have Path=/, got '" + printable(path) + "'");
                }
                if (domain != null) {
                    problems.add("a __Host- cookie must not have a Domain");
                }
            }
            if (!needSecure.isEmpty()) {
                if (Boolean.FALSE.equals(secure)) {
                    problems.add(String.join(" and ", needSecure) + " need(s) Secure, but secure(false) was set");
                }
                effectiveSecure = Boolean.TRUE;
            }
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException("invalid cookie:\n  " + String.join("\n  ", problems));
            }
            return new Cookie(this, effectiveSecure);
        }

        private static boolean isAttributeValue(String s) {
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c < 0x20 || c >= 0x7f || c == ';') {
                    return false;
                }
            }
            return true;
        }

        private static boolean isDomain(String s) {
            String d = s.startsWith(".") ? s.substring(1) : s;
            if (d.isEmpty() || d.length() > MAX_ATTRIBUTE_BYTES || d.startsWith(".") || d.endsWith(".") || d.contains("..")) {
                return false;
            }
            for (int i = 0; i < d.length(); i++) {
                char c = d.charAt(i);
                if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.')) {
                    return false;
                }
            }
            return true;
        }

        /** Control characters are shown escaped so an error message cannot forge log lines. */
        private static String printable(String s) {
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < Math.min(s.length(), 64); i++) {
                char c = s.charAt(i);
                out.append(c < 0x20 || c == 0x7f ? String.format("\\x%02x", (int) c) : String.valueOf(c));
            }
            return s.length() > 64 ? out + "…" : out.toString();
        }
    }
}
