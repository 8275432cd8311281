package dev.weft.auth;

import dev.weft.extract.Rejection;
import dev.weft.response.Problem;
import dev.weft.response.Response;
import dev.weft.response.Status;
import java.time.Duration;
import java.util.List;

/** The answers of the authentication layers, and the checks of what goes into them. */
final class Challenges {
    /** The one 401 detail: it never says whether a user, a password, a key or a token was wrong. */
    static final String UNAUTHENTICATED = "valid credentials are required for this route";

    private Challenges() {}

    /** 401 problem+json with {@code challenge} as {@code WWW-Authenticate}. */
    static Response unauthorized(String challenge) {
        return new Rejection.AuthenticationRefused(Status.UNAUTHORIZED, UNAUTHENTICATED, challenge).toResponse();
    }

    /** 503 problem+json with {@code retry-after}: a verifier's key or user store is down. */
    static Response unavailable(Duration retryAfter) {
        long seconds = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
        return Problem.of(Status.SERVICE_UNAVAILABLE, "authentication is temporarily unavailable; retry later")
                .toResponse().withHeader("retry-after", Long.toString(seconds));
    }

    /** {@code name="value"}; values were checked by {@link #checkQuotable}, so nothing needs escaping. */
    static String param(String name, String value) {
        return name + "=\"" + value + "\"";
    }

    /** Adds a problem if {@code value} cannot be sent in a quoted string without escapes. */
    static void checkQuotable(List<String> problems, String option, String value) {
        if (value == null || value.isEmpty()) {
            problems.add(option + " must be set and not empty");
            return;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
                problems.add(option + " '" + value + "' must be printable ASCII without '\"' or '\\'");
                return;
            }
        }
    }

    /** A role or scope as RFC 6750's scope-token: {@code %x21 / %x23-5B / %x5D-7E}. */
    static boolean isScopeToken(String value) {
        if (value == null || value.isEmpty()) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x21 || c > 0x7e || c == '"' || c == '\\') {
                return false;
            }
        }
        return true;
    }

    /** RFC 9110 token68: {@code 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="}. */
    static boolean isToken68(String value) {
        int n = value.length();
        int end = n;
        while (end > 0 && value.charAt(end - 1) == '=') {
            end--;
        }
        if (end == 0) {
            return false;
        }
        for (int i = 0; i < end; i++) {
            char c = value.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c == '/';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /**
     * The credentials after {@code scheme} in an Authorization value ({@code scheme 1*SP token}),
     * matching the scheme name case-insensitively; {@code null} if the value uses another scheme.
     * An empty string means the scheme came without credentials.
     */
    static String credentials(String value, String scheme) {
        String v = value.strip();
        if (!v.regionMatches(true, 0, scheme, 0, scheme.length())) {
            return null;
        }
        if (v.length() == scheme.length()) {
            return "";
        }
        if (v.charAt(scheme.length()) != ' ') {
            return null; // "Bearerx": another scheme's name
        }
        int start = scheme.length();
        while (start < v.length() && v.charAt(start) == ' ') {
            start++;
        }
        return v.substring(start);
    }
}
