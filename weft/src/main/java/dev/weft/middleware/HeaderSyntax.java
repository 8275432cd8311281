package dev.weft.middleware;

import dev.weft.http.Headers;
import dev.weft.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Token and list syntax shared by the built-in layers (RFC 9110 §5.6), and the Vary merge. */
final class HeaderSyntax {
    private HeaderSyntax() {}

    /** Whether {@code s} is a non-empty RFC 9110 token. */
    static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code value} may be sent as a field value: visible ASCII, space and tab only. */
    static boolean isSafeValue(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 && c != '\t') || c >= 0x7f) {
                return false;
            }
        }
        return true;
    }

    /**
     * The elements of every {@code name} field, split on commas, trimmed of spaces and tabs, empty
     * elements dropped (RFC 9110 §5.6.1 lets senders send those), lower-cased.
     */
    static List<String> lowerCaseElements(Headers headers, String name) {
        List<String> out = new ArrayList<>();
        for (String line : headers.all(name)) {
            int start = 0;
            while (start <= line.length()) {
                int comma = line.indexOf(',', start);
                int end = comma < 0 ? line.length() : comma;
                String element = line.substring(start, end).strip();
                if (!element.isEmpty()) {
                    out.add(element.toLowerCase(Locale.ROOT));
                }
                start = end + 1;
            }
        }
        return out;
    }

    /**
     * {@code response} with {@code tokens} appended to its {@code Vary}: the existing fields are
     * kept (joined into one), a token already there (in any case) is not repeated, and
     * {@code Vary: *} is left alone, since it already says everything varies.
     */
    static Response appendVary(Response response, List<String> tokens) {
        if (tokens.isEmpty()) {
            return response;
        }
        List<String> existing = response.headers().all("vary");
        List<String> merged = new ArrayList<>();
        for (String line : existing) {
            for (String element : line.split(",")) {
                String token = element.strip();
                if (token.equals("*")) {
                    return response;
                }
                addOnce(merged, token);
            }
        }
        for (String token : tokens) {
            addOnce(merged, token);
        }
        String value = String.join(", ", merged);
        if (existing.size() == 1 && existing.getFirst().equals(value)) {
            return response;
        }
        return response.withHeader("vary", value);
    }

    private static void addOnce(List<String> tokens, String token) {
        if (!token.isEmpty() && tokens.stream().noneMatch(t -> t.equalsIgnoreCase(token))) {
            tokens.add(token);
        }
    }
}
